import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '../process-liveness.js';
import {
  EMBEDDED_OWNER_FILE,
  EMBEDDED_TEMP_PREFIX,
  runningPostmasterPid,
  stopPostmaster,
  type EmbeddedOwner,
} from './embedded-postgres.js';

/**
 * Temporary embedded clusters (`$TMPDIR/venomqa-embedded-*`) whose owning process is gone: a
 * run killed with SIGKILL, or a script stopped mid-way, left them (and maybe a postmaster).
 * Their server is stopped and the folder removed. Clusters of `venomqa db up` (persistent) and
 * of live processes are left alone.
 *
 * @returns the folders removed (or, with `dryRun`, that would be).
 */
export async function pruneEmbeddedClusters(options: { dryRun?: boolean } = {}): Promise<string[]> {
  const pruned: string[] = [];
  const entries = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(EMBEDDED_TEMP_PREFIX)) continue;
    const root = join(tmpdir(), entry);
    const owner = await readOwner(root);
    if (!owner || owner.persistent || isProcessAlive(owner.ownerPid)) continue;
    pruned.push(root);
    if (options.dryRun) continue;
    const pid = await runningPostmasterPid(join(root, 'data'));
    if (pid !== undefined) await stopPostmaster(pid);
    await rm(root, { recursive: true, force: true });
  }
  return pruned;
}

async function readOwner(root: string): Promise<EmbeddedOwner | undefined> {
  try {
    return JSON.parse(await readFile(join(root, EMBEDDED_OWNER_FILE), 'utf8')) as EmbeddedOwner;
  } catch {
    // No owner file: not ours to judge (or still being created).
    return undefined;
  }
}
