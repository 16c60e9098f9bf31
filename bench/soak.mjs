/* global clearTimeout, console, process, setTimeout */
// Soak: `venomqa run` of the shop example (a checkout that branches into three paths) in a loop
// for --minutes N (default 10), each run with a random fault: none, a failing path, the CLI
// killed (SIGKILL, then `venomqa prune` as a user would) or interrupted (SIGINT), an API
// process or container killed mid-path, every client connection terminated by the server. Once
// a minute, with no run live, it counts what runs left behind: run-owned databases,
// containers, API processes, connections in pg_stat_activity, and the server's file
// descriptors and memory. Prints a table and a verdict line. Not part of npm test.
//   npm run build && node bench/soak.mjs --minutes 2
// Uses embedded PostgreSQL (`venomqa db up`); Docker faults only when the shop image is built.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import pg from 'pg';
import { CLI, SHOP_IMAGE, soakEnv, soakProject } from './soak-project.mjs';
import {
  dockerWithImage,
  leftoverDatabases,
  managedContainers,
  openConnections,
  ownedProcesses,
  postmasterPid,
  serverFootprint,
} from './soak-checks.mjs';

const at = process.argv.indexOf('--minutes');
const MINUTES = at === -1 ? 10 : Number(process.argv[at + 1]);
const RUN_TIMEOUT_MS = 180_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const random = (min, max) => min + Math.floor(Math.random() * (max - min));

const dir = await soakProject();
const cliPids = new Set();
const soakId = `soak-${randomBytes(3).toString('hex')}`;

/** `venomqa <args>` in the project; `during(child)` runs alongside (the fault). */
function cli(args, env = {}, during) {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: soakEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Processes of the runs' CLIs only: the server `db up` started is meant to stay.
  if (args[0] === 'run') cliPids.add(child.pid);
  let output = '';
  let stdout = '';
  child.stdout.on('data', (chunk) => ((output += chunk), (stdout += chunk)));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output, stdout })),
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  const fault = during ? during(child, exited) : Promise.resolve();
  return Promise.all([exited, fault]).then(([result]) => {
    clearTimeout(timer);
    return result;
  });
}

const up = await cli(['db', 'up', '--json', '--show-password']);
if (up.code !== 0) throw new Error(`venomqa db up failed:\n${up.output}`);
const adminUrl = JSON.parse(up.stdout).url;
const pid = await postmasterPid(adminUrl);
const docker = await dockerWithImage(SHOP_IMAGE);

/** Waits until the run has an API (a process or container of its own), then kills one. */
async function killApi(child, exited, runId, inDocker) {
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    const apis = inDocker
      ? await managedContainers(runId)
      : await ownedProcesses(new Set([child.pid]));
    const api = apis.find((name) => !String(name).includes('postgres'));
    if (api !== undefined) {
      await sleep(random(100, 900));
      if (inDocker) spawn('docker', ['kill', api], { stdio: 'ignore' });
      else process.kill(api, 'SIGKILL');
      return 'killed';
    }
    await sleep(100);
  }
  return 'finished first';
}

async function terminateBackends() {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const rows = await client.query(
      `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where backend_type = 'client backend' and pid <> pg_backend_pid()`,
    );
    return rows.rows[0].n;
  } finally {
    await client.end();
  }
}

// Each fault: how to run it and which exit codes are right (130: interrupted; 1: a path
// failed, as when its API is killed twice or the server drops its connections).
const FAULTS = [
  { name: 'clean', expect: [0] },
  { name: 'failing path', args: ['failing'], expect: [1] },
  {
    name: 'CLI killed',
    expect: [null, 0, 1], // killed, or finished before the kill
    prune: true,
    during: (child) => sleep(random(300, 5000)).then(() => child.kill('SIGKILL')),
  },
  {
    name: 'CLI interrupted',
    expect: [130, 0],
    during: (child) => sleep(random(300, 5000)).then(() => child.kill('SIGINT')),
  },
  {
    name: 'API killed',
    expect: [0, 1],
    during: (child, exited, runId) => killApi(child, exited, runId, false),
  },
  {
    name: 'connections terminated',
    expect: [0, 1],
    during: () => sleep(random(500, 4000)).then(terminateBackends),
  },
  ...(docker
    ? [
        { name: 'clean, API in Docker', docker: true, expect: [0] },
        {
          name: 'API container killed',
          docker: true,
          expect: [0, 1],
          during: (child, exited, runId) => killApi(child, exited, runId, true),
        },
        {
          name: 'CLI killed, API in Docker',
          docker: true,
          expect: [null, 0, 1], // killed, or finished before the kill
          prune: true,
          during: (child) => sleep(random(1000, 6000)).then(() => child.kill('SIGKILL')),
        },
      ]
    : []),
];

const tally = new Map(FAULTS.map((f) => [f.name, { runs: 0, unexpected: 0 }]));
const unexpected = [];
/** Each run's fault and exit, to say which run a leftover came from. */
const faultOf = new Map();
const killedRuns = new Set();

async function oneRun(fault) {
  const runId = `${soakId}-${randomBytes(3).toString('hex')}`;
  const env = { VENOMQA_RUN_ID: runId, ...(fault.docker ? { VENOMQA_API_MODE: 'docker' } : {}) };
  const result = await cli(['run', ...(fault.args ?? [])], env, (child, exited) =>
    fault.during ? fault.during(child, exited, runId) : Promise.resolve(),
  );
  faultOf.set(runId, `${fault.name}, exit ${result.code ?? result.signal}`);
  const counts = tally.get(fault.name);
  counts.runs += 1;
  // A SIGINT before the CLI has installed its handler ends node by the signal, as for any
  // program: the same as exit 130 to a shell.
  const code = result.signal === 'SIGINT' ? 130 : result.code;
  let ok = fault.expect.includes(code);
  let detail = `exit ${result.code ?? result.signal}`;
  if (fault.prune) {
    killedRuns.add(runId);
    const prune = await cli(['prune']);
    ok &&= prune.code === 0;
    if (prune.code !== 0) detail += `; prune exit ${prune.code}: ${prune.output.slice(-400)}`;
  }
  if (!ok) {
    counts.unexpected += 1;
    unexpected.push(`${fault.name} (${runId}): ${detail}\n${result.output.slice(-1200)}`);
  }
}

/** What a leak is, for the line under the table: names, pids and command lines. */
async function describeLeaks(databases, containers, processes) {
  const commands = await Promise.all(
    processes.map(
      async (p) =>
        `${p} ${(await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ').slice(0, 120)}`,
    ),
  );
  const named = databases.map((d) => `${d.name} (${faultOf.get(d.runId) ?? d.runId})`);
  return [...named, ...containers, ...commands].slice(0, 6).join('; ');
}

async function measure(minute) {
  // A killed run's databases wait for `venomqa prune`; the prune right after the kill can
  // still find the run's lease held (the server has not yet seen the connection close), so
  // they are pruned again here. Whatever is left then, or was left by a run that ended by
  // itself, is a leak.
  let databases = await leftoverDatabases(adminUrl);
  if (databases.some((d) => killedRuns.has(d.runId))) {
    await cli(['prune']);
    databases = await leftoverDatabases(adminUrl);
  }
  const containers = await managedContainers(soakId);
  const processes = await ownedProcesses(cliPids);
  if (databases.length + containers.length + processes.length > 0) {
    console.log(
      `  left at minute ${minute}: ${await describeLeaks(databases, containers, processes)}`,
    );
  }
  return {
    minute,
    runs: [...tally.values()].reduce((n, t) => n + t.runs, 0),
    unexpected: unexpected.length,
    databases: databases.length,
    containers: containers.length,
    processes: processes.length,
    connections: await openConnections(adminUrl),
    ...(await serverFootprint(pid)),
    soakMb: Math.round(process.memoryUsage().rss / 1048576),
  };
}

const COLUMNS = [
  'minute',
  'runs',
  'unexpected',
  'databases',
  'containers',
  'processes',
  'connections',
  'fds',
  'rssMb',
  'soakMb',
];
const row = (r) => COLUMNS.map((c) => String(r[c]).padStart(Math.max(6, c.length))).join(' ');
console.log(`soak: ${MINUTES} min, faults: ${FAULTS.map((f) => f.name).join(', ')}`);
console.log(COLUMNS.map((c) => c.padStart(Math.max(6, c.length))).join(' '));

const rows = [];
try {
  await oneRun(FAULTS[0]); // warm-up: the shop's first boot, the first clones
  rows.push(await measure(0));
  console.log(row(rows[0]));
  const started = Date.now();
  for (let minute = 1; minute <= MINUTES; minute += 1) {
    while (Date.now() < started + minute * 60_000) {
      await oneRun(FAULTS[random(0, FAULTS.length)]);
    }
    rows.push(await measure(minute));
    console.log(row(rows.at(-1)));
  }
} finally {
  await cli(['db', 'down', '--force']);
  await rm(dir, { recursive: true, force: true });
}

const first = rows[1] ?? rows[0];
const last = rows.at(-1);
const leaks = rows.filter((r) => r.databases + r.containers + r.processes + r.connections > 0);
const fdGrowth = last.fds - first.fds;
const rssGrowth = (last.rssMb - first.rssMb) / Math.max(1, first.rssMb);
console.log('\nruns by fault:');
for (const [name, t] of tally) console.log(`  ${name}: ${t.runs} runs, ${t.unexpected} unexpected`);
for (const line of unexpected.slice(0, 5)) console.log(`\nunexpected: ${line}`);
const problems = [
  ...(leaks.length ? [`leaks at minute(s) ${leaks.map((r) => r.minute).join(', ')}`] : []),
  ...(unexpected.length ? [`${unexpected.length} runs ended unexpectedly`] : []),
  ...(fdGrowth > 5 ? [`server fds grew by ${fdGrowth}`] : []),
  ...(rssGrowth > 0.3 ? [`server memory grew ${Math.round(rssGrowth * 100)}%`] : []),
];
console.log(
  `\nverdict: ${problems.length ? 'FAIL' : 'PASS'} — ${last.runs} runs in ${MINUTES} min; ` +
    `leftovers at every check: ${leaks.length ? 'some' : 'none'} (databases, containers, processes, connections); ` +
    `server fds ${first.fds} -> ${last.fds}, server RSS ${first.rssMb} -> ${last.rssMb} MB` +
    (problems.length ? `; ${problems.join('; ')}` : ''),
);
process.exitCode = problems.length ? 1 : 0;
