import { setMaxListeners } from 'node:events';
import createDebug from 'debug';

const debug = createDebug('venomqa:runner');

/** Why items are skipped when the run was stopped (Ctrl-C, SIGTERM). */
export const INTERRUPTED = 'the run was interrupted';

/**
 * The stop signal of one journey run: the caller's (Ctrl-C) combined with fail_fast's own, and
 * the reason skipped items give.
 */
export class RunAbort {
  readonly signal: AbortSignal;
  /** The caller's signal alone (Ctrl-C): aborts only when the whole run is stopped. */
  readonly interrupt: AbortSignal | undefined;
  readonly #failFast = new AbortController();
  readonly #failFastEnabled: boolean;
  readonly #journey: string;

  constructor(journey: string, external: AbortSignal | undefined, failFast: boolean) {
    this.#journey = journey;
    this.#failFastEnabled = failFast;
    this.interrupt = external;
    this.signal = external
      ? AbortSignal.any([external, this.#failFast.signal])
      : this.#failFast.signal;
    // Every path's requests, slot waits and health checks listen to it: dozens at once is normal.
    setMaxListeners(0, this.signal);
  }

  get aborted(): boolean {
    return this.signal.aborted;
  }

  /** A step, checkpoint or path failed: with fail_fast, everything else stops now. */
  noteFailure(): void {
    if (this.#failFastEnabled && !this.#failFast.signal.aborted) {
      debug('fail_fast: aborting the rest of %s', this.#journey);
      this.#failFast.abort(new Error('fail_fast'));
    }
  }

  /** Why work that did not run was skipped. */
  get reason(): string {
    return this.#failFast.signal.aborted ? 'fail_fast: another path failed' : INTERRUPTED;
  }
}
