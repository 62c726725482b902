/**
 * Polls a condition until it returns a value other than undefined or false,
 * and fails with the description after the timeout. This is how tests wait:
 * for a state, never for a fixed time.
 */
export async function waitFor<T>(
  description: string,
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 30_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;

  while (Date.now() < deadline) {
    try {
      const value = await condition();

      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }

  const detail = lastError ? ` (last error: ${(lastError as Error).message})` : '';

  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${detail}`);
}
