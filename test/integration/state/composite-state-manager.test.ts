import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { CompositeStateManager } from '../../../src/state/composite-state-manager.js';
import { PostgreSQLStateManager } from '../../../src/state/postgres-savepoint-state-manager.js';
import { RedisStateManager } from '../../../src/state/redis-state-manager.js';
import { CompositeStateError } from '../../../src/state/state-errors.js';
import { freshDatabase, startTestPostgres } from './embedded-server.js';
import { REDIS_URL, redisAvailable } from './state-services.js';

const available = await redisAvailable();

describe.skipIf(!available)('CompositeStateManager: PostgreSQL and Redis together', () => {
  let server: PostgresServer;
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Redis;
  let state: CompositeStateManager | undefined;
  const prefix = `vqa-test:${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    server = await startTestPostgres();
    database = await freshDatabase(server);
    await queryOnce(database.url, 'create table carts (id int primary key, items int not null)');
    admin = new Redis(REDIS_URL ?? '');
    admin.on('error', () => undefined);
  });

  afterAll(async () => {
    try {
      await admin?.quit();
    } finally {
      await server?.stop();
    }
  });

  afterEach(async () => {
    try {
      await state?.disconnect();
      state = undefined;
    } finally {
      const [, keys] = await admin.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 10_000);
      if (keys.length > 0) await admin.del(...keys);
    }
  });

  function composite(): CompositeStateManager {
    state = new CompositeStateManager({
      postgres: new PostgreSQLStateManager({ connection_url: database.url }),
      redis: new RedisStateManager({ connection_url: REDIS_URL ?? '', key_prefix: prefix }),
    });
    return state;
  }

  it('rolls back both stores to one checkpoint', async () => {
    const both = composite();
    await both.connect();
    const db = both.part<PostgreSQLStateManager>('postgres');
    await db.query('insert into carts values (1, 1)');
    await admin.hset(`${prefix}cart:1`, { items: '1' });
    await both.checkpoint('cart_filled');

    await db.query('update carts set items = 5');
    await admin.hset(`${prefix}cart:1`, { items: '5' });
    await admin.set(`${prefix}coupon`, 'SAVE10');

    await both.rollback('cart_filled');
    expect((await db.query('select items from carts')).rows).toEqual([{ items: 1 }]);
    expect(await admin.hgetall(`${prefix}cart:1`)).toEqual({ items: '1' });
    expect(await admin.exists(`${prefix}coupon`)).toBe(0);

    await both.release('cart_filled');
    expect(both.part<RedisStateManager>('redis').checkpoints).toEqual([]);
    expect(db.checkpoints).toEqual([]);
  });

  it('fails as a whole when one part fails, naming it and undoing the other', async () => {
    const both = composite();
    await both.connect();
    const db = both.part<PostgreSQLStateManager>('postgres');
    // An aborted transaction refuses SAVEPOINT: the PostgreSQL part fails, Redis is undone.
    await db.query('select 1/0').catch(() => undefined);
    const error = await both.checkpoint('broken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompositeStateError);
    expect((error as CompositeStateError).part).toBe('postgres');
    expect((error as CompositeStateError).message).toContain(
      "checkpoint('broken') failed on part 'postgres'",
    );
    expect((error as CompositeStateError).cause).toMatchObject({ code: '25P02' });
    expect(both.part<RedisStateManager>('redis').checkpoints).toEqual([]);
    expect(both.checkpoints).toEqual([]);
  });
});
