import { readdir, readFile } from 'node:fs/promises';
import { isProcessAlive, stopProcesses } from '../process-liveness.js';
import { API_OWNER_ENV } from './api-process.js';

/** How long an orphaned API gets to exit on SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 2000;

/**
 * API processes (`api.mode: process`) whose venomqa is gone: found by the
 * `VENOMQA_OWNER_PID` marker in their environment (Linux `/proc`; elsewhere none are found),
 * then sent SIGTERM and, if still there two seconds later, SIGKILL. Processes of live runs and
 * processes this user may not read are left alone.
 *
 * @returns `pid command` of each process ended (or, with `dryRun`, that would be).
 */
export async function pruneApiProcesses(options: { dryRun?: boolean } = {}): Promise<string[]> {
  const marker = `${API_OWNER_ENV}=`;
  const found: { pid: number; command: string }[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
    const owner = environ
      .split('\0')
      .find((variable) => variable.startsWith(marker))
      ?.slice(marker.length);
    if (owner === undefined || isProcessAlive(Number(owner))) continue;
    const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''))
      .split('\0')
      .join(' ')
      .trim();
    found.push({ pid, command });
  }
  if (!options.dryRun) {
    await stopProcesses(
      found.map(({ pid }) => pid),
      STOP_GRACE_MS,
    );
  }
  return found.map(({ pid, command }) => `${pid} ${command}`);
}
