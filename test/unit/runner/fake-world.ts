import type { HttpClient } from '../../../src/http/http-client.js';
import type { FakeApi } from './fake-target.js';

/** A database's content: one key-value table is all a runner rule needs to be observed. */
export type FakeData = Map<string, string>;

/** The working database every fake state manager starts from. */
export const WORKING = 'working';

/**
 * One fake PostgreSQL server and the APIs talking to it, in memory: databases are Maps by
 * name, APIs are bound to a database URL. A step reaches "its" database the way a real one
 * does, through the API its client's base URL belongs to, so a step that lands on the wrong
 * API or a database swapped the wrong way sees the wrong data.
 */
export class FakeWorld {
  readonly databases = new Map<string, FakeData>();
  /** Databases kept on purpose (`keep_failed`): allowed to outlive the run. */
  readonly kept = new Set<string>();
  readonly #apis = new Map<string, FakeApi>();
  #serial = 0;

  constructor(working: Record<string, string> = {}) {
    this.databases.set(WORKING, new Map(Object.entries(working)));
  }

  /** A new physical name, `clone_3`; never reused, as the real engine's hashes are not. */
  newName(prefix: string): string {
    this.#serial += 1;
    return `${prefix}_${this.#serial}`;
  }

  url(name: string): string {
    return `fake://server/${name}`;
  }

  nameOf(url: string): string {
    const prefix = 'fake://server/';
    if (!url.startsWith(prefix)) throw new Error(`not a fake database URL: '${url}'`);
    return url.slice(prefix.length);
  }

  /** A copy of database `name` (checkpoints and clones copy; they never share a Map). */
  copy(name: string): FakeData {
    return new Map(this.require(name));
  }

  require(name: string): FakeData {
    const data = this.databases.get(name);
    if (!data) throw new Error(`database "${name}" does not exist`);
    return data;
  }

  /** Drop a database; dropping one that is gone is a bug in the fake's caller. */
  drop(name: string): void {
    if (!this.databases.delete(name)) throw new Error(`dropping "${name}", which does not exist`);
  }

  registerApi(api: FakeApi): void {
    this.#apis.set(api.baseUrl, api);
  }

  /** The API a client's requests reach; throws as a refused connection would. */
  apiOf(client: HttpClient): FakeApi {
    const api = this.#apis.get(client.baseUrl);
    if (!api) throw new Error(`nothing listens at ${client.baseUrl}`);
    if (api.released) throw new Error(`connection refused: ${api.label}'s API was stopped`);
    if (api.death !== undefined) throw new Error(`connection refused: the API ${api.death}`);
    return api;
  }

  /** The database behind the API a client talks to, as that API would read and write it. */
  dataOf(client: HttpClient): FakeData {
    return this.require(this.nameOf(this.apiOf(client).databaseUrl));
  }

  /** Databases other than the working one and those kept: what a finished run must not leave. */
  leftovers(): string[] {
    return [...this.databases.keys()].filter((name) => name !== WORKING && !this.kept.has(name));
  }
}

/** A macrotask: lets concurrent paths interleave as real I/O would. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
