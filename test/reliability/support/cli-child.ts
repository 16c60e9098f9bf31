import { execa, type ResultPromise } from 'execa';
import { CLI } from '../../integration/support/run-cli.js';

export interface CliExit {
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
}

/**
 * The built CLI as a child process whose output can be waited on while it runs: to kill it at a
 * chosen moment (a marker line on stderr), or to time how long it takes to stop.
 */
export class CliChild {
  readonly pid: number;
  readonly exited: Promise<CliExit>;
  #stdout = '';
  #stderr = '';
  #waiters: (() => void)[] = [];
  readonly #child: ResultPromise;

  /**
   * `ownProcessGroup`: the CLI leads a process group of its own, as a command typed in a
   * terminal does, so that `signalGroup` reaches it and everything it started in its group.
   */
  constructor(
    args: readonly string[],
    cwd: string,
    env: Record<string, string | undefined>,
    options: { ownProcessGroup?: boolean } = {},
  ) {
    this.#child = execa('node', [CLI, ...args], {
      cwd,
      env,
      extendEnv: false,
      reject: false,
      buffer: false,
      stdin: 'ignore',
      detached: options.ownProcessGroup ?? false,
    });
    if (this.#child.pid === undefined) throw new Error('the CLI did not start');
    this.pid = this.#child.pid;
    this.#child.stdout?.setEncoding('utf8');
    this.#child.stderr?.setEncoding('utf8');
    this.#child.stdout?.on('data', (chunk: string) => {
      this.#stdout += chunk;
      this.#wake();
    });
    this.#child.stderr?.on('data', (chunk: string) => {
      this.#stderr += chunk;
      this.#wake();
    });
    this.exited = this.#child.then((result) => ({
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: this.#stdout,
      stderr: this.#stderr,
    }));
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /**
   * Resolves when stderr matches `pattern`; false when the process exits or `timeoutMs` passes
   * first.
   */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    void this.exited.then(() => {
      done = true;
      this.#wake();
    });
    while (!pattern.test(this.#stderr)) {
      if (done || Date.now() >= deadline) return pattern.test(this.#stderr);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(200, deadline - Date.now()));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  /** `signal` to the CLI's whole process group, as Ctrl-C in a terminal sends SIGINT. */
  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.pid, signal);
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
