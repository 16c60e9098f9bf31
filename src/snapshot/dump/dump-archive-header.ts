import { open } from 'node:fs/promises';
import { DumpFileError } from './pg-dump-errors.js';

/** What the header of a pg_dump custom-format archive says about where it came from. */
export interface DumpArchiveHeader {
  /** Archive format version, e.g. `1.16`. */
  archiveVersion: string;
  /** The dumped database's name. */
  database: string | undefined;
  /** `server_version` of the server that was dumped, e.g. `17.6 (Debian 17.6-1)`. */
  serverVersion: string | undefined;
  /** Version of the pg_dump that wrote it, e.g. `17.6`. */
  pgDumpVersion: string | undefined;
  /** Its major version: pg_restore must be at least this new to read the archive. */
  pgDumpMajor: number | undefined;
}

/** The custom format (`--format=custom`); tar and directory archives use other codes. */
const FORMAT_CUSTOM = 1;
/** The header is small; what matters ends well before this. */
const HEADER_READ_BYTES = 4096;

/**
 * Read the header of a pg_dump custom-format archive (the layout of `WriteHead` in PostgreSQL's
 * pg_backup_archiver.c): magic `PGDMP`, archive version, integer size, format, compression,
 * creation time, database name, then (since archive 1.10) the server's and pg_dump's versions.
 * Throws {@link DumpFileError} for anything that is not such an archive.
 */
export async function readDumpArchiveHeader(file: string): Promise<DumpArchiveHeader> {
  let bytes: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(HEADER_READ_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEADER_READ_BYTES, 0);
      bytes = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DumpFileError(
      code === 'ENOENT' ? `No such file: ${file}` : `Cannot read ${file}: ${code ?? String(error)}`,
      { cause: error },
    );
  }
  return parseDumpArchiveHeader(bytes, file);
}

export function parseDumpArchiveHeader(bytes: Buffer, file = 'the file'): DumpArchiveHeader {
  const notCustom = (why: string): DumpFileError =>
    new DumpFileError(`${file} is not a pg_dump custom-format archive (${why})`, {
      hint:
        'Import a file written by `venomqa snapshot export` or by `pg_dump --format=custom`; ' +
        'plain SQL, tar and directory dumps are not supported.',
    });
  let offset = 0;
  const byte = (): number => {
    const value = bytes[offset];
    if (value === undefined) throw notCustom('its header is cut short');
    offset += 1;
    return value;
  };
  if (bytes.subarray(0, 5).toString('latin1') !== 'PGDMP') {
    throw notCustom('it does not start with PGDMP');
  }
  offset = 5;
  const major = byte();
  const minor = byte();
  const revision = major > 1 || (major === 1 && minor > 0) ? byte() : 0;
  const atLeast = (mi: number): boolean => major > 1 || (major === 1 && minor >= mi);
  const intSize = byte();
  if (intSize < 1 || intSize > 8) throw notCustom(`integer size ${intSize}`);
  byte(); // offset size
  const format = byte();
  if (format !== FORMAT_CUSTOM) {
    throw notCustom(`format code ${format}; a pg_dump --format=tar archive is not supported`);
  }
  // Integers: a sign byte, then intSize bytes, least significant first.
  const int = (): number => {
    const negative = byte() !== 0;
    let value = 0;
    for (let i = 0; i < intSize; i += 1) value += byte() * 2 ** (8 * i);
    return negative ? -value : value;
  };
  const str = (): string | undefined => {
    const length = int();
    if (length < 0) return undefined;
    if (offset + length > bytes.length) throw notCustom('its header is cut short');
    const text = bytes.subarray(offset, offset + length).toString('utf8');
    offset += length;
    return text;
  };
  if (atLeast(15))
    byte(); // compression algorithm
  else if (atLeast(4))
    int(); // compression level
  else if (atLeast(2)) byte();
  let database: string | undefined;
  if (atLeast(4)) {
    for (let i = 0; i < 7; i += 1) int(); // creation time: sec, min, hour, day, month, year, dst
    database = str();
  }
  let serverVersion: string | undefined;
  let pgDumpVersion: string | undefined;
  if (atLeast(10)) {
    serverVersion = str();
    pgDumpVersion = str();
  }
  const dumpMajor = pgDumpVersion ? /^(\d+)/.exec(pgDumpVersion)?.[1] : undefined;
  return {
    archiveVersion: `${major}.${minor}${revision ? `.${revision}` : ''}`,
    database,
    serverVersion,
    pgDumpVersion,
    pgDumpMajor: dumpMajor === undefined ? undefined : Number(dumpMajor),
  };
}
