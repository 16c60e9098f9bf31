import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisStateManager } from '../../../src/state/redis-state-manager.js';
import { CheckpointNotFoundError } from '../../../src/state/state-errors.js';
import { ConnectionRefusedError } from '../../../src/server/connection-errors.js';
import { REDIS_URL, redisAvailable } from './state-services.js';

const available = await redisAvailable();

describe.skipIf(!available)('RedisStateManager', () => {
  const url = REDIS_URL ?? '';
  const managers: RedisStateManager[] = [];
  let admin: Redis;
  let prefix: string;

  function manager(keyPrefix = prefix): RedisStateManager {
    const state = new RedisStateManager({ connection_url: url, key_prefix: keyPrefix });
    managers.push(state);
    return state;
  }

  async function keysUnder(pattern: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...page);
    } while (cursor !== '0');
    return keys.sort();
  }

  beforeAll(async () => {
    admin = new Redis(url);
    admin.on('error', () => undefined);
    await admin.ping();
    return async () => {
      await admin.quit();
    };
  });

  // Each test works under its own prefix, so runs and tests never see each other's keys.
  afterEach(async () => {
    try {
      for (const state of managers.splice(0)) await state.disconnect();
    } finally {
      const left = await keysUnder(`vqa-test:*`);
      const mine = left.filter(
        (key) => key.startsWith(prefix) || key.startsWith('vqa-test:other:'),
      );
      if (mine.length > 0) await admin.del(...mine);
    }
  });

  function newPrefix(): string {
    prefix = `vqa-test:${randomBytes(4).toString('hex')}:`;
    return prefix;
  }

  async function fillEveryType(p: string): Promise<void> {
    await admin.set(`${p}string`, 'hello');
    await admin.hset(`${p}hash`, { a: '1', b: '2' });
    await admin.rpush(`${p}list`, 'x', 'y', 'z');
    await admin.sadd(`${p}set`, 'm', 'n');
    await admin.zadd(`${p}zset`, 1, 'one', 2, 'two');
    await admin.xadd(`${p}stream`, '1-1', 'field', 'value');
    await admin.set(Buffer.from(`${p}bin\xff\x00key`, 'latin1'), Buffer.from([0, 1, 2, 255]));
    await admin.set(`${p}expiring`, 'soon', 'PX', 60_000);
  }

  async function snapshotOf(p: string): Promise<unknown> {
    return {
      string: await admin.get(`${p}string`),
      hash: await admin.hgetall(`${p}hash`),
      list: await admin.lrange(`${p}list`, 0, -1),
      set: (await admin.smembers(`${p}set`)).sort(),
      zset: await admin.zrange(`${p}zset`, 0, -1, 'WITHSCORES'),
      stream: await admin.xrange(`${p}stream`, '-', '+'),
      binary: await admin.getBuffer(Buffer.from(`${p}bin\xff\x00key`, 'latin1')),
      types: await Promise.all(
        ['string', 'hash', 'list', 'set', 'zset', 'stream'].map((k) => admin.type(`${p}${k}`)),
      ),
    };
  }

  it('brings back every type, binary keys and values, and deletes keys created after the checkpoint', async () => {
    const p = newPrefix();
    await fillEveryType(p);
    const before = await snapshotOf(p);
    const state = manager();
    await state.connect();
    await state.checkpoint('filled');
    expect(state.savedKeyCount('filled')).toBe(8);

    await admin.set(`${p}string`, 'changed');
    await admin.hdel(`${p}hash`, 'a');
    await admin.lpop(`${p}list`);
    await admin.del(`${p}set`, `${p}zset`);
    await admin.xadd(`${p}stream`, '2-1', 'more', 'data');
    await admin.del(Buffer.from(`${p}bin\xff\x00key`, 'latin1'));
    await admin.set(`${p}created_later`, 'new');

    await state.rollback('filled');
    expect(await snapshotOf(p)).toEqual(before);
    expect(await admin.exists(`${p}created_later`)).toBe(0);
    expect((await keysUnder(`${p}*`)).length).toBe(8);
  });

  it('keeps expiries: a key with a TTL gets its remaining time back, a key without stays without', async () => {
    const p = newPrefix();
    await admin.set(`${p}session`, 'abc', 'PX', 60_000);
    await admin.set(`${p}forever`, 'x');
    const state = manager();
    await state.connect();
    await state.checkpoint('logged_in');
    await admin.persist(`${p}session`);
    await admin.expire(`${p}forever`, 5);
    await state.rollback('logged_in');
    const ttl = await admin.pttl(`${p}session`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await admin.pttl(`${p}forever`)).toBe(-1);
  });

  it('touches only keys under its prefix, matched literally', async () => {
    const p = newPrefix();
    const other = 'vqa-test:other:';
    await admin.set(`${p}mine`, '1');
    await admin.set(`${other}theirs`, '1');
    // A '*' in the prefix is not a wildcard.
    const starred = manager(`${p}*`);
    await starred.connect();
    await starred.checkpoint('empty');
    expect(starred.savedKeyCount('empty')).toBe(0);
    const state = manager();
    await state.connect();
    await state.checkpoint('start');
    await admin.set(`${other}theirs`, '2');
    await state.rollback('start');
    expect(await admin.get(`${other}theirs`)).toBe('2');
    await state.reset();
    expect(await admin.exists(`${p}mine`)).toBe(0);
    expect(await admin.get(`${other}theirs`)).toBe('2');
  });

  it('rolls back to any checkpoint in any order; release drops only the copy', async () => {
    const p = newPrefix();
    const state = manager();
    await state.connect();
    await admin.set(`${p}step`, '1');
    await state.checkpoint('one');
    await admin.set(`${p}step`, '2');
    await state.checkpoint('two');
    await state.rollback('one');
    expect(await admin.get(`${p}step`)).toBe('1');
    await state.rollback('two');
    expect(await admin.get(`${p}step`)).toBe('2');
    await state.release('one');
    expect(state.checkpoints).toEqual(['two']);
    expect(await admin.get(`${p}step`)).toBe('2');
    await expect(state.rollback('one')).rejects.toBeInstanceOf(CheckpointNotFoundError);
  });

  it('reset() deletes every key under the prefix (more than one SCAN page) and forgets checkpoints', async () => {
    const p = newPrefix();
    const pipeline = admin.pipeline();
    for (let i = 0; i < 1200; i++) pipeline.set(`${p}k${i}`, String(i));
    await pipeline.exec();
    const state = manager();
    await state.connect();
    await state.checkpoint('many');
    expect(state.savedKeyCount('many')).toBe(1200);
    await admin.del(`${p}k7`);
    await state.rollback('many');
    expect(await admin.get(`${p}k7`)).toBe('7');
    await state.reset();
    expect(await keysUnder(`${p}*`)).toEqual([]);
    expect(state.checkpoints).toEqual([]);
  });

  it("without key_prefix, touches only VenomQA's qa: keys: reset() leaves the rest of the database alone", async () => {
    // A database number of its own: reset() here deletes every qa: key in it.
    const own = new URL(url);
    own.pathname = '/13';
    const other = new Redis(own.toString());
    other.on('error', () => undefined);
    const foreign = `app:${randomBytes(4).toString('hex')}`;
    try {
      await other.set(foreign, 'keep me');
      await other.set('qa:cart', 'test data');
      const state = new RedisStateManager({ connection_url: own.toString() });
      managers.push(state);
      await state.connect();
      await state.checkpoint('start');
      expect(state.savedKeyCount('start')).toBe(1);
      await state.reset();
      expect(await other.get(foreign)).toBe('keep me');
      expect(await other.get('qa:cart')).toBeNull();
    } finally {
      await other.del(foreign, 'qa:cart');
      await other.quit();
    }
  });

  it('fails to connect with a typed error that hides the password', async () => {
    const state = new RedisStateManager('redis://:hunter2-secret@127.0.0.1:1/0');
    managers.push(state);
    const error = await state.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect((error as Error).message).toContain('Connection refused to redis://');
    expect((error as Error).message).toContain('redis://:***@127.0.0.1:1/0');
    expect((error as Error).message).not.toContain('hunter2-secret');
    expect(state.isConnected()).toBe(false);
  });
});
