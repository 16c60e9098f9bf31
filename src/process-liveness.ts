import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const HAS_PROC = existsSync('/proc/self/stat');

/**
 * True while `pid` runs. EPERM counts as alive (it exists, it is not ours to signal); a zombie
 * (exited, not yet reaped) counts as gone. One check for every layer that waits on or judges a
 * process: postmasters, API processes, the owners of what `venomqa prune` finds.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    // With /proc, a missing entry means it exited just now; without, kill(0) is all we know.
    return !HAS_PROC;
  }
}

/** Send `signal` to each pid; one that has exited meanwhile is not an error. */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Stop processes: `signal` (SIGTERM, or SIGINT for a postmaster's fast shutdown) to those still
 * running, up to `graceMs` for them to exit, then SIGKILL; resolves once all are gone.
 */
export async function stopProcesses(
  pids: readonly number[],
  graceMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  let alive = pids.filter(isProcessAlive);
  if (alive.length === 0) return;
  signalAll(alive, signal);
  const deadline = Date.now() + graceMs;
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(25);
    alive = alive.filter(isProcessAlive);
  }
  signalAll(alive, 'SIGKILL');
  while (alive.length > 0) {
    await sleep(20);
    alive = alive.filter(isProcessAlive);
  }
}
