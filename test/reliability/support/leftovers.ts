import { readdir, readFile } from 'node:fs/promises';
import { API_OWNER_ENV } from '../../../src/api/api-process.js';
import { findDockerDaemon, isDockerAvailable } from '../../../src/docker/find-docker-daemon.js';
import { LABEL } from '../../../src/docker/labels.js';
import { listLabelledContainers } from '../../../src/docker/started-container.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { parsePhysicalName, runKey } from '../../../src/snapshot/snapshot-names.js';

/** A venomqa database on the server, with the run its name says owns it. */
export interface VenomqaDatabase {
  name: string;
  kind: string;
  runKey: string | undefined;
  comment: string | null;
  allowConnections: boolean;
}

/** Every `vqa_` database on the server of `adminUrl` (matched with starts_with, as prune does). */
export async function venomqaDatabases(adminUrl: string): Promise<VenomqaDatabase[]> {
  const rows = await queryOnce<{ datname: string; comment: string | null; datallowconn: boolean }>(
    adminUrl,
    `select datname, shobj_description(oid, 'pg_database') as comment, datallowconn
       from pg_database where starts_with(datname, 'vqa_') order by 1`,
  );
  return rows.map((row) => {
    const parsed = parsePhysicalName(row.datname);
    return {
      name: row.datname,
      kind: parsed?.kind ?? 'unknown',
      runKey: parsed?.runKey,
      comment: row.comment,
      allowConnections: row.datallowconn,
    };
  });
}

/** The databases whose names say one of `runIds` made them. */
export async function databasesOfRuns(
  adminUrl: string,
  runIds: readonly string[],
): Promise<VenomqaDatabase[]> {
  const keys = new Set(runIds.map(runKey));
  return (await venomqaDatabases(adminUrl)).filter((d) => d.runKey && keys.has(d.runKey));
}

/** A process venomqa started (an API, a setup command), found by its owner marker. */
export interface OwnedProcess {
  pid: number;
  ownerPid: number;
  command: string;
  environment: Record<string, string>;
}

/** Processes whose environment names one of `ownerPids` as the venomqa that started them. */
export async function processesOwnedBy(ownerPids: ReadonlySet<number>): Promise<OwnedProcess[]> {
  const found: OwnedProcess[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    const environment: Record<string, string> = {};
    for (const variable of environ.split('\0')) {
      const at = variable.indexOf('=');
      if (at > 0) environment[variable.slice(0, at)] = variable.slice(at + 1);
    }
    const owner = Number(environment[API_OWNER_ENV]);
    if (!ownerPids.has(owner)) continue;
    const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''))
      .split('\0')
      .join(' ')
      .trim();
    found.push({ pid, ownerPid: owner, command, environment });
  }
  return found;
}

/** Containers venomqa started whose owner-pid label is one of `ownerPids` (none without Docker). */
export async function containersOwnedBy(ownerPids: ReadonlySet<number>): Promise<string[]> {
  if (!(await isDockerAvailable())) return [];
  const { docker } = await findDockerDaemon();
  const containers = await listLabelledContainers(docker, { [LABEL.managed]: 'true' });
  return containers
    .filter((c) => ownerPids.has(Number(c.Labels[LABEL.ownerPid])))
    .map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ''));
}
