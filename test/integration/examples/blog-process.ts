import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { findFreePort } from '../../../src/free-port.js';
import { BLOG_DIR, BLOG_SERVER, EXAMPLE_JWT_SECRET } from './blog-fixture.js';

export interface Reply<T> {
  status: number;
  body: T;
  headers: Headers;
}

export type CallOptions = { body?: unknown; raw?: string; token?: string };

/** A client for one running blog API; `token` is sent as a bearer token when given. */
export function blogClient(baseUrl: string) {
  return async function call<T = { error: string }>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<Reply<T>> {
    const hasBody = options.raw !== undefined || options.body !== undefined;
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(options.raw !== undefined
        ? { body: options.raw }
        : options.body !== undefined
          ? { body: JSON.stringify(options.body) }
          : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
      headers: response.headers,
    };
  };
}
export type BlogClient = ReturnType<typeof blogClient>;

/** The blog API as a real child process, started the way venomqa's process target does. */
export class BlogProcess {
  readonly output: string[] = [];
  readonly call: BlogClient;
  #exited = false;

  private constructor(
    readonly child: ResultPromise<{ reject: false }>,
    readonly baseUrl: string,
  ) {
    this.call = blogClient(baseUrl);
    const record = (chunk: Buffer) => this.output.push(chunk.toString());
    child.stdout?.on('data', record);
    child.stderr?.on('data', record);
    void child.then(() => (this.#exited = true));
  }

  /** Starts `node server.js` on `databaseUrl` and waits for `GET /health` to answer 200. */
  static async start(databaseUrl: string): Promise<BlogProcess> {
    const port = await findFreePort();
    const child = execa(process.execPath, [BLOG_SERVER], {
      cwd: BLOG_DIR,
      env: {
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        JWT_SECRET: EXAMPLE_JWT_SECRET,
      },
      reject: false,
    });
    const blog = new BlogProcess(child, `http://127.0.0.1:${port}`);
    try {
      await blog.#waitForHealthy();
    } catch (error) {
      await blog.kill();
      throw error;
    }
    return blog;
  }

  get log(): string {
    return this.output.join('');
  }

  get exited(): boolean {
    return this.#exited;
  }

  async stop(signal: NodeJS.Signals) {
    this.child.kill(signal);
    return this.child;
  }

  /** For `finally`: whatever happened, the process is gone afterwards. */
  async kill(): Promise<void> {
    if (!this.#exited) this.child.kill('SIGKILL');
    await this.child;
  }

  async #waitForHealthy(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (this.#exited) {
        const { exitCode } = await this.child;
        throw new Error(`the blog API exited with ${exitCode} before it was healthy:\n${this.log}`);
      }
      const status = await fetch(`${this.baseUrl}/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      if (Date.now() > deadline) {
        throw new Error(`${this.baseUrl}/health did not answer 200 in 30 s:\n${this.log}`);
      }
      await sleep(100);
    }
  }
}

/** Registers `username` and logs in; returns the bearer token. */
export async function signUp(call: BlogClient, username: string): Promise<string> {
  const email = `${username}@example.test`;
  const password = 'correct horse battery';
  const created = await call('POST', '/users', { body: { username, email, password } });
  if (created.status !== 201) throw new Error(`registering ${username}: ${created.status}`);
  const login = await call<{ token: string }>('POST', '/users/login', {
    body: { email, password },
  });
  if (login.status !== 200) throw new Error(`logging in ${username}: ${login.status}`);
  return login.body.token;
}
