import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** The WCAG 2.0, 2.1 and 2.2 rules of levels A and AA, by axe-core tag. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** One failed axe rule, with what a person needs to find and fix it. */
export type AxeViolation = {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  /** CSS selectors of the failing elements. A nested array steps into a shadow root. */
  targets: unknown[];
  /** axe's summary of what is wrong with the first failing elements. */
  failures: string[];
};

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core with the WCAG A and AA rules over the whole document of a
 * page, open shadow roots included, and returns the violations.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);

  // Pages forbid inline scripts (script-src 'self'), so page.addScriptTag is
  // blocked; evaluating the source through the DevTools protocol is not.
  if (!loaded) await page.evaluate(axeSource);

  return page.evaluate(async (tags) => {
    const axe = (window as any).axe;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });

    return results.violations.map((violation: any) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      targets: violation.nodes.map((node: any) => node.target),
      failures: violation.nodes.slice(0, 5).map((node: any) => node.failureSummary),
    }));
  }, WCAG_TAGS);
}

/** Formats violations one per paragraph, for a test failure message. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((violation) => {
      const targets = violation.targets.map((target) => JSON.stringify(target)).join('\n    ');

      return `${violation.id} (${violation.impact}): ${violation.help}\n    ${targets}\n  ${violation.failures.join('\n  ')}`;
    })
    .join('\n\n');
}
