import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { isProcessAlive } from '../process-liveness.js';
import { LABEL } from './labels.js';
import { listLabelledContainers, stopAndRemove } from './started-container.js';

/** Roles of containers that live only as long as the process that started them. */
const RUN_SCOPED_ROLES = new Set(['postgres', 'api', 'tools']);

/**
 * Containers venomqa started for a run whose process is gone (killed with SIGKILL, or a crash
 * before `finally`): PostgreSQL servers, API instances, pg_dump helpers. The managed database
 * (`venomqa db up`) outlives processes on purpose and is left alone, as are containers started
 * on another machine sharing the daemon, whose pids cannot be checked from here.
 *
 * @returns the names of the containers removed (or, with `dryRun`, that would be).
 */
export async function pruneOrphanContainers(
  docker: Docker,
  options: { dryRun?: boolean } = {},
): Promise<string[]> {
  const pruned: string[] = [];
  const here = hostname();
  for (const info of await listLabelledContainers(docker, { [LABEL.managed]: 'true' })) {
    const labels = info.Labels;
    if (!RUN_SCOPED_ROLES.has(labels[LABEL.role] ?? '')) continue;
    if (labels[LABEL.ownerHost] !== here) continue;
    const pid = Number(labels[LABEL.ownerPid]);
    if (!Number.isInteger(pid) || pid <= 0 || isProcessAlive(pid)) continue;
    pruned.push((info.Names[0] ?? info.Id).replace(/^\//, ''));
    if (!options.dryRun) await stopAndRemove(docker, info.Id, 1);
  }
  return pruned;
}
