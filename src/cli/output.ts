import { inspect } from 'node:util';
import { isVenomQAError } from '../errors/index.js';

/**
 * Where the CLI writes: data on stdout, progress and logs on stderr. With `--json`, stdout gets
 * exactly one JSON document and nothing else.
 */
export class Output {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly #stdout: NodeJS.WritableStream;
  readonly #stderr: NodeJS.WritableStream;

  constructor(options: {
    json: boolean;
    verbose: boolean;
    stdout?: NodeJS.WritableStream;
    stderr?: NodeJS.WritableStream;
  }) {
    this.json = options.json;
    this.verbose = options.verbose;
    this.#stdout = options.stdout ?? process.stdout;
    this.#stderr = options.stderr ?? process.stderr;
  }

  /** A progress line for humans (stderr). */
  progress(line: string): void {
    this.#stderr.write(`${line}\n`);
  }

  /** Print the command's result: `text` for humans, `data` as the JSON document. */
  result(data: unknown, text: string): void {
    if (this.json) this.#stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else if (text) this.#stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Report an error: code, message, hint; the cause chain only with --verbose. */
  error(error: unknown): void {
    if (this.json) {
      const body = isVenomQAError(error)
        ? { code: error.code, message: error.message, hint: error.hint ?? null }
        : {
            code: 'VENOMQA_INTERNAL',
            message: error instanceof Error ? error.message : String(error),
            hint: null,
          };
      this.#stdout.write(`${JSON.stringify({ error: body }, null, 2)}\n`);
      return;
    }
    if (isVenomQAError(error)) {
      this.#stderr.write(`error ${error.code}: ${error.message}\n`);
      if (error.hint) this.#stderr.write(`hint: ${error.hint}\n`);
      if (this.verbose && error.cause !== undefined) {
        this.#stderr.write(`cause: ${inspect(error.cause, { depth: 4 })}\n`);
      }
      return;
    }
    this.#stderr.write(
      `internal error: ${error instanceof Error ? (error.stack ?? error.message) : inspect(error)}\n`,
    );
    this.#stderr.write('hint: this is a bug in venomqa; please report it with the output above.\n');
  }
}
