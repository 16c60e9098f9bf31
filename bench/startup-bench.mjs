/* global console, process, URL */
// Startup benchmark: what one CLI call and one `import 'venomqa'` cost, against bare `node`
// and `createdb` measured in the same run (median of 10 each, interleaved where they compete
// for the same disk). A temporary project gets a managed database of its own (`venomqa db up`:
// Docker when a daemon answers, else embedded), a 150 MB table, and a journey importing
// 'venomqa' through node_modules as an installed package would. `snapshot create` is also set
// against the floor for any Node program: a bare script that imports pg and runs one
// CREATE DATABASE … TEMPLATE … STRATEGY FILE_COPY. Prints figures and ratios; asserts nothing.
// Run with `npm run bench` (builds first).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const RUNS = 10;
const MB = Number(process.env.BENCH_MB ?? 150);
const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(repo, 'dist/cli/main.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n) => `${n.toFixed(0)} ms`;
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

// CPU time of finished children (Linux: cutime + cstime of /proc/self/stat, in clock ticks of
// 10 ms). On a shared machine it moves far less with the load than wall time does.
const CHILD_CPU = existsSync('/proc/self/stat');
function childCpuMs() {
  if (!CHILD_CPU) return 0;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/**
 * `name: median X ms (cpu Y ms), R x reference` for samples of {wall, cpu}, against one
 * reference or several. The CPU ratio is printed against another Node process only:
 * createdb's copy runs in the server, so its own CPU time says nothing.
 */
function figure(name, samples, references = [], goal) {
  const wall = median(samples.map((s) => s.wall));
  const cpu = median(samples.map((s) => s.cpu));
  const vs = [references]
    .flat()
    .map(
      (reference) =>
        `, ${ratio(wall, median(reference.samples.map((s) => s.wall)))} ${reference.name}` +
        (CHILD_CPU && reference.cpuComparable
          ? ` (cpu ${ratio(cpu, median(reference.samples.map((s) => s.cpu)))})`
          : ''),
    )
    .join('');
  console.log(
    `${name}: median ${ms(wall)}${CHILD_CPU ? ` (cpu ${ms(cpu)})` : ''}${vs}${goal ? ` (${goal})` : ''}`,
  );
  return { name, samples, cpuComparable: true };
}
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Wall and CPU time of one process run to its end, in ms; throws when it fails. */
function timed(file, args, options = {}) {
  const cpuBefore = childCpuMs();
  const started = process.hrtime.bigint();
  const result = spawnSync(file, args, { encoding: 'utf8', ...options });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(
      `${path.basename(file)} ${args.join(' ')} exited ${result.status}: ${result.stderr}`,
    );
  }
  return { wall, cpu: childCpuMs() - cpuBefore };
}

const project = mkdtempSync(path.join(tmpdir(), 'venomqa-startup-bench-'));
const inProject = { cwd: project, env: process.env };
const venomqa = (...args) => timed(process.execPath, [cli, ...args], inProject);
const venomqaOutput = (...args) =>
  execFileSync(process.execPath, [cli, ...args], { ...inProject, encoding: 'utf8' });

// A database name of its own: `db up` reuses a running managed server of the same settings
// that another project started, and the 150 MB table must not land in someone else's database.
writeFileSync(
  path.join(project, 'venomqa.yaml'),
  `base_url: http://127.0.0.1:8000\nserver:\n  database: startup_bench_${process.pid}\n`,
);
mkdirSync(path.join(project, 'node_modules'));
symlinkSync(repo, path.join(project, 'node_modules', 'venomqa'), 'dir');
mkdirSync(path.join(project, 'journeys'));
const journey = path.join(project, 'journeys', 'health.journey.mjs');
writeFileSync(
  journey,
  `import { Journey, Step } from 'venomqa';
export default Journey({
  name: 'health',
  steps: [Step({ name: 'ping', action: (api) => api.get('/health'), expect: { status: 200 } })],
});
`,
);

// The floor: what any Node program pays to make the same copy, loading pg the usual way (the
// connection string comes through the environment, so no password is written to disk).
const floorScript = path.join(project, 'create-database.mjs');
writeFileSync(
  floorScript,
  `import pg from '${import.meta.resolve('pg')}';
const client = new pg.Client({ connectionString: process.env.FLOOR_ADMIN_URL });
await client.connect();
try {
  await client.query(process.env.FLOOR_SQL);
} finally {
  await client.end();
}
`,
);

/** The reference for createdb: Debian's createdb, else psql, else a node pg client (said so). */
function createdbCommand(address, source, target) {
  const env = { ...process.env, PGPASSWORD: address.password };
  const connection = ['-h', address.host, '-p', address.port, '-U', address.user];
  const has = (tool) => spawnSync(tool, ['--version']).status === 0;
  if (has('createdb')) {
    return {
      label: 'createdb -T … -S FILE_COPY',
      short: 'createdb',
      run: () =>
        timed('createdb', [...connection, '-T', source, '-S', 'FILE_COPY', target], { env }),
    };
  }
  if (has('psql')) {
    return {
      label: "psql -c 'create database … strategy file_copy'",
      short: 'psql',
      run: () =>
        timed(
          'psql',
          [
            ...connection,
            '-d',
            'postgres',
            '-c',
            `create database "${target}" template "${source}" strategy file_copy`,
          ],
          { env },
        ),
    };
  }
  throw new Error('neither createdb nor psql is installed (apt-get install postgresql-client)');
}

console.log(`load average at start: ${load()} (2 cores shared; figures are ratios of one run)`);
let admin;
try {
  // Bare starts, interleaved so a load spike hits all three alike.
  const bare = [];
  const version = [];
  const imported = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(timed(process.execPath, ['-e', '0']));
    version.push(venomqa('--version'));
    imported.push(timed(process.execPath, [journey], inProject));
  }
  const node = figure('node -e 0', bare, undefined, 'the reference; ~40 ms on a quiet machine');
  figure('venomqa --version', version, node, 'goal 0.15 s quiet: ≤ 3.75x node');
  figure("import 'venomqa' from a journey", imported, node, 'goal 0.2 s quiet: ≤ 5x node');

  venomqa('db', 'up');
  const status = JSON.parse(venomqaOutput('--json', 'db', 'status'));
  const url = venomqaOutput('db', 'url', '--show-password').trim();
  const parsed = new URL(url);
  const address = {
    host: parsed.hostname,
    port: parsed.port,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
  const working = decodeURIComponent(parsed.pathname.slice(1));
  console.log(
    `server: ${status.provider} PostgreSQL ${status.version} (venomqa db up), working database ${working}`,
  );

  const data = new pg.Client({ connectionString: url });
  await data.connect();
  try {
    await data.query(
      `create table accounts (aid int primary key, bid int, abalance int, filler char(84));
       insert into accounts select g, g % 100, 0, '' from generate_series(1, ${Math.round(MB * 6200)}) g;`,
    );
    await data.query('vacuum analyze accounts');
  } finally {
    await data.end();
  }
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  admin = new pg.Client({ connectionString: adminUrl.href });
  await admin.connect();
  const {
    rows: [{ size }],
  } = await admin.query('select pg_size_pretty(pg_database_size($1)) as size', [working]);

  venomqa('snapshot', 'create', 'bench-listed');
  const list = [];
  for (let i = 0; i < RUNS; i++) list.push(venomqa('snapshot', 'list'));
  venomqa('snapshot', 'delete', 'bench-listed', '--force');
  figure('venomqa snapshot list', list, node, 'goal 0.3 s quiet: ≤ 7.5x node');

  const reference = createdbCommand(address, working, 'bench_createdb_copy');
  const floorEnv = {
    ...process.env,
    FLOOR_ADMIN_URL: adminUrl.href,
    FLOOR_SQL: `create database bench_floor_copy template ${pg.escapeIdentifier(working)} strategy file_copy`,
  };
  const copies = [];
  const floors = [];
  const snapshots = [];
  for (let i = 0; i < RUNS; i++) {
    copies.push(reference.run());
    await admin.query('drop database bench_createdb_copy');
    floors.push(timed(process.execPath, [floorScript], { cwd: project, env: floorEnv }));
    await admin.query('drop database bench_floor_copy');
    snapshots.push(venomqa('snapshot', 'create', `bench-${i}`));
    venomqa('snapshot', 'delete', `bench-${i}`, '--force');
  }
  const createdb = { name: reference.short, samples: copies, cpuComparable: false };
  figure(`${size} database: ${reference.label}`, copies);
  const floor = figure(
    `${size} database: node + pg, one CREATE DATABASE … STRATEGY FILE_COPY (the floor)`,
    floors,
    createdb,
  );
  figure(
    `${size} database: venomqa snapshot create`,
    snapshots,
    [createdb, { ...floor, name: 'the floor' }],
    `goal ≤ 1.5x ${reference.short}`,
  );
} finally {
  await admin?.end();
  spawnSync(process.execPath, [cli, 'db', 'down', '--force'], { ...inProject, stdio: 'ignore' });
  rmSync(project, { recursive: true, force: true });
  console.log(`load average at end: ${load()}`);
}
