import { readdir, readFile } from 'node:fs/promises';
import { API_OWNER_ENV } from './api-process.js';

/**
 * API processes (`api.mode: process`) whose venomqa is gone: found by the
 * `VENOMQA_OWNER_PID` marker in their environment (Linux `/proc`; elsewhere none are found),
 * then sent SIGTERM and, if still there a moment later, SIGKILL. Processes of live runs and
 * processes this user may not read are left alone.
 *
 * @returns `pid command` of each process ended (or, with `dryRun`, that would be).
 */
export async function pruneApiProcesses(
  isAlive: (pid: number) => boolean,
  options: { dryRun?: boolean } = {},
): Promise<string[]> {
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
    if (owner === undefined || isAlive(Number(owner))) continue;
    const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''))
      .split('\0')
      .join(' ')
      .trim();
    found.push({ pid, command });
  }
  if (!options.dryRun && found.length > 0) {
    for (const { pid } of found) signal(pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (const { pid } of found) if (isAlive(pid)) signal(pid, 'SIGKILL');
  }
  return found.map(({ pid, command }) => `${pid} ${command}`);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
}
