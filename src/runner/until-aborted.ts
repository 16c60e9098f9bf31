/**
 * `work`, or a rejection with the signal's reason as soon as `signal` aborts. A step's action
 * is user code that may wait on anything (a timer, a queue, a poll loop) without looking at the
 * run's signal: Ctrl-C stops waiting for it instead of waiting it out. Its HTTP
 * requests are aborted through the client; whatever else it does finishes in the background,
 * its outcome ignored.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
