import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { StateBackendRegistry } from '../../../src/state/backend-registry.js';
import { CheckpointNotFoundError } from '../../../src/state/state-errors.js';
import { TemplateStateManager } from '../../../src/state/template-state-manager.js';
import { startTestPostgres } from './embedded-server.js';
import { chooseStrategy } from '../../../src/state/choose-strategy.js';

describe('TemplateStateManager (template clones) on embedded PostgreSQL', () => {
  let server: PostgresServer;
  let url: string;

  beforeAll(async () => {
    server = await startTestPostgres();
    await queryOnce(server.adminUrl, 'create database app');
    url = server.urlFor('app');
    await queryOnce(
      url,
      "create table orders (id serial primary key, status text); insert into orders (status) values ('new')",
    );
  });

  afterAll(async () => {
    await server?.stop();
  });

  const statuses = async (target = url): Promise<string[]> =>
    (await queryOnce<{ status: string }>(target, 'select status from orders order by id')).map(
      (r) => r.status,
    );

  it('strategy auto picks template clones for a CREATEDB role and SAVEPOINT otherwise, saying why', async () => {
    expect(await chooseStrategy('auto', url)).toMatchObject({ strategy: 'template' });
    await queryOnce(server.adminUrl, "create role plain login password 'plain-pw'");
    try {
      const plain = new URL(url);
      plain.username = 'plain';
      plain.password = 'plain-pw';
      const choice = await chooseStrategy('auto', plain.toString());
      expect(choice.strategy).toBe('savepoint');
      expect(choice.reason).toContain("role 'plain' cannot create databases");
      expect(await chooseStrategy('template', plain.toString())).toMatchObject({
        strategy: 'template',
      });
    } finally {
      await queryOnce(server.adminUrl, 'drop role plain');
    }
  });

  it('closes what it opened when connect() fails (a role that may not snapshot the database)', async () => {
    await queryOnce(server.adminUrl, "create role nocreate login password 'nocreate-pw'");
    try {
      const limited = new URL(url);
      limited.username = 'nocreate';
      limited.password = 'nocreate-pw';
      const state = new TemplateStateManager({ connection_url: limited.toString() });
      // The baseline snapshot fails (it may not lock the database out, nor copy it).
      await expect(state.connect()).rejects.toThrow();
      const sessions = await queryOnce(
        server.adminUrl,
        "select pid from pg_stat_activity where usename = 'nocreate'",
      );
      expect(sessions).toEqual([]);
    } finally {
      await queryOnce(server.adminUrl, 'drop role nocreate');
    }
  });

  it('is what db_backend postgresql creates', async () => {
    const state = await StateBackendRegistry.withBuiltins().create('postgresql', {
      connection_url: url,
    });
    expect(state).toBeInstanceOf(TemplateStateManager);
  });

  it('rolls back in any order, resets to the baseline, forks, and leaves no database behind', async () => {
    // The API's own pool: what a SAVEPOINT could never roll back, a restore does.
    const api = new pg.Pool({ connectionString: url, max: 3 });
    api.on('error', () => undefined);
    const state = new TemplateStateManager({ connection_url: url });
    await state.connect();
    try {
      await api.query("insert into orders (status) values ('created')");
      await state.checkpoint('order_created');
      await api.query("update orders set status = 'paid' where status = 'created'");
      await state.checkpoint('order_paid');

      await state.rollback('order_created');
      expect(await statuses()).toEqual(['new', 'created']);
      await state.rollback('order_paid'); // a newer one is still there: independent copies
      expect(await statuses()).toEqual(['new', 'paid']);

      const [a, b] = await state.fork('order_created', 2);
      await queryOnce(a ?? '', "insert into orders (status) values ('only-a')");
      expect(await statuses(a)).toEqual(['new', 'created', 'only-a']);
      expect(await statuses(b)).toEqual(['new', 'created']);

      await state.release('order_paid');
      await expect(state.rollback('order_paid')).rejects.toBeInstanceOf(CheckpointNotFoundError);

      await state.reset();
      expect(await statuses()).toEqual(['new']);
      const { rows } = await api.query<{ n: number }>('select count(*)::int as n from orders');
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await state.disconnect();
      await api.end();
    }
    const left = await queryOnce(
      server.adminUrl,
      "select datname from pg_database where starts_with(datname, 'vqa_')",
    );
    expect(left).toEqual([]);
  });

  it('forks handles that checkpoint and fork again (nested branches), use prewarmed clones, and can be kept', async () => {
    const state = new TemplateStateManager({ connection_url: url });
    await state.connect();
    let kept: string | undefined;
    try {
      const working = state.workingDatabase;
      await working.checkpoint('start');
      working.prewarm('start', 2);
      const [left, right] = await working.clone('start', 2);
      if (!left || !right) throw new Error('expected two forks');
      await queryOnce(left.url, "insert into orders (status) values ('left')");
      // Both paths take a checkpoint of the same name: each is its own snapshot.
      await left.checkpoint('inner');
      await right.checkpoint('inner');
      await queryOnce(left.url, "insert into orders (status) values ('left-after')");
      const [nested] = await left.clone('inner', 1);
      expect(await statuses(nested?.url)).toEqual(['new', 'left']);
      // A fork sees the checkpoints of the databases it came from.
      const [fromOuter] = await left.clone('start', 1);
      expect(await statuses(fromOuter?.url)).toEqual(['new']);
      expect(await statuses(right.url)).toEqual(['new']);
      await nested?.drop();
      await right.keep();
      kept = right.database;
    } finally {
      await state.disconnect();
    }
    const left = await queryOnce<{ datname: string }>(
      server.adminUrl,
      "select datname from pg_database where starts_with(datname, 'vqa_')",
    );
    // Only the kept clone stays, and it still holds its data.
    expect(left.map((r) => r.datname)).toEqual([kept]);
    expect(await statuses(server.urlFor(kept ?? ''))).toEqual(['new']);
    await queryOnce(
      server.adminUrl,
      `drop database ${pg.escapeIdentifier(kept ?? '')} with (force)`,
    );
  });
});
