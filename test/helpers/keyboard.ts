import type { Page } from 'playwright-core';

/** The focused element as seen through open shadow roots, and whether it shows a focus indicator. */
export type FocusInfo = {
  testId: string | null;
  tag: string;
  /** Computed outline or box-shadow while :focus-visible applies. */
  indicator: string;
  focusVisible: boolean;
};

/** Describes the element that has keyboard focus, descending into shadow roots. */
export function focusedElement(page: Page, selector = '*'): Promise<(FocusInfo & { matches: boolean }) | null> {
  return page.evaluate((wanted) => {
    let element = document.activeElement;

    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element || element === document.body) return null;

    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 ? `outline ${style.outline}` : '';
    const shadow = style.boxShadow !== 'none' ? `box-shadow ${style.boxShadow}` : '';

    return {
      testId: element.getAttribute('data-testid'),
      tag: element.tagName.toLowerCase(),
      indicator: outline || shadow,
      focusVisible: element.matches(':focus-visible'),
      matches: element.matches(wanted),
    };
  }, selector);
}

/**
 * Presses Tab (or Shift+Tab) until an element matching a CSS selector has
 * focus, and returns it. Throws with the visited elements when it is not
 * reached within maxPresses.
 */
export async function tabTo(page: Page, selector: string, { backwards = false, maxPresses = 120 } = {}): Promise<FocusInfo> {
  const visited: string[] = [];

  for (let press = 0; press < maxPresses; press++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');

    const focused = await focusedElement(page, selector);

    if (focused?.matches) return focused;
    visited.push(focused ? (focused.testId ?? focused.tag) : 'body');
  }

  throw new Error(`${selector} not reached by ${maxPresses} presses of Tab; focus went to: ${visited.join(', ')}`);
}
