import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const CONFIG = 'examples/blog/venomqa.yaml';

/** What a user's shell gives, with the embedded provider: no Docker needed for this suite. */
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
  VENOMQA_SERVER_PROVIDER: 'embedded',
};

interface Report {
  passed: number;
  failed: number;
  journeys: { name: string; status: string; apiReuse?: boolean }[];
  slots?: { apiStarts: number; swaps: number }[];
  setup?: { cached: boolean; durationMs: number };
}

// `venomqa run` of the blog example, as its README says: Fastify + Knex migrated once by
// `setup:`, the journeys (22 paths, one nested branch) on the managed `venomqa db`, so the
// migrated template made by the first run is found by the second.
describe('venomqa run of the blog example (Fastify + Knex), with and without API reuse', () => {
  const reports: string[] = [];

  afterAll(async () => {
    await runCli(['db', 'down', '--force', '-c', CONFIG], REPO, env);
    for (const dir of reports) await rm(dir, { recursive: true, force: true });
  });

  async function run(extra: string[]): Promise<{ stderr: string; report: Report }> {
    const dir = await mkdtemp(join(tmpdir(), 'venomqa-blog-reports-'));
    reports.push(dir);
    const result = await runCli(
      ['run', '-c', CONFIG, '--report-dir', dir, '--format', 'json', ...extra],
      REPO,
      env,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^2 journeys passed, 0 failed/);
    const report = JSON.parse(await readFile(join(dir, 'venomqa-report.json'), 'utf8')) as Report;
    return { stderr: result.stderr, report };
  }

  it('migrates once, then reuses the template; passes with one API per slot and with one per path', async () => {
    const status = await runCli(['db', 'status', '-c', CONFIG], REPO, env);
    // A developer's own managed database for the example would be stopped by this test.
    expect(status.exitCode, 'a managed database already runs for examples/blog').toBe(3);
    const up = await runCli(['db', 'up', '-c', CONFIG], REPO, env);
    expect(up.exitCode, up.stderr).toBe(0);

    const slots = await run(['--no-cache']);
    expect(slots.stderr).toContain('setup: running `npx knex migrate:latest` (--no-cache)');
    expect(slots.stderr).toContain('started once per slot, 4 slots');
    expect(slots.report.setup?.cached).toBe(false);
    expect(slots.report.journeys.map((j) => j.apiReuse)).toEqual([true, true]);
    // Four APIs served 22 paths and the journeys' main lines, each started once.
    expect(slots.report.slots?.map((s) => s.apiStarts)).toEqual([1, 1, 1, 1]);
    expect(slots.report.slots?.reduce((sum, s) => sum + s.swaps, 0)).toBeGreaterThanOrEqual(20);

    const fresh = await run(['--fresh-api']);
    expect(fresh.stderr).toContain('setup: migrated template up to date');
    expect(fresh.stderr).toContain('started per path');
    expect(fresh.report.setup?.cached).toBe(true);
    expect(fresh.report.journeys.map((j) => j.apiReuse)).toEqual([false, false]);
    expect(fresh.report.slots).toBeUndefined();
  });
});
