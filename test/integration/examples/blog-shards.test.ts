import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import type { ItemResult, RunResult } from '../../../src/result/run-result.js';
import { runCli } from '../support/run-cli.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const CONFIG = 'examples/blog/venomqa.yaml';

/** Each process starts its own embedded server, as each CI machine would. */
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
  VENOMQA_SERVER_PROVIDER: 'embedded',
};

/** `journey › path: status` for every path, nested ones included, and each journey's status. */
function statuses(result: RunResult): string[] {
  const out: string[] = [];
  const visit = (journey: string, items: readonly ItemResult[]): void => {
    for (const item of items) {
      if (item.kind !== 'branch') continue;
      for (const path of item.paths) {
        out.push(`${journey} › ${path.qualifiedName}: ${path.status}`);
        visit(journey, path.items);
      }
    }
  };
  for (const journey of result.journeys) {
    out.push(`${journey.name}: ${journey.status}`);
    visit(journey.name, journey.items);
  }
  return out;
}

async function report(dir: string): Promise<RunResult> {
  return JSON.parse(await readFile(join(dir, 'venomqa-report.json'), 'utf8')) as RunResult;
}

// The blog example (22 paths, one nested branch) as one run, then as four shards, each its own
// `venomqa run --shard i/4` process started at once, as four CI machines would; the shards'
// JSON reports merged by `venomqa merge-reports` must say what the single run said, path by path.
describe('the blog example in four shards, merged', () => {
  const dirs: string[] = [];
  const tempDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'venomqa-shards-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('four processes and merge-reports give the single run’s statuses per path', async () => {
    const whole = await tempDir();
    const single = await runCli(
      ['run', '-c', CONFIG, '--parallel', '2', '--report-dir', whole, '--format', 'json'],
      REPO,
      env,
    );
    expect(single.exitCode, single.stderr).toBe(0);
    const wholeResult = await report(whole);
    expect(statuses(wholeResult).filter((s) => s.includes(' › '))).toHaveLength(22);

    // Balanced by the single run's durations, as a CI job given the last run's report does.
    const shardDirs = await Promise.all([1, 2, 3, 4].map(() => tempDir()));
    const shards = await Promise.all(
      shardDirs.map((dir, i) =>
        runCli(
          [
            'run',
            '-c',
            CONFIG,
            '--parallel',
            '2',
            '--shard',
            `${i + 1}/4`,
            '--shard-durations',
            whole,
            '--report-dir',
            dir,
            '--format',
            'json',
          ],
          REPO,
          env,
        ),
      ),
    );
    for (const [i, shard] of shards.entries()) {
      expect(shard.exitCode, shard.stderr).toBe(0);
      expect(shard.stderr).toContain(`Shard ${i + 1}/4: `);
    }
    const shardResults = await Promise.all(shardDirs.map(report));
    // Every path ran in exactly one shard, and is "in another shard" in the other three.
    const ranIn = new Map<string, number>();
    for (const result of shardResults) {
      for (const line of statuses(result)) {
        if (line.includes(' › ') && !line.endsWith(': skipped')) {
          const path = line.split(':')[0] ?? '';
          ranIn.set(path, (ranIn.get(path) ?? 0) + 1);
        }
      }
    }
    expect([...ranIn.values()].every((count) => count === 1)).toBe(true);
    expect(ranIn.size).toBe(22);

    const merged = await tempDir();
    const merge = await runCli(['merge-reports', ...shardDirs, '--report-dir', merged], REPO, {
      ...env,
      GITHUB_STEP_SUMMARY: join(merged, 'summary.md'),
    });
    expect(merge.exitCode, merge.stderr).toBe(0);
    expect(merge.stdout).toMatch(/^2 journeys passed, 0 failed/);
    const mergedResult = await report(merged);
    expect(statuses(mergedResult)).toEqual(statuses(wholeResult));
    expect(mergedResult.mergedShards).toBe(4);

    // The other formats are written from the merged run too.
    const junit = new XMLParser({ ignoreAttributes: false }).parse(
      await readFile(join(merged, 'venomqa-junit.xml'), 'utf8'),
    ) as { testsuites: { '@_tests': string; '@_failures': string } };
    expect(junit.testsuites['@_failures']).toBe('0');
    expect(Number(junit.testsuites['@_tests'])).toBe(24); // 22 paths and 2 main lines
    const markdown = await readFile(join(merged, 'venomqa-report.md'), 'utf8');
    expect(markdown).toContain('**✓ 2 journeys passed**');
    expect(await readFile(join(merged, 'summary.md'), 'utf8')).toContain('# venomqa report');
  });

  it('refuses to merge two reports of the same shard', async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, 'venomqa-report.json'),
      JSON.stringify({
        venomqa: { version: '0.1.0', format: 1 },
        startedAt: new Date().toISOString(),
        durationMs: 1,
        journeys: [],
        passed: 0,
        failed: 0,
        shard: { index: 1, total: 2 },
      }),
    );
    const merge = await runCli(['merge-reports', dir, dir, '--report-dir', dir], REPO, env);
    expect(merge.exitCode).toBe(2);
    expect(merge.stderr).toContain(
      'error VENOMQA_REPORT_MERGE_FAILED: Two of the reports are of shard 1/2',
    );
  });
});
