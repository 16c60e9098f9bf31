import { constants } from 'node:fs';
import { copyFile, mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import { freemem, tmpdir } from 'node:os';
import path from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import { fail, ok, skip, warn, type DoctorCheck } from './doctor-check.js';
import type { ServerFacts } from './postgres-checks.js';

/** Where the server keeps its files, as far as this machine can see it. */
export interface DataLocation {
  /** A folder on this machine, or `memory` (Docker's tmpfs). */
  where: string;
  /** Embedded clusters: whether copy-on-write can apply here. */
  embedded: boolean;
}

/**
 * Room for a run: the working database (or the setup template, the journeys' start) once per
 * API slot and once more for a checkpoint, on the disk (or in the memory) the server writes to.
 */
export async function diskCheck(
  config: ResolvedConfig,
  /** null: the server did not answer; undefined: no server runs now. */
  facts: ServerFacts | null | undefined,
  location: DataLocation | undefined,
): Promise<DoctorCheck> {
  if (!facts) {
    return skip(
      'disk',
      facts === null
        ? 'no database to measure: the server did not answer'
        : 'no database to measure: each run makes its own (`venomqa db up` keeps one, then doctor weighs it)',
    );
  }
  if (!location) return skip('disk', "the server's files are not on this machine");
  const free = location.where === 'memory' ? freemem() : await freeBytes(location.where);
  if (free === undefined) return skip('disk', `cannot read the free space of ${location.where}`);
  const needed = facts.workingBytes * (config.parallel_paths + 1);
  const where =
    location.where === 'memory' ? 'free memory (Docker tmpfs)' : `free on ${location.where}`;
  const text = `${mb(free)} ${where}; ${config.parallel_paths + 1} copies of the ${mb(facts.workingBytes)} working database need ${mb(needed)}`;
  return free >= needed
    ? ok('disk', text)
    : fail(
        'disk',
        text,
        'Free space there, lower parallel_paths, or make the working database smaller (the setup template is what journeys start from).',
      );
}

/**
 * Whether the folder an embedded cluster lives in can clone files copy-on-write (XFS with
 * reflink, btrfs): PostgreSQL 18's `file_copy_method = clone` then copies databases in
 * constant time. Tested by cloning a file there, as PostgreSQL would.
 */
export async function reflinkCheck(location: DataLocation | undefined): Promise<DoctorCheck> {
  if (!location || location.where === 'memory' || !location.embedded) {
    return skip(
      'reflink',
      'not an embedded cluster on this machine (Docker keeps its data on tmpfs)',
    );
  }
  const dir = await existingFolder(location.where);
  let probe: string | undefined;
  try {
    probe = await mkdtemp(path.join(dir, '.venomqa-reflink-'));
    await writeFile(path.join(probe, 'a'), Buffer.alloc(64 * 1024, 1));
    await copyFile(path.join(probe, 'a'), path.join(probe, 'b'), constants.COPYFILE_FICLONE_FORCE);
    return ok(
      'reflink',
      `${dir} clones files copy-on-write: PostgreSQL 18 copies databases in constant time`,
    );
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EACCES' || code === 'EROFS')
      return skip('reflink', `cannot write a test file in ${dir} (${code})`);
    return warn(
      'reflink',
      `${dir} cannot clone files copy-on-write (${code ?? 'unsupported'}): databases are copied byte by byte, in time growing with their size`,
      'For large databases, put server.data_dir (or TMPDIR, for clusters started per run) on XFS formatted with reflink=1, or btrfs.',
    );
  } finally {
    if (probe) await rm(probe, { recursive: true, force: true });
  }
}

/** Where embedded clusters go when none runs: TMPDIR per run. */
export function embeddedRunLocation(): DataLocation {
  return { where: tmpdir(), embedded: true };
}

async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const info = await statfs(await existingFolder(dir));
    return info.bavail * info.bsize;
  } catch {
    return undefined;
  }
}

async function existingFolder(dir: string): Promise<string> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const found = await statfs(current).then(
      () => true,
      () => false,
    );
    if (found || path.dirname(current) === current) return current;
  }
}

function mb(bytes: number): string {
  return bytes >= 1024 ** 3
    ? `${(bytes / 1024 ** 3).toFixed(1)} GB`
    : `${(bytes / 1024 ** 2).toFixed(0)} MB`;
}
