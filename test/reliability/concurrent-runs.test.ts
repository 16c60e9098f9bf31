import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEntry } from '../../src/snapshot/catalog.js';
import { runKey } from '../../src/snapshot/snapshot-names.js';
import { parsePostgresUrl } from '../../src/server/postgres-url.js';
import { runCli } from '../integration/support/run-cli.js';
import { CliChild } from './support/cli-child.js';
import { msSince, printFigures } from './support/figures.js';
import { processesOwnedBy, venomqaDatabases } from './support/leftovers.js';
import { cliEnv, shopConfig, shopJourney, shopSetup, tempProject } from './support/temp-project.js';

describe('concurrency: two `venomqa run` processes on one managed server at once', () => {
  let project: { dir: string; remove: () => Promise<void> };
  let adminUrl = '';
  const env = cliEnv();

  beforeAll(async () => {
    project = await tempProject('two-runs', {
      // Both runs find no migrated template and run setup at once (it takes a second), then
      // both save the template of the same key while the other clones from it.
      'venomqa.yaml': shopConfig(shopSetup(1000)),
      'journeys/shop.journey.mjs': shopJourney({
        name: 'shop',
        paths: ['p1', 'p2', 'p3', 'p4'],
        pathDelayMs: 300,
      }),
      'journeys/shop-again.journey.mjs': shopJourney({
        name: 'shop_again',
        paths: ['q1', 'q2', 'q3'],
        pathDelayMs: 200,
      }),
    });
    const up = await runCli(['db', 'up', '--json', '--show-password'], project.dir, env);
    expect(up.exitCode, up.stderr).toBe(0);
    adminUrl = (JSON.parse(up.stdout) as { url: string }).url.replace(
      /\/[^/?]*(\?|$)/,
      '/postgres$1',
    );
  });

  afterAll(async () => {
    if (project) {
      await runCli(['db', 'down', '--force'], project.dir, env);
      await project.remove();
    }
  });

  it('both pass, and neither uses or drops the databases of the other', async () => {
    const runIds = [
      `rel-run-a-${randomBytes(3).toString('hex')}`,
      `rel-run-b-${randomBytes(3).toString('hex')}`,
    ];
    const began = performance.now();
    const children = runIds.map(
      (runId, i) =>
        new CliChild(['run', '--report-dir', `reports-${i}`], project.dir, {
          ...env,
          VENOMQA_RUN_ID: runId,
        }),
    );
    const keyOfOwner = new Map(children.map((c, i) => [c.pid, runKey(runIds[i] ?? '')]));
    const owners = new Set(keyOfOwner.keys());
    const seen = new Map<string, Set<string>>(runIds.map((id) => [runKey(id), new Set()]));
    const apis = new Map<number, Set<number>>([...owners].map((pid) => [pid, new Set()]));
    const violations: string[] = [];
    let done = false;
    const exits = Promise.all(children.map((c) => c.exited)).finally(() => (done = true));
    // Watch while both run: every API process connects to a database of its own run, and every
    // catalog entry belongs to the run its database's name says.
    while (!done) {
      for (const api of await processesOwnedBy(owners)) {
        const url = api.environment.DATABASE_URL;
        if (url === undefined || !api.command.includes('server.mjs')) continue;
        apis.get(api.ownerPid)?.add(api.pid);
        const database = parsePostgresUrl(url).database;
        const key = database.split('_')[2];
        if (key !== keyOfOwner.get(api.ownerPid)) {
          violations.push(`API ${api.pid} of run pid ${api.ownerPid} is connected to ${database}`);
        }
      }
      for (const db of await venomqaDatabases(adminUrl)) {
        if (!db.runKey || !seen.has(db.runKey)) continue;
        seen.get(db.runKey)?.add(db.name);
        const entry = decodeEntry(db.comment);
        if (entry && db.kind !== 'restore-old' && runKey(entry.runId) !== db.runKey) {
          violations.push(`${db.name} carries the catalog entry of run ${entry.runId}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const results = await exits;
    const ms = msSince(began);
    const left = (await venomqaDatabases(adminUrl)).filter((d) => d.runKey && seen.has(d.runKey));
    printFigures(
      'concurrency',
      `two runs at once on one managed server: exit codes ${results.map((r) => r.exitCode).join(', ')} in ${ms} ms; ` +
        `databases seen per run ${[...seen.values()].map((s) => s.size).join(', ')}, API processes per run ${[...apis.values()].map((s) => s.size).join(', ')}, ` +
        `${violations.length} cross-run uses; ${left.length} databases of either run left`,
    );
    for (const result of results) expect(result.exitCode, result.stderr).toBe(0);
    const reports = await Promise.all(
      [0, 1].map(
        async (i) =>
          JSON.parse(
            await readFile(join(project.dir, `reports-${i}`, 'venomqa-report.json'), 'utf8'),
          ) as {
            journeys: { name: string; status: string }[];
            setup?: { cached: boolean };
          },
      ),
    );
    expect(violations).toEqual([]);
    for (const names of seen.values()) expect(names.size).toBeGreaterThan(0);
    expect(left).toEqual([]);
    for (const report of reports) {
      expect(report.journeys.map((j) => j.status)).toEqual(['passed', 'passed']);
    }
    printFigures(
      'concurrency',
      `two runs at once: setup cached ${reports.map((r) => String(r.setup?.cached)).join(', ')}`,
    );
  });
});
