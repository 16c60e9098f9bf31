// What the soak counts between runs, when no run is live: anything a run leaves behind is a
// leak. Databases are venomqa's run-owned kinds (clones, checkpoints, restore temporaries; the
// cached setup template and named snapshots are meant to stay), containers carry venomqa's
// managed label, processes carry the owner marker every API and setup process gets.
import { readdir, readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const RUN_OWNED = /^vqa_[ckto]_/;

/** One query on its own connection, closed afterwards (the soak must not hold connections). */
async function query(url, sql) {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Run-owned venomqa databases on the server, with the run id their catalog entry names. */
export async function leftoverDatabases(adminUrl) {
  const rows = await query(
    adminUrl,
    `select datname, shobj_description(oid, 'pg_database') as comment
       from pg_database where starts_with(datname, 'vqa_') order by 1`,
  );
  return rows
    .filter((r) => RUN_OWNED.test(r.datname))
    .map((r) => {
      let runId;
      try {
        runId = JSON.parse(r.comment ?? '{}').runId;
      } catch {
        runId = undefined;
      }
      return { name: r.datname, runId };
    });
}

/** Client connections to the server other than this query's own. */
export async function openConnections(adminUrl) {
  const rows = await query(
    adminUrl,
    `select count(*)::int as n from pg_stat_activity
      where backend_type = 'client backend' and pid <> pg_backend_pid()`,
  );
  return rows[0]?.n ?? 0;
}

/** The postmaster's pid, from postmaster.pid in its data directory. */
export async function postmasterPid(adminUrl) {
  const rows = await query(adminUrl, 'show data_directory');
  const text = await readFile(`${rows[0].data_directory}/postmaster.pid`, 'utf8');
  return Number(text.split('\n')[0]);
}

async function children(pid) {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(' ').filter(Boolean).map(Number);
}

async function rssKb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** The server's open file descriptors (postmaster) and resident memory (it and its children). */
export async function serverFootprint(pid) {
  const fds = (await readdir(`/proc/${pid}/fd`).catch(() => [])).length;
  let rss = await rssKb(pid);
  const kids = await children(pid);
  for (const kid of kids) rss += await rssKb(kid);
  return { fds, rssMb: Math.round(rss / 1024), serverProcesses: 1 + kids.length };
}

/** Processes venomqa started (APIs, setup commands) whose environment names one of `owners`. */
export async function ownedProcesses(owners) {
  const found = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    const owner = environ
      .split('\0')
      .find((v) => v.startsWith('VENOMQA_OWNER_PID='))
      ?.slice('VENOMQA_OWNER_PID='.length);
    if (owner !== undefined && owners.has(Number(owner))) found.push(pid);
  }
  return found;
}

/** Containers with venomqa's managed label whose run id starts with `runIdPrefix`. */
export async function managedContainers(runIdPrefix) {
  try {
    const { stdout } = await run('docker', [
      'ps',
      '-a',
      '--filter',
      'label=dev.venomqa.managed=true',
      '--format',
      '{{.Names}} {{.Label "dev.venomqa.run-id"}}',
    ]);
    return stdout
      .split('\n')
      .filter((line) => line.split(' ')[1]?.startsWith(runIdPrefix))
      .map((line) => line.split(' ')[0]);
  } catch {
    return [];
  }
}

/** Whether a Docker daemon answers and the shop image is there. */
export async function dockerWithImage(image) {
  try {
    await run('docker', ['image', 'inspect', image], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
