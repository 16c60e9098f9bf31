import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { DumpFileError } from './pg-dump-errors.js';

export const EXPORT_METADATA_FORMAT = 'venomqa-snapshot-export';

/**
 * The sidecar `<file>.json` that `snapshot export` writes next to the dump: the snapshot's
 * catalog entry, which pg_dump has no place for.
 *
 * Why a sidecar and not an envelope around the dump: the dump stays a plain pg_dump
 * custom-format archive that `pg_restore`/`pg_restore --list` read directly, and `snapshot
 * import` takes any such archive, with or without its sidecar (the versions import needs are in
 * the archive's own header). The checksum ties the pair: a sidecar left from an earlier export
 * to the same path, or a truncated download, is caught before anything is restored.
 */
export interface ExportMetadata {
  format: typeof EXPORT_METADATA_FORMAT;
  version: 1;
  snapshot: {
    name: string;
    /** The database it was taken from. */
    source: string | null;
    /** The snapshot it descends from, when it was taken of a restored snapshot. */
    parent: string | null;
    createdAt: string | null;
  };
  /** `server_version` of the exporting server. */
  serverVersion: string;
  pgDump: { version: string; where: string };
  exportedAt: string;
  dump: { file: string; bytes: number; sha256: string };
}

/** The sidecar's path for a dump file. */
export function metadataPathFor(file: string): string {
  return `${file}.json`;
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * The sidecar of `file`, checked against it; undefined when there is none. A sidecar that is
 * unreadable or does not match the dump is an error, not something to ignore quietly.
 */
export async function readExportMetadata(
  file: string,
  dump: { bytes: number },
): Promise<ExportMetadata | undefined> {
  const path = metadataPathFor(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DumpFileError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const fix = `Delete ${path} to import ${file} without it, or export again.`;
  let metadata: ExportMetadata;
  try {
    metadata = JSON.parse(text) as ExportMetadata;
  } catch (error) {
    throw new DumpFileError(`${path} is not valid JSON`, { cause: error, hint: fix });
  }
  if (metadata.format !== EXPORT_METADATA_FORMAT || metadata.version !== 1) {
    throw new DumpFileError(`${path} is not a venomqa export sidecar (format version 1)`, {
      hint: fix,
    });
  }
  if (metadata.dump.bytes !== dump.bytes || metadata.dump.sha256 !== (await sha256OfFile(file))) {
    throw new DumpFileError(
      `${file} does not match its sidecar ${path}: it was changed or cut short after the export ` +
        `(${dump.bytes} bytes; the export wrote ${metadata.dump.bytes})`,
      {
        hint: `Copy ${file} again from where it was exported, or delete ${path} to import it as it is.`,
      },
    );
  }
  return metadata;
}
