import { execa } from 'execa';
import createDebug from 'debug';
import { redactText } from '../redaction/index.js';
import { messageOf } from '../errors/venomqa-error.js';
import { LineBuffer, LineSplitter } from './line-buffer.js';
import { signalAll, stopProcesses } from '../process-liveness.js';
import { descendantsOf } from './process-tree.js';
import type { PortReservation } from './reserve-port.js';
import type { TargetInstance } from './target.js';

const debug = createDebug('venomqa:target:process');

export interface ApiProcessOptions {
  argv: readonly string[];
  /** Added to this process's environment. */
  env: Readonly<Record<string, string>>;
  cwd: string;
  label: string;
  baseUrl: string;
  /** `<baseUrl><api.health>`. */
  healthUrl?: string;
  /** Masked in every captured line (the clone's password). */
  secrets: readonly string[];
  logCapacity: number;
  stopGraceMs: number;
  /** Given back once the process has exited. */
  port: PortReservation;
}

/**
 * One running API process for one path. Its stdout and stderr lines (passwords masked) are
 * kept in a bounded ring. `release()` sends SIGTERM, waits `stopGraceMs`, then SIGKILLs, and
 * resolves only once the process and anything it started have exited.
 */
/** Set in every API process's environment to the pid of the venomqa that started it. */
export const API_OWNER_ENV = 'VENOMQA_OWNER_PID';

export class ApiProcess implements TargetInstance {
  readonly baseUrl: string;
  readonly healthUrl: string | undefined;
  /** The id of the process venomqa started (undefined if it could not be started). */
  readonly pid: number | undefined;
  readonly #subprocess;
  readonly #buffer: LineBuffer;
  readonly #exited: Promise<void>;
  readonly #options: ApiProcessOptions;
  #exitReason: string | undefined;
  #released: Promise<void> | undefined;

  constructor(options: ApiProcessOptions) {
    this.#options = options;
    this.baseUrl = options.baseUrl;
    this.healthUrl = options.healthUrl;
    this.#buffer = new LineBuffer(options.logCapacity);
    const [file, ...args] = options.argv;
    this.#subprocess = execa(file ?? '', args, {
      cwd: options.cwd,
      // The marker lets `venomqa prune` find this process if venomqa dies without releasing it.
      env: { ...options.env, [API_OWNER_ENV]: String(process.pid) },
      // As in npm scripts: `tsx server.ts` finds node_modules/.bin of cwd.
      preferLocal: true,
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      // We read the streams ourselves into the ring; execa must not keep a copy.
      buffer: false,
      reject: false,
      // Killed if venomqa exits without releasing; stays in our process group so Ctrl-C in a
      // terminal reaches it too.
      cleanup: true,
      detached: false,
      // release() escalates to SIGKILL itself, for the whole tree.
      forceKillAfterDelay: false,
      windowsHide: true,
    });
    this.pid = this.#subprocess.pid;
    const push = (line: string): void => {
      const safe = redactText(line, options.secrets);
      this.#buffer.push(safe);
      debug('[%s] %s', options.label, safe);
    };
    for (const stream of [this.#subprocess.stdout, this.#subprocess.stderr]) {
      const splitter = new LineSplitter(push);
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => splitter.write(chunk));
      stream.on('end', () => splitter.end());
    }
    this.#exited = this.#subprocess.then(
      (result) => {
        this.#exitReason = describeExit(result, options.secrets);
        debug('[%s] %s', options.label, this.#exitReason);
      },
      (error: unknown) => {
        // reject: false makes this unreachable short of a bug in execa; record it all the same.
        this.#exitReason = `failed: ${redactText(messageOf(error), options.secrets)}`;
      },
    );
  }

  /** Why the process is no longer running (`exited with code 1`), or undefined while it runs. */
  get exitReason(): string | undefined {
    return this.#exitReason;
  }

  stopped(): Promise<string | undefined> {
    return Promise.resolve(this.#exitReason);
  }

  logs(count: number): Promise<string[]> {
    return Promise.resolve(this.#buffer.last(count));
  }

  release(): Promise<void> {
    this.#released ??= this.#stop();
    return this.#released;
  }

  async #stop(): Promise<void> {
    const grace = this.#options.stopGraceMs;
    const deadline = Date.now() + grace;
    try {
      const pid = this.pid;
      if (this.#exitReason !== undefined || pid === undefined) {
        await this.#exited;
        return;
      }
      // Taken before signalling: once the top process exits, its children are re-parented and
      // can no longer be found.
      const tree = descendantsOf(pid);
      this.#subprocess.kill('SIGTERM');
      if (!(await settlesWithin(this.#exited, grace))) {
        debug('[%s] still running %d ms after SIGTERM; SIGKILL', this.#options.label, grace);
        signalAll([pid, ...tree], 'SIGKILL');
      }
      await this.#exited;
      // Children that outlived the top process (it died without passing the signal on):
      // the rest of the grace period, at least a second.
      if (tree.length > 0) debug('[%s] stopping leftover children %o', this.#options.label, tree);
      await stopProcesses(tree, Math.max(deadline - Date.now(), 1000));
    } finally {
      this.#options.port.release();
    }
  }
}

/** True when `promise` settles within `ms`; the timer never outlives the race. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface ExitResult {
  exitCode?: number;
  signal?: string;
  originalMessage?: unknown;
  shortMessage?: unknown;
}

function describeExit(result: ExitResult, secrets: readonly string[]): string {
  if (result.signal !== undefined) return `was killed by ${result.signal}`;
  if (result.exitCode !== undefined) return `exited with code ${result.exitCode}`;
  // Neither: it never ran (ENOENT, EACCES). execa's messages repeat the command line, which
  // may hold the database URL.
  const why =
    typeof result.originalMessage === 'string'
      ? result.originalMessage
      : typeof result.shortMessage === 'string'
        ? result.shortMessage
        : 'unknown error';
  return `could not be started: ${redactText(why, secrets)}`;
}
