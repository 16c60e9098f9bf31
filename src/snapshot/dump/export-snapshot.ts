import { randomBytes } from 'node:crypto';
import { access, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { SnapshotEngine } from '../snapshot-engine.js';
import { readDumpArchiveHeader } from './dump-archive-header.js';
import {
  EXPORT_METADATA_FORMAT,
  metadataPathFor,
  sha256OfFile,
  type ExportMetadata,
} from './export-metadata.js';
import { DumpFileError, DumpFileExistsError } from './pg-dump-errors.js';
import { formatServerVersion } from './pg-tools.js';
import { toolConnection } from './tool-connection.js';
import { toolsForServer, type DumpOptions } from './tools-for-server.js';

export interface ExportSnapshotOptions extends DumpOptions {
  /** Replace an existing file (and its sidecar). */
  overwrite?: boolean;
}

export interface ExportSnapshotResult {
  name: string;
  file: string;
  metadataFile: string;
  bytes: number;
  sha256: string;
  pgDump: { version: string; where: string };
  ms: number;
}

/** Temporary names next to the target, so the final rename never crosses filesystems. */
function temporaryPath(file: string): string {
  return `${file}.${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Write the snapshot `name` to `file` as a pg_dump custom-format archive (`--no-owner
 * --no-acl`), and its catalog entry to `<file>.json` (see {@link ExportMetadata}).
 *
 * A snapshot accepts no connections, so the dump is taken of a temporary clone, dropped
 * afterwards. Both files are written under temporary names and renamed into place at the end:
 * a failed export leaves no half file, and an earlier export at that path intact.
 *
 * @example
 * await exportSnapshot(engine, 'order_created', 'ci-state.dump');
 */
export async function exportSnapshot(
  engine: SnapshotEngine,
  name: string,
  file: string,
  options: ExportSnapshotOptions = {},
): Promise<ExportSnapshotResult> {
  const started = performance.now();
  const target = resolve(file);
  const metadataFile = metadataPathFor(target);
  if (!options.overwrite) {
    for (const path of [target, metadataFile]) {
      if (
        await access(path).then(
          () => true,
          () => false,
        )
      ) {
        throw new DumpFileExistsError(`${path} exists already`, {
          hint: `Pass --force to replace it, or export to another file.`,
        });
      }
    }
  }
  const ref = await engine.resolveSnapshot(name);
  const listing = (await engine.list()).find((s) => s.physical === ref.physical);
  const tools = await toolsForServer(engine, options);

  const dumpTemp = temporaryPath(target);
  const metadataTemp = temporaryPath(metadataFile);
  try {
    try {
      // Fail on an unwritable path now, before a clone is made and pg_dump runs.
      await writeFile(dumpTemp, '', { flag: 'wx' });
    } catch (error) {
      throw new DumpFileError(
        `Cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        { cause: error, hint: 'Export into a directory that exists and is writable.' },
      );
    }
    const clone = await engine.createClone(ref);
    try {
      await tools.dump(toolConnection(clone.url), dumpTemp, options.signal);
    } finally {
      await clone.drop();
    }
    // What pg_dump wrote must read back as an archive before it replaces anything.
    await readDumpArchiveHeader(dumpTemp);
    const bytes = (await stat(dumpTemp)).size;
    const sha256 = await sha256OfFile(dumpTemp);
    const metadata: ExportMetadata = {
      format: EXPORT_METADATA_FORMAT,
      version: 1,
      snapshot: {
        name,
        source: listing?.source ?? null,
        parent: listing?.parent ?? null,
        createdAt: listing?.createdAt ?? null,
      },
      serverVersion: formatServerVersion(engine.versionNum),
      pgDump: { version: tools.version, where: tools.where },
      exportedAt: new Date().toISOString(),
      dump: { file: basename(target), bytes, sha256 },
    };
    await writeFile(metadataTemp, `${JSON.stringify(metadata, null, 2)}\n`);
    // Dump first: a sidecar left from an earlier export no longer matches it, and import says so.
    await rename(dumpTemp, target);
    await rename(metadataTemp, metadataFile);
    return {
      name,
      file: target,
      metadataFile,
      bytes,
      sha256,
      pgDump: metadata.pgDump,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await rm(dumpTemp, { force: true });
    await rm(metadataTemp, { force: true });
  }
}
