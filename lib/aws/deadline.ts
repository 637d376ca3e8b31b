/**
 * Runs `call` with an abort signal and answers null if it fails or has not answered within `timeoutMs`. Racing as
 * well as aborting: the deadline holds even when a client ignores the signal. The lookups that enrich alerts use it,
 * since an alert must never wait long for, or fail because of, an extra fact.
 */
export async function withinDeadline<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T | null> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve(null);
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(abort.signal), deadline]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
