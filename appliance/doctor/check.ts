/** The outcome of one doctor check. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of the doctor's checklist, with the fix when it did not pass. */
export type CheckResult = {
  /** The thing checked, such as "Camera /dev/video0". */
  name: string;
  status: CheckStatus;
  /** The doctor's finding. */
  detail: string;
  /** The remedy for a warning or failure. docs/troubleshooting.md explains each. */
  fix?: string;
};

export const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });

export const warn = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'warn', detail, fix });

export const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'fail', detail, fix });

/** Formats the checklist for a terminal, one check per line and its fix below. */
export function formatChecklist(results: CheckResult[]): string {
  const marks: Record<CheckStatus, string> = { ok: '[ ok ]', warn: '[warn]', fail: '[FAIL]' };
  const lines = results.flatMap((result) => [
    `${marks[result.status]} ${result.name}: ${result.detail}`,
    ...(result.fix ? [`       fix: ${result.fix}`] : []),
  ]);
  const failed = results.filter((result) => result.status === 'fail').length;
  const warned = results.filter((result) => result.status === 'warn').length;

  lines.push('', failed === 0 && warned === 0 ? 'All checks passed.' : `${failed} failed, ${warned} warnings.`);

  return `${lines.join('\n')}\n`;
}
