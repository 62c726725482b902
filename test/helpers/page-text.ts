import type { Page } from 'playwright-core';

/**
 * Collects the text a reader meets on a page: the title, text nodes and the
 * aria-label, placeholder, title and alt attributes, through open shadow roots.
 * Parts marked with a lang attribute other than the page's (such as the name
 * of the other language in the language switch) are left out.
 */
export function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const pageLang = document.documentElement.lang;
    const parts: string[] = [document.title];
    const ATTRIBUTES = ['aria-label', 'placeholder', 'title', 'alt'];

    const visit = (node: Node): void => {
      if (node.nodeType === Node.TEXT_NODE) {
        parts.push(node.textContent ?? '');

        return;
      }
      if (!(node instanceof Element) && !(node instanceof ShadowRoot)) return;
      if (node instanceof Element) {
        if (['SCRIPT', 'STYLE', 'TITLE'].includes(node.tagName)) return;

        const lang = node.getAttribute('lang');

        if (lang && lang !== pageLang) return;
        for (const name of ATTRIBUTES) {
          const value = node.getAttribute(name);

          if (value) parts.push(value);
        }
        if (node.shadowRoot) visit(node.shadowRoot);
      }
      for (const child of node.childNodes) visit(child);
    };

    visit(document.documentElement);

    return parts.map((part) => part.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n');
  });
}

/**
 * Returns the fixed pieces of catalogue texts that differ between two
 * languages and are long enough to be unmistakable: each text split at its
 * {placeholders}, pieces of at least minLength characters.
 */
export function distinctivePieces(
  other: Record<string, string>,
  own: Record<string, string>,
  minLength = 8,
): Map<string, string> {
  const pieces = new Map<string, string>();
  const ownValues = new Set(Object.values(own));

  for (const [key, value] of Object.entries(other)) {
    if (own[key] === value || ownValues.has(value)) continue;
    for (const piece of value.split(/\{\w+\}/)) {
      const trimmed = piece.replace(/\s+/g, ' ').trim();

      if (trimmed.length >= minLength) pieces.set(trimmed, key);
    }
  }

  return pieces;
}

/** Lists the pieces of the other language found in a page's text, as "key: piece". */
export function leftovers(text: string, pieces: Map<string, string>): string[] {
  return [...pieces].filter(([piece]) => text.includes(piece)).map(([piece, key]) => `${key}: ${piece}`);
}
