import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresServer } from '../../src/server/postgres-server.js';
import { queryOnce } from '../../src/server/wait-for-postgres.js';
import { SnapshotEngine } from '../../src/snapshot/snapshot-engine.js';
import { snapshotPhysicalName, validateSnapshotName } from '../../src/snapshot/snapshot-names.js';
import { Checkpoint } from '../../src/journey/journey-builders.js';
import { PostgreSQLStateManager } from '../../src/state/postgres-savepoint-state-manager.js';
import { TemplateStateManager } from '../../src/state/template-state-manager.js';
import { startTestPostgres } from '../integration/state/embedded-server.js';
import { runCli } from '../integration/support/run-cli.js';
import { cliEnv, tempProject } from '../reliability/support/temp-project.js';
import { iterations, msSince, printFigures } from '../reliability/support/figures.js';
import { hostileNames } from './support/hostile-names.js';
import { NameOutcomes } from './support/name-outcomes.js';

// The 10,000 names under VENOMQA_RELIABILITY_FULL=1; fewer of the same kinds in CI.
const NAMES = hostileNames(iterations(10_000, 1_500));

/** Every database on the server, by name. */
async function databases(adminUrl: string): Promise<Set<string>> {
  const rows = await queryOnce<{ datname: string }>(adminUrl, 'select datname from pg_database');
  return new Set(rows.map((r) => r.datname));
}

describe('hostile names against the snapshot engine and the state backends (embedded PostgreSQL 18)', () => {
  let server: PostgresServer;
  let engine: SnapshotEngine;
  let before: Set<string>;
  const runId = `sec-names-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    server = await startTestPostgres();
    await queryOnce(server.adminUrl, 'create database app');
    await queryOnce(
      server.urlFor('app'),
      `create table items (id int); insert into items values (1)`,
    );
    await queryOnce(server.adminUrl, 'create database savepoints');
    engine = await SnapshotEngine.open({
      adminUrl: server.adminUrl,
      workingDatabase: 'app',
      runId,
    });
    await engine.snapshot('app', 'seeded');
    before = await databases(server.adminUrl);
  });

  afterAll(async () => {
    await engine?.close();
    await server?.stop();
  });

  it(`${NAMES.length} snapshot names: accepted ones are created, listed and dropped under their hashed name; bad ones are typed errors; no SQL error`, async () => {
    // Creating a database takes most of a second here: the first CREATED accepted names are
    // created for real, every name is checked, and every accepted one gets its physical name.
    const CREATED = iterations(400, 60);
    const outcomes = new NameOutcomes();
    const created = new Set<string>();
    const physical = new Map<string, string>();
    const wrongObjects: string[] = [];
    const began = performance.now();
    for (const name of NAMES) {
      if (created.size >= CREATED) {
        // Past the cap: names the engine would accept are counted, not created.
        const valid = await outcomes.record(name, () => validateSnapshotName(name));
        if (valid) physical.set(name, snapshotPhysicalName(name));
        continue;
      }
      const ok = await outcomes.record(name, () => engine.snapshot('app', name));
      if (!ok) continue;
      created.add(name);
      physical.set(name, snapshotPhysicalName(name));
      // Exactly one new database, under the hashed physical name; the human name is in the catalog.
      const extra = [...(await databases(server.adminUrl))].filter((d) => !before.has(d));
      if (extra.length !== 1 || extra[0] !== snapshotPhysicalName(name)) {
        wrongObjects.push(`${JSON.stringify(name)} -> ${JSON.stringify(extra)}`);
      }
      const listed = (await engine.list()).filter((l) => l.name === name);
      if (listed.length !== 1) {
        wrongObjects.push(`${JSON.stringify(name)} listed ${listed.length} times`);
      }
      await outcomes.record(name, () => engine.drop(name));
    }
    // Physical names: ours (vqa_s_ + 20 hex), never truncated, one per human name.
    const badPhysical = [...physical].filter(
      ([, p]) => !/^vqa_s_[0-9a-f]{20}$/.test(p) || Buffer.byteLength(p) > 63,
    );
    const collisions = physical.size - new Set(physical.values()).size;
    const after = await databases(server.adminUrl);
    const leftOrMade = [...after].filter((d) => !before.has(d));
    const lost = [...before].filter((d) => !after.has(d));
    printFigures(
      'hostile names',
      `${NAMES.length} snapshot names: ${physical.size} distinct accepted (${created.size} created, listed and dropped), ${outcomes.refused} typed errors (${outcomes.describeTyped()}), ${outcomes.sqlErrors.length} SQL errors, ${outcomes.untyped.length} untyped errors, ${wrongObjects.length + leftOrMade.length} unintended objects in pg_database, ${lost.length} databases lost, ${badPhysical.length} bad physical names, ${collisions} collisions (${msSince(began)} ms)`,
    );
    expect(outcomes.sqlErrors).toEqual([]);
    expect(outcomes.untyped).toEqual([]);
    expect(wrongObjects).toEqual([]);
    expect(leftOrMade).toEqual([]);
    expect(lost).toEqual([]);
    expect(badPhysical).toEqual([]);
    expect(collisions).toBe(0);
  });

  it(`${NAMES.length} names as snapshot to resolve, restore from, and as the database to snapshot or restore into: typed errors only`, async () => {
    const outcomes = new NameOutcomes();
    const began = performance.now();
    for (const name of NAMES) {
      await outcomes.record(name, () => engine.resolveSnapshot(name));
      await outcomes.record(name, () => engine.restore('app', name));
      // A name of a real database (postgres, template1, ...) may be snapshotted: not hostile.
      if (before.has(name)) continue;
      await outcomes.record(name, () => engine.snapshot(name, 'from_hostile_source'));
      await outcomes.record(name, () => engine.restore(name, 'seeded'));
    }
    const after = await databases(server.adminUrl);
    const leftOrMade = [...after].filter((d) => !before.has(d));
    printFigures(
      'hostile names',
      `${NAMES.length} names x 4 lookups (resolve, restore from, snapshot of, restore into): ${outcomes.accepted} accepted, ${outcomes.refused} typed errors (${outcomes.describeTyped()}), ${outcomes.sqlErrors.length} SQL errors, ${outcomes.untyped.length} untyped errors, ${leftOrMade.length} unintended objects in pg_database (${msSince(began)} ms)`,
    );
    // No such snapshot or database exists under any of these names.
    expect(outcomes.accepted).toBe(0);
    expect(outcomes.sqlErrors).toEqual([]);
    expect(outcomes.untyped).toEqual([]);
    expect(leftOrMade).toEqual([]);
    expect(await queryOnce(server.urlFor('app'), 'select id from items')).toEqual([{ id: 1 }]);
  });

  it(`${NAMES.length} checkpoint names: the DSL, SAVEPOINTs and template checkpoints agree on what is valid, with typed errors only`, async () => {
    const dsl = new NameOutcomes();
    const savepoints = new NameOutcomes();
    const disagreements: string[] = [];
    const began = performance.now();
    const state = new PostgreSQLStateManager(server.urlFor('savepoints'));
    await state.connect();
    const acceptedByDsl: string[] = [];
    try {
      for (const name of NAMES) {
        const inDsl = await dsl.record(name, () => Checkpoint({ name }));
        const inState = await savepoints.record(name, async () => {
          await state.checkpoint(name);
          await state.rollback(name);
          await state.release(name);
        });
        if (inDsl) acceptedByDsl.push(name);
        // Every checkpoint a journey may declare must work on the SAVEPOINT backend.
        if (inDsl && !inState) disagreements.push(JSON.stringify(name));
      }
    } finally {
      await state.disconnect();
    }

    // Template checkpoints create databases: a sample of accepted and refused names.
    const template = new NameOutcomes();
    const manager = new TemplateStateManager(server.urlFor('app'));
    await manager.connect();
    const sample = [...new Set(acceptedByDsl)].slice(0, 40);
    sample.push(...NAMES.filter((n) => !acceptedByDsl.includes(n)).slice(0, 120));
    try {
      for (const name of sample) {
        const ok = await template.record(name, async () => {
          await manager.checkpoint(name);
          await manager.release(name);
        });
        if (!ok && acceptedByDsl.includes(name))
          disagreements.push(`template ${JSON.stringify(name)}`);
      }
    } finally {
      await manager.disconnect();
    }
    const leftOrMade = [...(await databases(server.adminUrl))].filter((d) => !before.has(d));
    printFigures(
      'hostile names',
      `${NAMES.length} checkpoint names: DSL ${dsl.accepted} accepted / ${dsl.refused} typed (${dsl.describeTyped()}); SAVEPOINT backend ${savepoints.accepted} accepted / ${savepoints.refused} typed (${savepoints.describeTyped()}); template backend (sample of ${sample.length}) ${template.accepted} accepted / ${template.refused} typed; ${dsl.sqlErrors.length + savepoints.sqlErrors.length + template.sqlErrors.length} SQL errors, ${dsl.untyped.length + savepoints.untyped.length + template.untyped.length} untyped errors, ${disagreements.length} accepted by the DSL but refused by a backend, ${leftOrMade.length} unintended objects in pg_database (${msSince(began)} ms)`,
    );
    for (const outcome of [dsl, savepoints, template]) {
      expect(outcome.sqlErrors).toEqual([]);
      expect(outcome.untyped).toEqual([]);
    }
    expect(disagreements).toEqual([]);
    expect(leftOrMade).toEqual([]);
  });
  it('a sample through the CLI: `venomqa snapshot create` refuses bad names with exit 2 and the typed error, creates good ones', async () => {
    const project = await tempProject('hostile-cli', { 'venomqa.yaml': 'journeys: [journeys]\n' });
    const env = cliEnv({ VENOMQA_DB_URL: server.urlFor('app') });
    // argv cannot carry NUL: those names are covered in-process above.
    const bad = [
      "'; drop database app; --",
      'a"b',
      'a b',
      'café',
      'x'.repeat(64),
      '%',
      'vqa_%',
      '-x',
      '..',
      '$(id)',
      '',
    ];
    const good = ['_draft', 'ok.v1-2'];
    const wrong: string[] = [];
    try {
      for (const name of bad) {
        const result = await runCli(['snapshot', 'create', '--', name], project.dir, env);
        if (result.exitCode !== 2 || !result.stderr.includes('VENOMQA_INVALID_NAME')) {
          wrong.push(
            `${JSON.stringify(name)}: exit ${result.exitCode} ${result.stderr.slice(0, 200)}`,
          );
        }
      }
      for (const name of good) {
        const created = await runCli(['snapshot', 'create', name], project.dir, env);
        const deleted = await runCli(['snapshot', 'delete', name, '--force'], project.dir, env);
        if (created.exitCode !== 0 || deleted.exitCode !== 0) {
          wrong.push(
            `${name}: exit ${created.exitCode} / ${deleted.exitCode} ${created.stderr.slice(0, 200)}`,
          );
        }
      }
    } finally {
      await project.remove();
    }
    const leftOrMade = [...(await databases(server.adminUrl))].filter((d) => !before.has(d));
    printFigures(
      'hostile names',
      `CLI sample: ${bad.length} bad names, ${good.length} good: ${bad.length + good.length - wrong.length} as expected (exit 2 VENOMQA_INVALID_NAME / exit 0), ${wrong.length} not, ${leftOrMade.length} unintended objects in pg_database`,
    );
    expect(wrong).toEqual([]);
    expect(leftOrMade).toEqual([]);
  });
});
