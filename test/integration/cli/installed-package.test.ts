import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, SHOP_SERVER } from '../runner/shop-fixture.js';

// venomqa as users get it: the tarball `npm pack` makes (of the build the global setup made),
// installed with `npm install` into an empty project, without devDependencies, so the bundle
// must hold every package it does not leave to node_modules.

interface PackResult {
  filename: string;
  version: string;
  files: { path: string }[];
}

const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
  VENOMQA_SERVER_PROVIDER: 'embedded',
};

/** The journey's line that calls Step() for its main line, for the report's location. */
const STEP_LINE = 7;
const JOURNEY = `import { Branch, Checkpoint, Journey, Path, Step } from 'venomqa';

const health = (name: string) =>
  Step({ name, expect: { status: 200 }, action: (api) => api.get('/health') });

export default Journey({ name: 'installed', steps: [
  Step({ name: 'up', expect: { status: 200 }, action: (api) => api.get('/health') }),
  Checkpoint({ name: 'started' }),
  Branch({ checkpointName: 'started', paths: [
    Path({ name: 'a', steps: [health('a')] }),
    Path({ name: 'b', steps: [health('b')] }),
  ] }),
] });
`;

describe('the installed package (npm pack, npm install of the tarball)', () => {
  let work = '';
  let project = '';
  let packed: PackResult;
  const bin = () => join(project, 'node_modules', '.bin', 'venomqa');

  /** What a user imports: 'venomqa' and each subpath the installed package.json exports. */
  async function publicSpecifiers(): Promise<string[]> {
    const manifest = JSON.parse(
      await readFile(join(project, 'node_modules', 'venomqa', 'package.json'), 'utf8'),
    ) as { exports: Record<string, unknown> };
    return Object.keys(manifest.exports)
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? 'venomqa' : `venomqa/${key.slice(2)}`));
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'venomqa-installed-'));
    // Embedded PostgreSQL runs as `postgres` when the tests run as root: it must reach the
    // binaries inside the project's node_modules.
    await chmod(work, 0o755);
    const pack = await execa(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', work],
      { cwd: REPO },
    );
    [packed] = JSON.parse(pack.stdout) as [PackResult];
    project = join(work, 'project');
    await mkdir(project);
    await writeFile(
      join(project, 'package.json'),
      '{ "name": "uses-venomqa", "private": true, "type": "module" }\n',
    );
    // Dependencies from npm's cache where it has them (npm ci filled it), else the registry.
    await execa(
      'npm',
      [
        'install',
        join(work, packed.filename),
        '--omit=dev',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
      ],
      { cwd: project },
    );
  }, 600_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('holds the bundle, its declarations and the images, without sources or source maps', () => {
    const files = packed.files.map((file) => file.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/cli/main.js',
        'dist/run/venomqa-resolve-hook.js',
        'dist/state/index.js',
        'dist/state/index.d.ts',
        'images/postgres/Dockerfile',
      ]),
    );
    expect(files.some((file) => /^dist\/chunks\/chunk-\w+\.js$/.test(file))).toBe(true);
    expect(files.filter((file) => file.endsWith('.map') || file.startsWith('src/'))).toEqual([]);
  });

  it('starts its bin, and every public entry point imports, sharing one copy of each class', async () => {
    const version = await execa(bin(), ['--version'], { cwd: project, env });
    expect(version.stdout).toBe(packed.version);

    const specifiers = await publicSpecifiers();
    const script = `
      const specifiers = ${JSON.stringify(specifiers)};
      const loaded = Object.fromEntries(
        await Promise.all(specifiers.map(async (s) => [s, await import(s)])),
      );
      const root = loaded['venomqa'];
      console.log(JSON.stringify({
        entries: Object.keys(loaded).length,
        sameError: root.VenomQAError === loaded['venomqa/errors'].VenomQAError,
        sameJourney: root.Journey === loaded['venomqa/journey'].Journey,
        sameRunner: root.JourneyRunner === loaded['venomqa/runner'].JourneyRunner,
      }));`;
    const { stdout } = await execa('node', ['--input-type=module', '-e', script], {
      cwd: project,
      env,
    });
    expect(JSON.parse(stdout)).toEqual({
      entries: specifiers.length,
      sameError: true,
      sameJourney: true,
      sameRunner: true,
    });
  });

  it('type-checks: every public entry point under strict settings, the declarations included', async () => {
    const specifiers = await publicSpecifiers();
    await writeFile(
      join(project, 'uses-all.ts'),
      specifiers.map((s, i) => `export * as entry${i} from '${s}';\n`).join(''),
    );
    // Node's own types, as any Node project has them; nothing else from this repository, so a
    // declaration naming a package whose types are not installed with venomqa fails here.
    const typeRoots = join(work, 'types');
    await mkdir(typeRoots);
    await symlink(join(REPO, 'node_modules', '@types', 'node'), join(typeRoots, 'node'), 'dir');
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          noEmit: true,
          skipLibCheck: false,
          typeRoots: [typeRoots],
          types: ['node'],
        },
        files: ['uses-all.ts'],
      }),
    );
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = await execa('node', [tsc, '-p', project], { cwd: project, reject: false });
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.exitCode).toBe(0);
  });

  it('runs a TypeScript journey of the project on embedded PostgreSQL, locating its steps', async () => {
    await writeFile(
      join(project, 'venomqa.yaml'),
      [
        'parallel_paths: 2',
        'report_dir: reports',
        'report_formats: [json]',
        'api:',
        '  mode: process',
        `  command: [node, ${JSON.stringify(SHOP_SERVER)}]`,
        '  health: /health',
        '  env:',
        "    DATABASE_URL: '{database_url}'",
        "    PORT: '{port}'",
        '',
      ].join('\n'),
    );
    await mkdir(join(project, 'journeys'), { recursive: true });
    const journeyFile = join(project, 'journeys', 'installed.journey.ts');
    await writeFile(journeyFile, JOURNEY);

    const run = await execa(bin(), ['run'], { cwd: project, env, reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^1 journey passed, 0 failed/);

    const report = JSON.parse(
      await readFile(join(project, 'reports', 'venomqa-report.json'), 'utf8'),
    ) as {
      venomqa: { version: string };
      journeys: { items: { kind: string; location?: { file: string; line?: number } }[] }[];
    };
    expect(report.venomqa.version).toBe(packed.version);
    // The DSL runs from the installed package's chunks: its own frames are skipped, the
    // journey's Step() call is the step's location.
    const [first] = report.journeys[0]?.items ?? [];
    expect(first?.location).toEqual({ file: journeyFile, line: STEP_LINE, column: 3 });
  });
});
