import type { PathResult, RunnerEvent } from '../index.js';
import { journeyLines, lineFailureReason } from '../report/index.js';

const MARK = { passed: '✓', failed: '✗', skipped: '-' } as const;

/**
 * Progress of `venomqa run` on stderr: one line per path as it finishes (so CI logs show them
 * in order of completion) and, on a terminal, a live status line below them that is rewritten
 * in place.
 */
export class RunProgress {
  readonly #stream: NodeJS.WritableStream & { isTTY?: boolean };
  readonly #live: boolean;
  #finished = 0;
  #failed = 0;
  #journey = '';
  #status = '';

  /** `live`: draw the rewritten status line (a terminal, not CI). */
  constructor(stream: NodeJS.WritableStream & { isTTY?: boolean }, live: boolean) {
    this.#stream = stream;
    this.#live = live && stream.isTTY === true;
  }

  event(event: RunnerEvent): void {
    switch (event.type) {
      case 'journey-started':
        this.#journey = event.journey;
        this.#finished = 0;
        this.#failed = 0;
        this.line(`journey ${event.journey}`);
        break;
      case 'path-finished':
        this.#finished += 1;
        if (event.path.status === 'failed') this.#failed += 1;
        this.line(pathLine(event.journey, event.path));
        break;
      case 'state':
        // Only emitted with verbose on, in VenomQA's words, prefixed like the state managers'.
        this.line(`[venomqa:state] ${event.line}`);
        break;
      case 'journey-finished': {
        // Why the main line failed (a step, its checkpoint, the journey not starting), as a
        // path's line says why it failed.
        const [main] = journeyLines(event.result);
        const reason = main?.status === 'failed' ? lineFailureReason(main) : undefined;
        this.line(
          `${MARK[event.result.status]} journey ${event.journey} ${event.result.status} (${seconds(event.result.durationMs)})` +
            (reason === undefined ? '' : `: ${reason}`),
        );
        break;
      }
    }
  }

  /** A line that stays (above the live status line). */
  line(text: string): void {
    this.#clear();
    this.#stream.write(`${text}\n`);
    this.#draw();
  }

  done(): void {
    this.#clear();
  }

  #draw(): void {
    if (!this.#live || !this.#journey) return;
    this.#status = `… ${this.#journey}: ${this.#finished} path${this.#finished === 1 ? '' : 's'} done, ${this.#failed} failed`;
    this.#stream.write(this.#status);
  }

  #clear(): void {
    if (this.#live && this.#status) this.#stream.write('\r\x1b[K');
    this.#status = '';
  }
}

function pathLine(journey: string, path: PathResult): string {
  const base = `  ${MARK[path.status]} ${journey} › ${path.qualifiedName} (${seconds(path.durationMs)})`;
  if (path.status === 'skipped') return `${base}: skipped, ${path.skipReason ?? ''}`.trimEnd();
  if (path.status === 'passed') return base;
  const failedStep = firstFailure(path);
  // An API that would not start says what to do; a failed step's own error does not need it.
  const hint = path.error?.hint === undefined ? '' : `\n    hint: ${path.error.hint}`;
  return `${base}: ${failedStep}${hint}`;
}

function firstFailure(path: PathResult): string {
  if (path.error) return path.error.message.split('\n')[0] ?? '';
  for (const item of path.items) {
    if (item.status !== 'failed') continue;
    if (item.kind === 'branch') return `branch from ${item.checkpointName} failed`;
    return `${item.name}: ${item.error?.message.split('\n')[0] ?? 'failed'}`;
  }
  return 'failed';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
