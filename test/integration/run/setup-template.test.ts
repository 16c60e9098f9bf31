import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import { SetupFailedError } from '../../../src/run/run-setup-command.js';
import { prepareSetupTemplate } from '../../../src/run/setup-template.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { SnapshotEngine } from '../../../src/snapshot/snapshot-engine.js';
import { startTestPostgres } from '../state/embedded-server.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/setup', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

describe('setup: migrate once, cache the migrated database as a template', () => {
  let server: PostgresServer;
  let engine: SnapshotEngine;
  let project: string;

  beforeAll(async () => {
    server = await startTestPostgres();
    engine = await SnapshotEngine.open({ adminUrl: server.adminUrl });
    // Inside the repository, so the fixture's `import 'pg'` finds the project's node_modules.
    project = await mkdtemp(join(REPO, 'test/fixtures/setup/.tmp-'));
    await cp(join(FIXTURE, 'migrations'), join(project, 'migrations'), { recursive: true });
    await cp(join(FIXTURE, 'migrate.mjs'), join(project, 'migrate.mjs'));
    await writeFile(
      join(project, 'venomqa.yaml'),
      'setup:\n  command: [node, migrate.mjs]\n  inputs: [migrations, migrate.mjs]\n',
    );
  });

  afterAll(async () => {
    await engine?.close();
    await server?.stop();
    if (project) await rm(project, { recursive: true, force: true });
  });

  const config = (env: Record<string, string> = {}) =>
    resolveConfig({ cwd: project, env, file: join(project, 'venomqa.yaml') });

  const templates = async () =>
    (
      await queryOnce<{ datname: string }>(
        server.adminUrl,
        "select datname from pg_database where starts_with(datname, 'vqa_m_') order by 1",
      )
    ).map((r) => r.datname);

  it('runs the command on a miss, clones the cached template on a hit, and again after an input changes', async () => {
    const lines: string[] = [];
    const onProgress = (line: string) => lines.push(line);
    const first = await prepareSetupTemplate(engine, config(), {
      serverOutlivesRun: true,
      onProgress,
    });
    expect(first?.outcome.cached).toBe(false);
    expect(lines.join('\n')).toMatch(
      /setup: running `node migrate.mjs` \(no cached template yet\)/,
    );
    if (!first) throw new Error('no setup outcome');
    await using clone = await engine.createClone(first.ref);
    const [notes] = await queryOnce<{ body: string }>(clone.url, 'select body from notes');
    expect(notes?.body).toBe('seeded by setup');

    const second = await prepareSetupTemplate(engine, config(), {
      serverOutlivesRun: true,
      onProgress,
    });
    expect(second?.outcome).toMatchObject({ cached: true, key: first.outcome.key });
    expect(second?.outcome.template).toBe(first.outcome.template);
    expect(lines.at(-1)).toMatch(/migrated template up to date/);

    await writeFile(join(project, 'migrations/002_tags.sql'), 'create table tags (name text);\n');
    const third = await prepareSetupTemplate(engine, config(), {
      serverOutlivesRun: true,
      onProgress,
    });
    expect(third?.outcome.cached).toBe(false);
    expect(third?.outcome.key).not.toBe(first.outcome.key);
    expect(lines.join('\n')).toContain('(migrations/002_tags.sql added)');
    expect(await templates()).toHaveLength(2);
    // prune drops the template the change replaced, and keeps the newest.
    const pruned = await engine.prune();
    expect(pruned.dropped).toContain(first.outcome.template);
    expect(await templates()).toEqual([third?.outcome.template]);

    const rebuilt = await prepareSetupTemplate(engine, config(), {
      serverOutlivesRun: true,
      rebuild: true,
      onProgress,
    });
    expect(rebuilt?.outcome.cached).toBe(false);
    expect(lines.join('\n')).toContain('(--no-cache)');
    expect(await templates()).toEqual([third?.outcome.template]);
  });

  it('a failing command caches nothing and says why with its last lines, password masked', async () => {
    const before = await templates();
    await writeFile(
      join(project, 'venomqa.yaml'),
      'setup:\n  command: [node, migrate.mjs]\n  inputs: [migrations]\n  env: { FAIL_SETUP: "1" }\n',
    );
    const failed = await prepareSetupTemplate(engine, config(), { serverOutlivesRun: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(SetupFailedError);
    const message = (failed as SetupFailedError).message;
    expect(message).toMatch(/setup.command `node migrate.mjs` exited with code 2/);
    expect(message).toContain('relation "users" already exists');
    expect(message).not.toContain(new URL(server.adminUrl).password);
    expect((failed as SetupFailedError).exitCode).toBe(1);
    expect(await templates()).toEqual(before);
    const leftovers = await queryOnce<{ datname: string }>(
      server.adminUrl,
      "select datname from pg_database where starts_with(datname, 'vqa_c_')",
    );
    expect(leftovers).toEqual([]);
  });
});
