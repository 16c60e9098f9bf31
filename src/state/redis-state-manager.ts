import type { Redis } from 'ioredis';
import createDebug from 'debug';
import { redactText, redactUrl } from '../redaction/index.js';
import { messageOf } from '../errors/venomqa-error.js';
import { connectionFailure } from '../server/connection-failure.js';
import { StateConfigError, StateConnectionError } from './state-errors.js';
import {
  BaseStateManager,
  type CheckpointOrder,
  type StateManagerOptions,
} from './base-state-manager.js';

const debug = createDebug('venomqa:state:redis');

/** VenomQA's default `key_prefix`. */
export const DEFAULT_KEY_PREFIX = 'qa:';

/** Keys per SCAN page, per DUMP/RESTORE pipeline and per UNLINK. */
const BATCH = 500;

/** Options of {@link RedisStateManager}, named as VenomQA documents them. */
export interface RedisStateManagerOptions extends StateManagerOptions {
  /** `redis://[:password@]host:6379/0` or `rediss://…` for TLS. */
  connection_url: string;
  /**
   * Only keys starting with this prefix are checkpointed, restored and reset (matched
   * literally: `*`, `?` and `[` in it are not wildcards). Default `qa:`, as VenomQA's: a
   * default that covered every key would let `reset()` delete data that is not the test's.
   * `''` (every key of the URL's database) must be written out.
   */
  key_prefix?: string;
}

/** One key as `checkpoint()` found it: its serialized value and remaining lifetime. */
interface SavedKey {
  key: Buffer;
  value: Buffer;
  /** Milliseconds left at checkpoint time; 0 for a key without expiry (RESTORE's "none"). */
  ttl: number;
}

/**
 * The `SCAN MATCH` pattern selecting every key that starts with `prefix`, with the glob
 * characters of the prefix escaped so they match themselves.
 *
 * @example
 * ```ts
 * redisMatchPattern('cart:'); // 'cart:*'
 * redisMatchPattern('a*b'); // 'a\\*b*'
 * ```
 */
export function redisMatchPattern(prefix: string): string {
  return `${prefix.replace(/[\\*?[\]]/g, '\\$&')}*`;
}

/**
 * Redis backend (`db_backend: redis`). `checkpoint()` walks the prefix's keys with `SCAN`
 * (never `KEYS`, which blocks the server) and keeps each key's `DUMP` and `PTTL` in this
 * process's memory; `rollback()` deletes the prefix's current keys (`UNLINK`) and `RESTORE`s
 * the saved ones with `REPLACE`, so every type (strings, hashes, lists, sets, sorted sets,
 * streams) and every expiry comes back. A key's remaining lifetime is the one it had at
 * checkpoint time. `release()` drops the saved copy; `reset()` deletes the prefix's keys.
 *
 * Checkpoints are independent copies: roll back to any of them, in any order. Limits: a
 * checkpoint costs memory in this process about the size of the keys it copies; `SCAN` is not a
 * point-in-time snapshot, so writes made by others while a checkpoint or rollback runs may or
 * may not be included; Redis Cluster is not supported (one node, one database).
 *
 * @example
 * ```ts
 * const cache = new RedisStateManager({
 *   connection_url: 'redis://127.0.0.1:6379/0',
 *   key_prefix: 'cart:',
 * });
 * await cache.connect();
 * try {
 *   await cache.client.hset('cart:42', { items: '1' });
 *   await cache.checkpoint('cart_filled');
 *   await cache.client.del('cart:42');
 *   await cache.rollback('cart_filled'); // cart:42 is back, with its TTL
 * } finally {
 *   await cache.disconnect();
 * }
 * ```
 */
export class RedisStateManager extends BaseStateManager {
  protected override readonly checkpointOrder: CheckpointOrder = 'independent';
  override readonly connectionUrl: string;
  readonly keyPrefix: string;
  #client: Redis | undefined;
  readonly #saved = new Map<string, SavedKey[]>();

  constructor(options: RedisStateManagerOptions | string) {
    const resolved = typeof options === 'string' ? { connection_url: options } : options;
    super(resolved);
    this.connectionUrl = checkRedisUrl(resolved.connection_url);
    const prefix = resolved.key_prefix ?? DEFAULT_KEY_PREFIX;
    if (typeof prefix !== 'string' || prefix.includes('\0')) {
      throw new StateConfigError('key_prefix must be a string without NUL characters');
    }
    this.keyPrefix = prefix;
  }

  /** The ioredis client, for code that shares it. Throws before `connect()`. */
  get client(): Redis {
    this.requireConnected('client');
    return this.#client as Redis;
  }

  /** How many keys the checkpoint `name` holds (undefined when there is no such checkpoint). */
  savedKeyCount(name: string): number | undefined {
    return this.#saved.get(name)?.length;
  }

  protected override async connectBackend(): Promise<void> {
    // ioredis loads with the first connection, not with every import of venomqa/state.
    const { Redis } = await import('ioredis');
    const client = new Redis(this.connectionUrl, {
      lazyConnect: true,
      // A short blip reconnects; a server that stays away ends the client ('end' below).
      retryStrategy: (attempt) => (attempt > 3 ? null : attempt * 100),
      maxRetriesPerRequest: 1,
    });
    // ioredis emits 'error' for every failed attempt; without a listener Node crashes. The
    // last one says why connect() failed (connect() itself only says the connection closed).
    let lastError: unknown;
    client.on('error', (error: unknown) => {
      lastError = error;
      debug('redis client error: %s', messageOf(error));
    });
    client.on('end', () => {
      if (this.#client === client) this.connectionLost(new Error('the Redis connection ended'));
    });
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      client.disconnect();
      const target = {
        url: this.connectionUrl,
        kind: 'redis' as const,
        purpose: 'RedisStateManager.connect()',
      };
      const failure = connectionFailure(error, target) ?? connectionFailure(lastError, target);
      if (failure !== undefined) throw failure;
      throw new StateConnectionError(
        `RedisStateManager cannot connect to ${redactUrl(this.connectionUrl)}: ${redactText(messageOf(error))}`,
        { cause: error, hint: 'Check connection_url and that redis-server is running.' },
      );
    }
    this.#client = client;
    if (this.keyPrefix === '') {
      this.log(
        `key_prefix is '': checkpoints and reset() cover every key of ${redactUrl(this.connectionUrl)}`,
      );
    }
  }

  protected override async disconnectBackend(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    this.#saved.clear();
    if (client === undefined) return;
    await client.quit().catch(() => client.disconnect());
  }

  protected override async createCheckpoint(name: string): Promise<void> {
    const client = this.client;
    const saved: SavedKey[] = [];
    for (const batch of chunks(await this.#scanKeys(), BATCH)) {
      const pipeline = client.pipeline();
      for (const key of batch) pipeline.dumpBuffer(key).pttl(key);
      const replies = await pipeline.exec();
      batch.forEach((key, index) => {
        const value = reply(replies, index * 2) as Buffer | null;
        const pttl = reply(replies, index * 2 + 1) as number;
        // Gone between SCAN and DUMP (expired or deleted by someone else): nothing to keep.
        if (value === null || pttl === -2) return;
        saved.push({ key, value, ttl: pttl === -1 ? 0 : Math.max(1, pttl) });
      });
    }
    this.#saved.set(name, saved);
    this.log(`Saved ${saved.length} key${saved.length === 1 ? '' : 's'} under '${this.keyPrefix}'`);
  }

  protected override async rollbackToCheckpoint(name: string): Promise<void> {
    const saved = this.#saved.get(name) ?? [];
    const client = this.client;
    await this.#deleteKeys();
    for (const batch of chunks(saved, BATCH)) {
      const pipeline = client.pipeline();
      for (const entry of batch) pipeline.restore(entry.key, entry.ttl, entry.value, 'REPLACE');
      const replies = await pipeline.exec();
      batch.forEach((_entry, index) => reply(replies, index));
    }
  }

  protected override releaseCheckpoint(name: string): Promise<void> {
    this.#saved.delete(name);
    return Promise.resolve();
  }

  protected override async resetState(): Promise<void> {
    this.#saved.clear();
    const deleted = await this.#deleteKeys();
    this.log(`Deleted ${deleted} key${deleted === 1 ? '' : 's'} under '${this.keyPrefix}'`);
  }

  /** Every key under the prefix, each once (SCAN may return a key twice). */
  async #scanKeys(): Promise<Buffer[]> {
    const client = this.client;
    const pattern = redisMatchPattern(this.keyPrefix);
    const keys = new Map<string, Buffer>();
    let cursor = '0';
    do {
      const [next, page] = await client.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', BATCH);
      cursor = next.toString();
      // latin1 maps each byte to one character: a lossless map key for binary key names.
      for (const key of page) keys.set(key.toString('latin1'), key);
    } while (cursor !== '0');
    return [...keys.values()];
  }

  async #deleteKeys(): Promise<number> {
    let deleted = 0;
    for (const batch of chunks(await this.#scanKeys(), BATCH)) {
      deleted += await this.client.unlink(...batch);
    }
    return deleted;
  }
}

function checkRedisUrl(url: unknown): string {
  if (typeof url !== 'string' || url === '') {
    throw new StateConfigError(
      'RedisStateManager needs connection_url, e.g. redis://127.0.0.1:6379/0',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new StateConfigError(`connection_url is not a URL: ${redactUrl(url)}`, { cause: error });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new StateConfigError(
      `connection_url must start with redis:// or rediss://, got ${redactUrl(url)}`,
    );
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) {
    throw new StateConfigError(
      `connection_url must name a database number as its path (redis://host:6379/0), got ${redactUrl(url)}`,
    );
  }
  return url;
}

/** The value of reply `index` of a pipeline, throwing the command's error if it failed. */
function reply(replies: [Error | null, unknown][] | null, index: number): unknown {
  const entry = replies?.[index];
  if (entry === undefined) throw new Error(`Redis pipeline returned no reply ${index}`);
  const [error, value] = entry;
  if (error) throw error;
  return value;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) {
    result.push(items.slice(index, index + size));
  }
  return result;
}
