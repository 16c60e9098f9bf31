/** Lines kept for the error when a build fails. */
export const BUILD_TAIL_LINES = 25;
/** Longest step line shown: a long `RUN` script is cut, its whitespace runs collapsed. */
export const STEP_LINE_CHARS = 120;

/**
 * The output of one build: every line goes to `debug` and into a tail kept for the error; a
 * line per build step goes to `onStep` for the user. Steps are recognised in both builders'
 * output:
 *
 * - BuildKit (`--progress=plain`): `#7 [stage-0 3/5] RUN npm ci` (once per step number), its
 *   `ERROR` lines, and `transferring context: 1.2MB` (what was sent).
 * - Classic builder: `Step 3/5 : RUN npm ci`.
 *
 * @example
 * ```ts
 * const output = new BuildOutput((line) => console.error(line));
 * output.push('#5 [2/3] RUN make');  // onStep('  [2/3] RUN make')
 * output.tail();                     // ['#5 [2/3] RUN make']
 * ```
 */
export class BuildOutput {
  readonly #onStep: ((line: string) => void) | undefined;
  readonly #debug: ((line: string) => void) | undefined;
  readonly #tail: string[] = [];
  readonly #stepsShown = new Set<string>();
  /** BuildKit's step that uploads the context (its number differs between versions). */
  readonly #contextSteps = new Set<string>();

  constructor(onStep?: (line: string) => void, debug?: (line: string) => void) {
    this.#onStep = onStep;
    this.#debug = debug;
  }

  /** One line of builder output (a chunk with newlines is split). */
  push(text: string): void {
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trimEnd();
      if (line.trim() === '') continue;
      this.#debug?.(line);
      // BuildKit prints a sha256 line per step: noise in an error's tail.
      if (/^#\d+ sha256:[0-9a-f]+$/.test(line)) continue;
      this.#tail.push(line);
      if (this.#tail.length > BUILD_TAIL_LINES) this.#tail.shift();
      const step = this.#stepLine(line);
      if (step !== undefined) this.#onStep?.(shorten(step));
    }
  }

  #stepLine(line: string): string | undefined {
    const buildkit = /^#(\d+) (.*)$/.exec(line);
    if (buildkit === null) {
      // The classic builder turns venomqa's labels into steps of their own: not the user's.
      const classic = /^Step \d+\/\d+ : (?!LABEL dev\.venomqa\.)/.test(line);
      return classic ? `  ${line}` : undefined;
    }
    const [, id = '', rest = ''] = buildkit;
    if (rest === '[internal] load build context') this.#contextSteps.add(id);
    if (rest.startsWith('[') && !rest.startsWith('[internal]')) {
      if (this.#stepsShown.has(id)) return undefined;
      this.#stepsShown.add(id);
      return `  ${rest}`;
    }
    if (rest.startsWith('ERROR')) return `  ${rest}`;
    const sent = /^transferring context: (.*?) done$/.exec(rest);
    if (sent !== null && this.#contextSteps.has(id)) {
      return `  context sent to the builder: ${sent[1] ?? ''}`;
    }
    return undefined;
  }

  /** The last lines, oldest first. */
  tail(): string[] {
    return [...this.#tail];
  }
}

function shorten(line: string): string {
  const text = line.replace(/(\S)\s{2,}/g, '$1 ');
  return text.length > STEP_LINE_CHARS ? `${text.slice(0, STEP_LINE_CHARS - 1)}…` : text;
}
