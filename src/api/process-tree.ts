import { existsSync, readdirSync, readFileSync } from 'node:fs';

const HAS_PROC = existsSync('/proc/self/stat');

/**
 * The ids of every process below `pid`, read from /proc (Linux). An API started as
 * `npm start` or `npx tsx server.ts` is a tree; if the top process dies without passing the
 * signal on, its children live on holding the port and a connection to the clone. Elsewhere
 * (no /proc) the list is empty and only the top process is signalled.
 */
export function descendantsOf(pid: number): number[] {
  if (!HAS_PROC) return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(Number(entry));
    children.set(parent, list);
  }
  const found: number[] = [];
  const queue = [pid];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    for (const child of children.get(current) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function parentOf(pid: number): number | undefined {
  try {
    // `pid (comm) state ppid …`; comm may contain spaces and parentheses, so parse after the last `)`.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined; // Exited while we looked.
  }
}
