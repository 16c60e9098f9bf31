import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, mkdir, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { localPgBouncerAvailable } from '../../reliability/support/pgbouncer-available.js';
import { CLI, runCli } from '../support/run-cli.js';
import { dockerAvailable } from '../support/services.js';
import { REPO, SHOP_SERVER } from '../runner/shop-fixture.js';

const DIST = pathToFileURL(join(REPO, 'dist/index.js')).href;

const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
  VENOMQA_SERVER_PROVIDER: 'embedded',
  VENOMQA_API_MODE: 'process',
};

/** Processes whose command line holds `marker`, wherever they were reparented to. */
async function processesWith(marker: string): Promise<string[]> {
  const { stdout } = await execa('ps', ['-eo', 'pid=,args=']);
  return stdout.split('\n').filter((line) => line.includes(marker) && !line.includes(' ps '));
}

/** A project with a venomqa.yaml starting the shop per path, and the given journey modules. */
async function project(marker: string, journeys: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'venomqa-run-cli-'));
  await chmod(dir, 0o755);
  await writeFile(
    join(dir, 'venomqa.yaml'),
    [
      'parallel_paths: 2',
      'report_formats: [markdown, junit, json]',
      'api:',
      `  command: [node, ${JSON.stringify(SHOP_SERVER)}, ${JSON.stringify(marker)}]`,
      '',
    ].join('\n'),
  );
  // ES modules, as most projects are: a .ts journey follows its package's module type.
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  await mkdir(join(dir, 'journeys'));
  for (const [file, text] of Object.entries(journeys))
    await writeFile(join(dir, 'journeys', file), text);
  return dir;
}

const PREFIX = `
  Step({ name: 'register', expect: { status: 201 }, action: (api) =>
    api.post('/users', { json: { email: 'c@example.test', name: 'C', password: 'pw-123456' } }) }),
  Step({ name: 'login', action: async (api) => {
    const res = await api.post('/login', { json: { email: 'c@example.test', password: 'pw-123456' } });
    api.setBearerToken(res.json().token);
    return res;
  } }),
  Step({ name: 'order', expect: { status: 201 }, action: async (api, ctx) => {
    const res = await api.post('/orders', { json: { items: [{ sku: 'A', quantity: 1, unit_price_cents: 5 }] } });
    ctx.set('id', res.json().id);
    return res;
  } }),
  Checkpoint({ name: 'ordered' }),`;

/** A journey module whose paths wait a minute each: to be interrupted while paths run. */
function slowJourney(name: string, paths: string[]): string {
  return `
    import { Journey, Step, Checkpoint, Branch, Path } from '${DIST}';
    const slow = (name) => Path({ name, steps: [Step({ name: 'wait', action: async (api) => {
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      return api.get('/stats');
    } })] });
    export default Journey({ name: '${name}', steps: [${PREFIX}
      Branch({ checkpointName: 'ordered', paths: [${paths.map((p) => `slow('${p}')`).join(', ')}] }),
    ] });`;
}

describe('venomqa run (embedded PostgreSQL, the shop API as a process per path)', () => {
  const dirs: string[] = [];

  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('runs the shop example end to end and writes reports that parse back', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'venomqa-run-reports-'));
    dirs.push(reports);
    const run = await runCli(
      [
        'run',
        '-c',
        'examples/shop/venomqa.yaml',
        '--report-dir',
        reports,
        '--format',
        'markdown,junit',
        '--format',
        'json',
      ],
      REPO,
      env,
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^1 journey passed, 0 failed/);
    expect(run.stderr).toMatch(/✓ checkout › add_item_then_pay\/declined_then_cancel/);
    expect(run.stderr).toContain(`report: ${join(reports, 'venomqa-junit.xml')}`);

    const xml = await readFile(join(reports, 'venomqa-junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(xml) as {
      testsuites: { '@_tests': string; '@_failures': string; testsuite: { testcase: unknown[] } };
    };
    // The main line and five paths (two of them nested).
    expect(junit.testsuites['@_tests']).toBe('6');
    expect(junit.testsuites['@_failures']).toBe('0');
    const json = JSON.parse(await readFile(join(reports, 'venomqa-report.json'), 'utf8')) as {
      journeys: { name: string; status: string; parallelPaths: number }[];
    };
    expect(json.journeys).toMatchObject([{ name: 'checkout', status: 'passed', parallelPaths: 3 }]);
    // Three API slots served the five paths: each API started once.
    const slots = (
      JSON.parse(await readFile(join(reports, 'venomqa-report.json'), 'utf8')) as {
        slots: { apiStarts: number; swaps: number }[];
      }
    ).slots;
    expect(slots.map((slot) => slot.apiStarts)).toEqual([1, 1, 1]);
    expect(slots.reduce((sum, slot) => sum + slot.swaps, 0)).toBeGreaterThanOrEqual(3);
    expect(run.stderr).toContain('started once per slot, 3 slots');
    expect(await readFile(join(reports, 'venomqa-report.md'), 'utf8')).toContain(
      'branch from **item\\_added** into 2 paths',
    );
  });

  it('with VENOMQA_VERBOSE (as with -v) prints the checkpoint and rollback lines of every path', async () => {
    const marker = `--venomqa-test-${randomBytes(4).toString('hex')}`;
    const dir = await project(marker, {
      'small.journey.mjs': `
        import { Journey, Step, Checkpoint, Branch, Path } from '${DIST}';
        const stats = (name) => Path({ name, steps: [Step({ name: 'stats', action: (api) => api.get('/stats') })] });
        export default Journey({ name: 'small', steps: [${PREFIX}
          Branch({ checkpointName: 'ordered', paths: [stats('a'), stats('b')] }),
        ] });`,
    });
    dirs.push(dir);
    for (const [args, extra] of [
      [['run', '-v'], {}],
      [['run'], { VENOMQA_VERBOSE: 'true' }],
    ] as const) {
      const run = await runCli([...args], dir, { ...env, ...extra });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toMatch(
        /\[venomqa:state\] Created checkpoint: chk_ordered \(copy of vqa_c_\w+, \d+ ms\)/,
      );
      expect(run.stderr).toMatch(
        /\[venomqa:state\] Rolled back to checkpoint: chk_ordered for small\/a \(slot \d, vqa_c_\w+: swap \d+ ms, unavailable \d+ ms/,
      );
      expect(run.stderr).toMatch(/Rolled back to checkpoint: chk_ordered for small\/b/);
    }
  });

  it('exits 1 for a failing path and reports the request, the response and the API log', async () => {
    const marker = `--venomqa-test-${randomBytes(4).toString('hex')}`;
    const dir = await project(marker, {
      'failing.journey.mjs': `
        import { Journey, Step, Checkpoint, Branch, Path } from '${DIST}';
        export default Journey({ name: 'failing', steps: [${PREFIX}
          Branch({ checkpointName: 'ordered', paths: [
            Path({ name: 'fine', steps: [Step({ name: 'stats', action: (api) => api.get('/stats') })] }),
            Path({ name: 'broken', steps: [Step({ name: 'pay_unknown_order', expect: { status: 201 },
              action: (api) => api.post('/orders/424242/pay', { json: { method: 'card', card_number: '4242424242424242' } }) })] }),
          ] }),
        ] });`,
    });
    dirs.push(dir);
    const run = await runCli(['run'], dir, env);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /✗ failing › broken .*pay_unknown_order: POST http:\/\/127\.0\.0\.1:\d+\/orders\/424242\/pay answered 404, expected 201/,
    );
    const markdown = await readFile(join(dir, 'reports', 'venomqa-report.md'), 'utf8');
    expect(markdown).toContain('POST /orders/424242/pay 404');
    // Secrets stay out: the card number and the bearer token are redacted.
    expect(markdown).not.toContain('4242424242424242');
    const xml = await readFile(join(dir, 'reports', 'venomqa-junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toMatch(/<testsuites[^>]* failures="1"/);
    expect(await processesWith(marker)).toEqual([]);
  });

  it('exits 2 for a bad flag value, naming the flag', async () => {
    const run = await runCli(['run', '--parallel', '0'], REPO, env);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("option '--parallel <n>' argument '0' is invalid");
  });

  it('exits 2 naming the problem when a journey is invalid', async () => {
    const dir = await project('--unused', {
      // No venomqa package can be found from this folder: the import gets the running CLI's.
      'invalid.journey.ts': `
        import { Journey, Branch, Path, Step } from 'venomqa';
        export default Journey({ name: 'invalid', steps: [
          Step({ name: 'a', action: () => undefined }),
          Branch({ checkpointName: 'never_made', paths: [Path({ name: 'p', steps: [] })] }),
        ] });`,
    });
    dirs.push(dir);
    const run = await runCli(['run'], dir, env);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      "branch from checkpoint 'never_made', which is not created before it",
    );
  });

  it('on Ctrl-C releases every API process and database and exits 130', async () => {
    const marker = `--venomqa-test-${randomBytes(4).toString('hex')}`;
    const dir = await project(marker, {
      'slow.journey.mjs': slowJourney('slow', ['a', 'b', 'c']),
    });
    dirs.push(dir);
    const child = execa('node', [CLI, 'run'], { cwd: dir, env, reject: false });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Wait until both API slots (parallel_paths 2) run a path.
    const deadline = Date.now() + 120_000;
    while ((await processesWith(marker)).length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await processesWith(marker)).length).toBe(2);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, stderr).toBe(130);
    expect(stderr).toContain('Interrupted; cleaning up');
    expect(await processesWith(marker)).toEqual([]);
    // The embedded server of the run is gone too: the global leak check looks for its folder.
  });
});

const hasPgBouncer = await localPgBouncerAvailable();

describe.skipIf(!hasPgBouncer)('venomqa run with server.pooler: pgbouncer', () => {
  it('runs the shop example with its API slots behind PgBouncer', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'venomqa-run-pooler-'));
    try {
      const run = await runCli(
        ['run', '-c', 'examples/shop/venomqa.yaml', '--report-dir', reports, '--format', 'json'],
        REPO,
        { ...env, VENOMQA_SERVER_POOLER: 'pgbouncer' },
      );
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toContain('PgBouncer in front of the API slots (server.pooler)');
      const report = JSON.parse(await readFile(join(reports, 'venomqa-report.json'), 'utf8')) as {
        slots: { apiStarts: number }[];
      };
      expect(report.slots.map((slot) => slot.apiStarts)).toEqual([1, 1, 1]);
      // The global teardown checks no pgbouncer of this run is left (its leak check).
    } finally {
      await rm(reports, { recursive: true, force: true });
    }
  });
});

describe('venomqa prune after a run killed with SIGKILL', () => {
  it('finds the orphaned API processes and embedded server and removes them', async () => {
    const marker = `--venomqa-test-${randomBytes(4).toString('hex')}`;
    const dir = await project(marker, {
      'slow.journey.mjs': slowJourney('killed', ['a', 'b']),
    });
    try {
      const child = execa('node', [CLI, 'run'], { cwd: dir, env, reject: false });
      const deadline = Date.now() + 120_000;
      while ((await processesWith(marker)).length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect((await processesWith(marker)).length).toBe(2);
      child.kill('SIGKILL');
      await child;
      // Nothing ran any finally: the embedded server outlives the CLI, and so do the APIs that
      // do not happen to die writing to the closed pipe of their output.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const survivors = await processesWith(marker);

      const pruned = await runCli(['prune', '--json'], dir, env);
      expect(pruned.exitCode, pruned.stderr).toBe(0);
      const report = JSON.parse(pruned.stdout) as { clusters: string[]; processes: string[] };
      // Some APIs end by themselves meanwhile (writing to the closed pipe): at most the
      // survivors are found, and afterwards none is left.
      expect(report.processes.filter((p) => p.includes(marker)).length).toBeLessThanOrEqual(
        survivors.length,
      );
      expect(report.clusters.length).toBeGreaterThanOrEqual(1);
      expect(await processesWith(marker)).toEqual([]);
      // The global teardown checks that no embedded cluster of this test run is left.
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const hasDocker = await dockerAvailable();

describe.skipIf(!hasDocker)(
  'venomqa run on Docker (PostgreSQL and the shop API in containers)',
  () => {
    it('runs the shop example with one container per API slot and leaves none behind', async () => {
      const reports = await mkdtemp(join(tmpdir(), 'venomqa-run-docker-'));
      try {
        const run = await runCli(
          ['run', '-c', 'examples/shop/venomqa.yaml', '--report-dir', reports],
          REPO,
          {
            ...env,
            VENOMQA_SERVER_PROVIDER: 'docker',
            VENOMQA_API_MODE: 'auto',
            VENOMQA_SERVER_NETWORK: process.env.VENOMQA_SERVER_NETWORK ?? 'host',
            VENOMQA_BASE_IMAGE: process.env.VENOMQA_BASE_IMAGE,
          },
        );
        expect(run.exitCode, run.stderr).toBe(0);
        expect(run.stderr).toContain(
          'image venomqa/shop-api:latest started once per slot, 3 slots, its database swapped for each path (docker)',
        );
        expect(run.stderr).toMatch(/PostgreSQL 17\.\d+ .*\(docker\) for this run/);
        // Every Docker API answer was read to its end: nothing kept the CLI alive afterwards.
        expect(run.stderr).not.toContain('a handle kept the process alive');
        // At most three containers served the five paths (and the main line), each started at
        // most once: a slot still warming up when the journey ends (a slow machine) is stopped
        // before its container answered, and never counts a start.
        const report = JSON.parse(await readFile(join(reports, 'venomqa-report.json'), 'utf8')) as {
          slots: { apiStarts: number; swaps: number }[];
        };
        expect(report.slots).toHaveLength(3);
        for (const slot of report.slots) expect(slot.apiStarts).toBeLessThanOrEqual(1);
        expect(report.slots[0]?.apiStarts).toBe(1);
        // The global teardown fails the run if a container with this run's id is left.
      } finally {
        await rm(reports, { recursive: true, force: true });
      }
    });
  },
);
