import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { messageOf } from '../errors/venomqa-error.js';

export interface WaitForHealthOptions {
  /** `http://127.0.0.1:<port><health>`. */
  url: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Pause between attempts. */
  intervalMs?: number;
  /**
   * Asked before every attempt: a reason (`exited with code 1`) ends the wait at once, so a
   * crashed API fails in milliseconds instead of after the whole startup timeout.
   */
  isGone?: () => string | undefined | Promise<string | undefined>;
}

/** How a wait ended. `detail` says what the last attempt saw (`answered 503`, `ECONNREFUSED`). */
export type HealthOutcome =
  | { kind: 'healthy' }
  | { kind: 'gone'; reason: string; detail: string | undefined }
  | { kind: 'timeout'; detail: string | undefined }
  | { kind: 'aborted'; reason: unknown };

/**
 * Poll a health URL until it answers 2xx. Returns how the wait ended instead of throwing, so
 * each target words its own error and cleans up first.
 */
export async function waitForHealth(options: WaitForHealthOptions): Promise<HealthOutcome> {
  const { signal } = options;
  const deadline = Date.now() + options.timeoutMs;
  let detail: string | undefined;
  for (;;) {
    if (signal?.aborted) return { kind: 'aborted', reason: signal.reason };
    const gone = await options.isGone?.();
    if (gone !== undefined) return { kind: 'gone', reason: gone, detail };
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { kind: 'timeout', detail };
    detail = await probe(options.url, Math.min(2000, Math.max(100, remaining)), signal);
    if (detail === undefined) {
      // Answered, but maybe by something else on that port if ours died binding it.
      const goneAfter = await options.isGone?.();
      if (goneAfter !== undefined) return { kind: 'gone', reason: goneAfter, detail };
      return { kind: 'healthy' };
    }
    try {
      await sleep(options.intervalMs ?? 20, undefined, signal ? { signal } : {});
    } catch {
      // Aborted: reported at the top of the loop.
    }
  }
}

/** One GET: undefined when it answered 2xx, else what happened. */
function probe(url: string, timeoutMs: number, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    // agent: false sends `Connection: close`, so no keep-alive socket holds the API's
    // graceful shutdown open later.
    const request = http.get(url, { agent: false, timeout: timeoutMs, signal }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      resolve(
        status >= 200 && status < 300
          ? undefined
          : `answered ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`,
      );
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve(messageOf(error)));
  });
}

/** The health path as a URL path (`health` → `/health`). */
export function healthPath(health: string): string {
  return health.startsWith('/') ? health : `/${health}`;
}
