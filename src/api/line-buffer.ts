/** Lines of output kept per API instance unless told otherwise. */
export const DEFAULT_LOG_CAPACITY = 2000;
/** Lines of output a start error shows. */
export const START_ERROR_LOG_LINES = 40;
/** Longer lines are cut: one runaway line (a minified bundle, a binary dump) must not eat memory. */
export const MAX_LINE_LENGTH = 8192;

/**
 * The last `capacity` lines an API wrote, stdout and stderr interleaved in arrival order. A
 * fixed ring, so a chatty API that runs for an hour keeps constant memory.
 */
export class LineBuffer {
  readonly #capacity: number;
  readonly #lines: string[] = [];
  // Where the oldest line is once the ring is full.
  #head = 0;

  constructor(capacity: number) {
    this.#capacity = Math.max(0, Math.floor(capacity));
  }

  push(line: string): void {
    if (this.#capacity === 0) return;
    if (this.#lines.length < this.#capacity) {
      this.#lines.push(line);
      return;
    }
    this.#lines[this.#head] = line;
    this.#head = (this.#head + 1) % this.#capacity;
  }

  /** The last `count` lines, oldest first. */
  last(count: number): string[] {
    if (count <= 0) return [];
    const ordered =
      this.#head === 0
        ? this.#lines
        : [...this.#lines.slice(this.#head), ...this.#lines.slice(0, this.#head)];
    return ordered.slice(-count);
  }
}

/**
 * Cuts one stream's text into lines as chunks arrive (a chunk may end mid-line). Each stream
 * needs its own splitter so a partial stdout line is never glued to a stderr line.
 */
export class LineSplitter {
  readonly #onLine: (line: string) => void;
  #pending = '';
  // A line already emitted because it was too long: drop the rest of it.
  #discarding = false;

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  write(chunk: string): void {
    const lines = (this.#pending + chunk).split('\n');
    this.#pending = lines.pop() ?? '';
    for (const line of lines) {
      if (this.#discarding) this.#discarding = false;
      else this.#emit(line);
    }
    if (this.#discarding) this.#pending = '';
    else if (this.#pending.length > MAX_LINE_LENGTH) {
      this.#emit(this.#pending);
      this.#pending = '';
      this.#discarding = true;
    }
  }

  /** Emit a last line that has no newline (the stream ended). */
  end(): void {
    if (this.#pending !== '') this.#emit(this.#pending);
    this.#pending = '';
    this.#discarding = false;
  }

  #emit(line: string): void {
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    this.#onLine(
      clean.length > MAX_LINE_LENGTH ? `${clean.slice(0, MAX_LINE_LENGTH)}… (line cut)` : clean,
    );
  }
}
