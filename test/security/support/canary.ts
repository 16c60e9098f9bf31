import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A password full of characters URLs, shells, JSON, XML and YAML treat specially. It starts
 * with a token no encoding changes (letters and digits), so searching for the token finds the
 * password in every form it could leak in: raw, percent-encoded, JSON- or XML-escaped, cut off.
 */
export const CANARY_TOKEN = 'vqaCanary7Q';
export const CANARY = `${CANARY_TOKEN}p@ss:w/rd?#%&=+ "'\\`;

/** Where the canary was found in `text` (the surrounding characters), or [] when it was not. */
export function findCanary(where: string, text: string): string[] {
  const found: string[] = [];
  for (let at = text.indexOf(CANARY_TOKEN); at !== -1; at = text.indexOf(CANARY_TOKEN, at + 1)) {
    // The snippet names the token instead of repeating it, so a failing test does not leak it.
    const around = text.slice(Math.max(0, at - 60), at + 40).replaceAll(CANARY_TOKEN, '‹canary›');
    found.push(`${where}: …${around}…`);
  }
  return found;
}

/** Every file under `dir` (reports, logs, anything a run wrote), with its text. */
export async function filesUnder(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    out.push({ file, text: await readFile(file, 'utf8').catch(() => '') });
  }
  return out;
}

/**
 * Where the canary shows in the process table: `ps -eww -o args` and every readable
 * /proc/<pid>/cmdline (what `ps` and other users of the machine can see of a process).
 */
export async function canaryInProcessTable(): Promise<string[]> {
  const found: string[] = [];
  const { stdout } = await run('ps', ['-eww', '-o', 'pid=,args=']);
  found.push(...findCanary('ps -eww -o args', stdout));
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    found.push(...findCanary(`/proc/${entry}/cmdline`, cmdline.split('\0').join(' ')));
  }
  return found;
}

/** `docker inspect` of the containers labelled with `runId`, as the docker CLI prints it. */
export async function inspectContainersOfRun(runId: string): Promise<string> {
  const { stdout } = await run('docker', [
    'ps',
    '-aq',
    '--filter',
    `label=dev.venomqa.run-id=${runId}`,
  ]);
  const ids = stdout.split('\n').filter(Boolean);
  if (ids.length === 0) return '';
  return (await run('docker', ['inspect', ...ids], { maxBuffer: 64 * 1024 * 1024 })).stdout;
}
