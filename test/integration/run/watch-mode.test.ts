import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/run-cli.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const DIST = pathToFileURL(join(REPO, 'dist/index.js')).href;
const FIXTURES = join(REPO, 'test/fixtures');

/** A journey module: a checkpoint and two paths, each asking the API who it is. */
function journey(name: string, paths: string[]): string {
  return `import { Branch, Checkpoint, Journey, Path, Step } from '${DIST}';
const who = (name) => Path({ name, steps: [Step({ name: 'env', action: (api) => api.get('/env'), expect: { status: 200 } })] });
export default Journey({ name: '${name}', steps: [
  Step({ name: 'health', action: (api) => api.get('/health'), expect: { status: 200 } }),
  Checkpoint({ name: 'start' }),
  Branch({ checkpointName: 'start', paths: [${paths.map((p) => `who('${p}')`).join(', ')}] }),
] });
`;
}

interface Report {
  journeys: {
    name: string;
    items: {
      kind: string;
      paths?: {
        name: string;
        items: { exchanges?: { response?: { body?: { pid?: number } } }[] }[];
      }[];
    }[];
  }[];
  slots?: { apiStarts: number }[];
}

/** The pids of the API processes that answered the paths' `/env` requests. */
function apiPids(report: Report): Set<number> {
  const pids = new Set<number>();
  for (const journey of report.journeys)
    for (const item of journey.items)
      for (const path of item.paths ?? [])
        for (const step of path.items)
          for (const exchange of step.exchanges ?? []) {
            const pid = exchange.response?.body?.pid;
            if (pid !== undefined) pids.add(pid);
          }
  return pids;
}

/**
 * `venomqa run --watch` as a user runs it: the first run, then a rerun of only the journey whose
 * file changed (the APIs keep running), then a rerun of everything with the APIs started again
 * when the API's own code changes, and Ctrl-C ending it with everything released.
 */
describe('venomqa run --watch', () => {
  let project = '';
  let watcher: ResultPromise | undefined;
  afterAll(async () => {
    // After a failed assertion: Ctrl-C releases the server and APIs; SIGKILL only if it hangs.
    if (watcher && watcher.exitCode === null) {
      watcher.kill('SIGINT');
      const timer = setTimeout(() => watcher?.kill('SIGKILL'), 30_000);
      await watcher.catch(() => undefined);
      clearTimeout(timer);
    }
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('reruns the changed journey, everything when the API changes, and ends on Ctrl-C', async () => {
    // Inside the repository, so migrate.mjs's `import 'pg'` finds the project's node_modules.
    project = await mkdtemp(join(FIXTURES, 'setup/.tmp-watch-'));
    await cp(join(FIXTURES, 'setup/migrations'), join(project, 'migrations'), { recursive: true });
    await cp(join(FIXTURES, 'setup/migrate.mjs'), join(project, 'migrate.mjs'));
    await cp(join(FIXTURES, 'api/echo-api.mjs'), join(project, 'api.mjs'));
    await writeFile(
      join(project, 'venomqa.yaml'),
      [
        'parallel_paths: 2',
        'report_formats: [json]',
        'setup:',
        '  command: [node, migrate.mjs]',
        '  inputs: [migrations, migrate.mjs]',
        'api:',
        '  mode: process',
        '  command: [node, api.mjs]',
        '',
      ].join('\n'),
    );
    await mkdir(join(project, 'journeys'));
    await writeFile(join(project, 'journeys/a.journey.mjs'), journey('a', ['one', 'two']));
    await writeFile(join(project, 'journeys/b.journey.mjs'), journey('b', ['three', 'four']));

    let stdout = '';
    let stderr = '';
    watcher = execa('node', [CLI, 'run', '--watch'], {
      cwd: project,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
        VENOMQA_SERVER_PROVIDER: 'embedded',
      },
      extendEnv: false,
      reject: false,
    });
    watcher.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    watcher.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const summaries = () => stdout.split('\n').filter((line) => /journeys? passed/.test(line));
    const waitFor = async (what: string, done: () => boolean): Promise<void> => {
      const deadline = Date.now() + 150_000;
      while (!done()) {
        if (Date.now() > deadline || watcher?.exitCode !== null) {
          throw new Error(`waiting for ${what}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const report = async (): Promise<Report> =>
      JSON.parse(await readFile(join(project, 'reports/venomqa-report.json'), 'utf8')) as Report;

    await waitFor('the first run', () => summaries().length === 1 && stderr.includes('Watching'));
    expect(summaries()[0]).toMatch(/^2 journeys passed, 0 failed/);
    expect((await report()).slots?.map((s) => s.apiStarts)).toEqual([1, 1]);

    // A changed journey module: only its journey runs again, on the APIs already running.
    await writeFile(join(project, 'journeys/a.journey.mjs'), journey('a', ['one', 'two', 'extra']));
    await waitFor('the rerun of a', () => summaries().length === 2);
    expect(summaries()[1]).toMatch(/^1 journey passed, 0 failed/);
    expect(stderr).toContain('journeys/a.journey.mjs changed: rerunning 1 journey');
    const second = await report();
    expect(second.journeys.map((j) => j.name)).toEqual(['a']);
    expect(second.journeys[0]?.items.at(-1)?.paths?.map((p) => p.name)).toEqual([
      'one',
      'two',
      'extra',
    ]);
    expect(second.slots?.map((s) => s.apiStarts)).toEqual([1, 1]);
    const before = apiPids(second);
    expect(before.size).toBeGreaterThan(0);

    // The API's own code: every journey reruns, on APIs started again.
    await writeFile(
      join(project, 'api.mjs'),
      `${await readFile(join(project, 'api.mjs'), 'utf8')}\n// changed\n`,
    );
    await waitFor('the rerun of everything', () => summaries().length === 3);
    expect(summaries()[2]).toMatch(/^2 journeys passed, 0 failed/);
    expect(stderr).toContain("the API's code changed: rerunning every journey");
    const third = await report();
    expect(third.journeys.map((j) => j.name)).toEqual(['a', 'b']);
    // New API processes: none of the pids that answered before answers now.
    const after = apiPids(third);
    expect(after.size).toBeGreaterThan(0);
    expect([...after].filter((pid) => before.has(pid))).toEqual([]);

    // A new migration (a setup input): the template is made again before everything reruns.
    await writeFile(join(project, 'migrations/002_tags.sql'), 'create table tags (name text);\n');
    await waitFor('the rerun after the migration', () => summaries().length === 4);
    expect(summaries()[3]).toMatch(/^2 journeys passed, 0 failed/);
    expect(stderr).toContain('setup inputs changed: rerunning every journey');
    expect(stderr).toContain('setup: running `node migrate.mjs` (migrations/002_tags.sql added)');

    watcher.kill('SIGINT');
    const ended = await watcher;
    expect(ended.exitCode, stderr).toBe(130);
    const { stdout: ps } = await execa('ps', ['-eo', 'args=']);
    expect(ps.split('\n').filter((line) => line.includes(project))).toEqual([]);
  });
});
