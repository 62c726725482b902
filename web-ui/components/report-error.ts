/** The event an element dispatches for a failed action. The page shows its detail (the error) in its notifier. */
export const ERROR_EVENT = 'podium-error';

/** Dispatches a failed action's error from an element, across shadow roots, to the page. */
export function reportError(source: EventTarget, error: unknown): void {
  source.dispatchEvent(new CustomEvent(ERROR_EVENT, { detail: error, bubbles: true, composed: true }));
}

/** Runs an element's action with its busy flag set, and reports a failure to the page. */
export async function runReporting(element: HTMLElement & { busy: boolean }, action: () => Promise<unknown>): Promise<void> {
  element.busy = true;
  try {
    await action();
  } catch (error) {
    reportError(element, error);
  } finally {
    element.busy = false;
  }
}
