/** The event an element dispatches for a failed action. The page shows its detail (the error) in its notifier. */
export const ERROR_EVENT = 'podium-error';

/** Dispatches a failed action's error from an element, across shadow roots, to the page. */
export function reportError(source: EventTarget, error: unknown): void {
  source.dispatchEvent(new CustomEvent(ERROR_EVENT, { detail: error, bubbles: true, composed: true }));
}
