import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_OWNER_FILE, EMBEDDED_TEMP_PREFIX } from '../../src/server/embedded-postgres.js';
import { withDatabase } from '../../src/server/postgres-url.js';
import { runCli } from '../integration/support/run-cli.js';
import { CliChild } from './support/cli-child.js';
import { msSince, printFigures } from './support/figures.js';
import { databasesOfRuns, processesOwnedBy } from './support/leftovers.js';
import { cliEnv, shopConfig, shopJourney, shopSetup, tempProject } from './support/temp-project.js';

interface JsonReport {
  interrupted?: boolean;
  passed: number;
  failed: number;
  journeys: {
    name: string;
    status: string;
    items: { kind: string; status: string; paths?: { name: string; status: string }[] }[];
  }[];
}

/** Embedded clusters in the temporary folder whose owner file names `pid`. */
async function clustersOwnedBy(pid: number): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(tmpdir())) {
    if (!entry.startsWith(EMBEDDED_TEMP_PREFIX)) continue;
    const owner = await readFile(join(tmpdir(), entry, EMBEDDED_OWNER_FILE), 'utf8').catch(
      () => '',
    );
    if (owner && (JSON.parse(owner) as { ownerPid?: number }).ownerPid === pid) found.push(entry);
  }
  return found;
}

describe('interrupt: SIGINT while a branch runs', () => {
  let project: { dir: string; remove: () => Promise<void> };

  beforeAll(async () => {
    project = await tempProject('interrupt', {
      'venomqa.yaml': shopConfig(shopSetup()),
      'journeys/a-quick.journey.mjs': shopJourney({ name: 'quick', paths: ['x', 'y'] }),
      // Paths that wait a minute in code that ignores every signal, then would pay.
      'journeys/b-slow.journey.mjs': shopJourney({
        name: 'slow',
        paths: ['p1', 'p2', 'p3', 'p4'],
        pathDelayMs: 60_000,
      }),
      'journeys/c-never.journey.mjs': shopJourney({ name: 'never', paths: ['z'] }),
    });
  });

  afterAll(async () => {
    await project?.remove();
  });

  it.each([
    ['SIGINT to the venomqa process, a server for the run', false, false],
    [
      'Ctrl-C in a terminal (SIGINT to its process group, APIs included), the managed server',
      true,
      true,
    ],
  ])(
    '%s: scheduling stops, every API and clone is released, a partial report is written, exit 130',
    async (how, group, managed) => {
      await rm(join(project.dir, 'reports'), { recursive: true, force: true });
      const runId = `rel-interrupt-${randomBytes(3).toString('hex')}`;
      let adminUrl: string | undefined;
      if (managed) {
        const up = await runCli(['db', 'up', '--json', '--show-password'], project.dir, cliEnv());
        expect(up.exitCode, up.stderr).toBe(0);
        adminUrl = withDatabase((JSON.parse(up.stdout) as { url: string }).url, 'postgres');
      }
      // Without the managed server, one of its own (embedded, stopped at the end).
      const child = new CliChild(['run', '-v'], project.dir, cliEnv({ VENOMQA_RUN_ID: runId }), {
        ownProcessGroup: group,
      });
      const busy = await child.waitFor(
        /Rolled back to checkpoint: chk_ordered for slow\/p2/,
        180_000,
      );
      expect(busy, child.stderr).toBe(true);
      const apisBefore = (await processesOwnedBy(new Set([child.pid]))).length;
      const clustersBefore = (await clustersOwnedBy(child.pid)).length;
      const began = performance.now();
      const stderrAtSignal = child.stderr.length;
      if (group) child.signalGroup('SIGINT');
      else child.kill('SIGINT');
      const exit = await child.exited;
      const stopMs = msSince(began);
      const afterSignal = exit.stderr.slice(stderrAtSignal);
      const startedAfter = (
        afterSignal.match(/Rolled back to checkpoint: chk_ordered for slow\//g) ?? []
      ).length;
      const apisAfter = (await processesOwnedBy(new Set([child.pid]))).length;
      const clustersAfter = (await clustersOwnedBy(child.pid)).length;
      const databasesAfter = adminUrl ? (await databasesOfRuns(adminUrl, [runId])).length : 0;
      if (managed) await runCli(['db', 'down', '--force'], project.dir, cliEnv());
      const reports = ['venomqa-report.md', 'venomqa-junit.xml', 'venomqa-report.json'].filter(
        (f) => existsSync(join(project.dir, 'reports', f)),
      );
      let summary = 'no JSON report';
      let json: JsonReport | undefined;
      if (reports.includes('venomqa-report.json')) {
        json = JSON.parse(
          await readFile(join(project.dir, 'reports', 'venomqa-report.json'), 'utf8'),
        ) as JsonReport;
        summary = json.journeys.map((j) => `${j.name} ${j.status}`).join(', ');
      }
      printFigures(
        'interrupt',
        `${how}, 2 paths running: exit ${exit.exitCode} after ${stopMs} ms; paths started after the signal ${startedAfter}; ` +
          `API processes ${apisBefore} -> ${apisAfter}, ${managed ? `databases of the run left ${databasesAfter}` : `the run's embedded server ${clustersBefore} -> ${clustersAfter}`}; ` +
          `reports written: ${reports.length ? reports.join(', ') : 'none'} (${summary})`,
      );
      expect(exit.exitCode, exit.stderr).toBe(130);
      expect(startedAfter).toBe(0);
      expect(apisAfter).toBe(0);
      expect(clustersAfter).toBe(0);
      expect(databasesAfter).toBe(0);
      expect(reports).toHaveLength(3);
      expect(json?.interrupted).toBe(true);
      expect(json?.journeys.map((j) => [j.name, j.status])).toEqual([
        ['quick', 'passed'],
        ['slow', 'skipped'],
        ['never', 'skipped'],
      ]);
      const branch = json?.journeys[1]?.items.find((i) => i.kind === 'branch');
      expect(branch?.paths?.map((p) => p.status)).toEqual([
        'skipped',
        'skipped',
        'skipped',
        'skipped',
      ]);
      const xml = await readFile(join(project.dir, 'reports', 'venomqa-junit.xml'), 'utf8');
      expect(XMLValidator.validate(xml)).toBe(true);
      const markdown = await readFile(join(project.dir, 'reports', 'venomqa-report.md'), 'utf8');
      expect(markdown).toContain('interrupted');
      expect(exit.stderr).toContain('report: ');
      // Wall-clock goals are not asserted on a shared machine; the figure above is the measure.
    },
  );
});
