import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresServer } from '../../src/server/postgres-server.js';
import { queryOnce } from '../../src/server/wait-for-postgres.js';
import { SnapshotEngine } from '../../src/snapshot/snapshot-engine.js';
import { literal } from '../../src/snapshot/sql-identifier.js';
import { startTestPostgres } from '../integration/state/embedded-server.js';
import { printFigures } from './support/figures.js';

/**
 * A DROP DATABASE cut short (its venomqa killed, or its connection terminated, mid-drop) leaves
 * the database marked invalid: PostgreSQL refuses every ALTER on it and only lets it be dropped.
 * Found by the soak (bench/soak.mjs): `venomqa prune` failed with an internal error ("cannot
 * alter invalid database") on every call after one such drop, so leftovers piled up.
 */
describe('a database left invalid by an interrupted DROP (embedded PostgreSQL 18)', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startTestPostgres();
    await queryOnce(server.adminUrl, 'create database app');
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('is dropped by prune once its run is gone, and prune goes on with the rest', async () => {
    const dead = await SnapshotEngine.open({
      adminUrl: server.adminUrl,
      workingDatabase: 'app',
      runId: `rel-invalid-${randomBytes(4).toString('hex')}`,
    });
    await dead.snapshot('app', 'base');
    const [invalid, other] = await dead.clone('base', 2);
    await dead.close(); // the run's lease ends, as when its process dies
    if (!invalid || !other) throw new Error('two clones expected');
    // What PostgreSQL records when a DROP DATABASE is interrupted (DATCONNLIMIT_INVALID_DB).
    await queryOnce(
      server.adminUrl,
      `update pg_database set datconnlimit = -2 where datname = ${literal(invalid.database)}`,
    );

    const engine = await SnapshotEngine.open({
      adminUrl: server.adminUrl,
      workingDatabase: 'app',
      runId: `rel-invalid-pruner-${randomBytes(4).toString('hex')}`,
    });
    try {
      const result = await engine.prune();
      const left = await queryOnce<{ datname: string }>(
        server.adminUrl,
        `select datname from pg_database where datname in (${literal(invalid.database)}, ${literal(other.database)})`,
      );
      printFigures(
        'crash',
        `prune with a database left invalid by an interrupted DROP: ${result.dropped.length} dropped, ${left.length} of the dead run's 2 clones left`,
      );
      expect(result.dropped).toEqual(expect.arrayContaining([invalid.database, other.database]));
      expect(left).toEqual([]);
      await engine.drop('base');
    } finally {
      await engine.close();
    }
  });
});
