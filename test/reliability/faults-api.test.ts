import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../integration/support/run-cli.js';
import { msSince, printFigures } from './support/figures.js';
import { cliEnv, DIST, SHOP_SERVER, shopConfig, tempProject } from './support/temp-project.js';

/**
 * The shop, crashing once `crash-now` exists next to it and refusing to start while it does:
 * an API under test that dies mid-path and never becomes healthy again.
 */
const CRASHY_API = `
import { existsSync } from 'node:fs';
const marker = new URL('./crash-now', import.meta.url);
if (existsSync(marker)) {
  console.error('crashy-api: cannot start: the crash-now file exists');
  process.exit(70);
}
setInterval(() => {
  if (existsSync(marker)) {
    console.error('crashy-api: crashing');
    process.exit(70);
  }
}, 20);
await import(${JSON.stringify(SHOP_SERVER)});
`;

/** One path makes the API crash; the other only waits for it to be gone. */
const JOURNEY = `
import { writeFileSync } from 'node:fs';
import { Journey, Step, Checkpoint, Branch, Path } from '${DIST}';
const marker = new URL('../crash-now', import.meta.url);
const gone = async (api) => {
  await new Promise((resolve) => setTimeout(resolve, 500));
  return api.get('/health');
};
export default Journey({ name: 'crashy', steps: [
  Step({ name: 'healthy', expect: { status: 200 }, action: (api) => api.get('/health') }),
  Checkpoint({ name: 'up' }),
  Branch({ checkpointName: 'up', paths: [
    Path({ name: 'crash', steps: [Step({ name: 'crash_it', action: (api) => {
      writeFileSync(marker, 'crash');
      return gone(api);
    } })] }),
    Path({ name: 'after', steps: [Step({ name: 'still_there', action: gone })] }),
  ] }),
] });
`;

interface ReportPath {
  name: string;
  status: string;
  retried?: string;
  error?: { code?: string; message: string; hint?: string };
}

describe('environment faults: the API under test crashes mid-path and never becomes healthy', () => {
  let project: { dir: string; remove: () => Promise<void> };
  const env = cliEnv();

  const snapshotNames = async (): Promise<string[]> => {
    const listed = await runCli(['snapshot', 'list', '--json'], project.dir, env);
    expect(listed.exitCode, listed.stderr).toBe(0);
    return (JSON.parse(listed.stdout) as { name: string }[]).map((s) => s.name).sort();
  };

  beforeAll(async () => {
    project = await tempProject('faults-api', {
      'venomqa.yaml': shopConfig()
        .replace(JSON.stringify(SHOP_SERVER), 'crashy-api.mjs')
        .replace('startup_timeout: 60', 'startup_timeout: 10'),
      'crashy-api.mjs': CRASHY_API,
      'journeys/crashy.journey.mjs': JOURNEY,
    });
    // On the managed server, with a snapshot of the user's that must survive the run.
    const up = await runCli(['db', 'up'], project.dir, env);
    expect(up.exitCode, up.stderr).toBe(0);
    const created = await runCli(['snapshot', 'create', 'keep'], project.dir, env);
    expect(created.exitCode, created.stderr).toBe(0);
  });

  afterAll(async () => {
    if (!project) return;
    await runCli(['db', 'down', '--force'], project.dir, env);
    await project.remove();
  });

  it('each path fails with the exit named, the API log and a hint; the run ends within a bounded time', async () => {
    const before = await snapshotNames();
    const began = performance.now();
    const result = await runCli(['run'], project.dir, env);
    const ms = msSince(began);
    const report = JSON.parse(
      await readFile(join(project.dir, 'reports', 'venomqa-report.json'), 'utf8'),
    ) as { journeys: { items: { kind: string; paths?: ReportPath[] }[] }[] };
    const paths = report.journeys[0]?.items.find((item) => item.kind === 'branch')?.paths ?? [];
    const crash = paths.find((p) => p.name === 'crash');
    printFigures(
      'faults',
      `API crashed mid-path and never healthy again: \`venomqa run\` exit ${result.exitCode} after ${ms} ms (the CLI start included); paths ${paths.map((p) => `${p.name} ${p.status} ${p.error?.code ?? ''}`).join(', ')}; ${crash?.retried ?? 'not retried'}; hint: ${crash?.error?.hint ?? 'none'}`,
    );
    // The API under test failing is what the run found, not a fault of venomqa's environment.
    expect(result.exitCode, result.stderr).toBe(1);
    expect(paths.map((p) => p.status)).toEqual(['failed', 'failed']);
    for (const path of paths) {
      expect(path.error?.code).toBe('VENOMQA_TARGET_START_FAILED');
      expect(path.error?.message).toContain('exited with code 70');
      expect(path.error?.message).toContain('crashy-api: cannot start');
      expect(path.error?.hint).toContain('Run the command yourself');
    }
    // The path that was running when the API died was retried once on a restarted API.
    expect(crash?.retried).toContain('exited with code 70 during the path');
    expect(result.stderr).toMatch(/✗ crashy › crash .*exited with code 70/);
    expect(result.stderr).toMatch(/^ {4}hint: Run the command yourself/m);
    expect(result.stderr).not.toContain('internal error');
    expect(await snapshotNames()).toEqual(before);
  });
});
