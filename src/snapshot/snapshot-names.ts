import { createHash, randomBytes } from 'node:crypto';
import { InvalidNameError } from './snapshot-errors.js';

/**
 * Every database venomqa creates starts with this prefix, and `prune` matches it exactly
 * (`starts_with`), never with `LIKE`, where `_` would be a wildcard.
 */
export const PHYSICAL_PREFIX = 'vqa_';

/** What a physical database is, encoded as the letter after the prefix. */
export type DatabaseKind =
  'snapshot' | 'checkpoint' | 'clone' | 'restore-temp' | 'restore-old' | 'template';

const KIND_LETTER: Record<DatabaseKind, string> = {
  snapshot: 's',
  checkpoint: 'k',
  clone: 'c',
  'restore-temp': 't',
  'restore-old': 'o',
  template: 'm',
};

/** True for one of the kinds above (a catalog entry written by another version may hold any). */
export function isDatabaseKind(value: unknown): value is DatabaseKind {
  return typeof value === 'string' && Object.hasOwn(KIND_LETTER, value);
}

/** PostgreSQL keeps at most 63 bytes of an identifier and silently truncates the rest. */
export const MAX_IDENTIFIER_BYTES = 63;

// A leading '_' is allowed because a checkpoint name may start with one (`_draft` is valid in a
// journey and as a SAVEPOINT) and the template backend snapshots a checkpoint under its own
// name; a leading '-' or '.' is not: it would read as a CLI flag or a hidden file.
const HUMAN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Validate a snapshot's human name: 1–63 bytes of ASCII letters, digits, `_`, `.`, `-`,
 * starting with a letter, digit or `_`. Anything else (quotes, `;`, spaces, unicode, NUL) is
 * rejected with the reason, never rewritten.
 */
export function validateSnapshotName(name: string): string {
  if (name.length === 0) throw new InvalidNameError('Snapshot name is empty');
  if (name.includes('\0')) throw new InvalidNameError('Snapshot name contains a NUL byte');
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new InvalidNameError(
      `Snapshot name is ${bytes} bytes long; the limit is ${MAX_IDENTIFIER_BYTES} (names are never truncated)`,
    );
  }
  if (!HUMAN_NAME.test(name)) {
    throw new InvalidNameError(
      `Snapshot name ${JSON.stringify(name)} may only contain ASCII letters, digits, '_', '.' and '-', and must start with a letter, digit or '_'`,
    );
  }
  return name;
}

/**
 * Validate the name of an existing database given by a user (`--db`). Any characters are
 * allowed, since it reaches SQL only through `escapeIdentifier`, but it must be one PostgreSQL
 * would not truncate or reject.
 */
export function validateDatabaseName(name: string): string {
  if (name.length === 0) throw new InvalidNameError('Database name is empty');
  if (name.includes('\0')) throw new InvalidNameError('Database name contains a NUL byte');
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new InvalidNameError(
      `Database name is ${bytes} bytes long; PostgreSQL would truncate it to ${MAX_IDENTIFIER_BYTES}`,
    );
  }
  return name;
}

/** A run's 8-hex-digit key: in the names of everything it creates, and its advisory lock id. */
export function runKey(runId: string): string {
  return createHash('sha256').update(runId).digest('hex').slice(0, 8);
}

/** The advisory lock object id of a run key (a signed 32-bit int, as pg_locks stores it). */
export function runLockId(key: string): number {
  return Number.parseInt(key, 16) | 0;
}

/** Named snapshots: a stable name from the human one, so two creators collide in PostgreSQL. */
export function snapshotPhysicalName(humanName: string): string {
  return `${PHYSICAL_PREFIX}s_${createHash('sha256').update(humanName).digest('hex').slice(0, 20)}`;
}

/**
 * A setup template (the database after `setup.command`, cached between runs): named by the key
 * of its inputs, so a run finds the one its inputs made and any change makes another.
 */
export function templatePhysicalName(key: string): string {
  return `${PHYSICAL_PREFIX}m_${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

/** Run-owned databases: kind, owning run, random part. Always 25 bytes. */
export function runOwnedPhysicalName(
  kind: Exclude<DatabaseKind, 'snapshot' | 'template'>,
  runId: string,
): string {
  return `${PHYSICAL_PREFIX}${KIND_LETTER[kind]}_${runKey(runId)}_${randomBytes(5).toString('hex')}`;
}

export interface ParsedPhysicalName {
  kind: DatabaseKind;
  /** The owning run's key, for run-owned databases. */
  runKey: string | undefined;
}

/** Read kind and owning run back from a physical name; undefined for names not ours. */
export function parsePhysicalName(physical: string): ParsedPhysicalName | undefined {
  if (!physical.startsWith(PHYSICAL_PREFIX)) return undefined;
  const rest = physical.slice(PHYSICAL_PREFIX.length);
  const kind = (Object.keys(KIND_LETTER) as DatabaseKind[]).find((k) =>
    rest.startsWith(`${KIND_LETTER[k]}_`),
  );
  if (!kind) return undefined;
  if (kind === 'snapshot' || kind === 'template') {
    return /^[sm]_[0-9a-f]{20}$/.test(rest) ? { kind, runKey: undefined } : undefined;
  }
  const match = /^[a-z]_([0-9a-f]{8})_[0-9a-f]{10}$/.exec(rest);
  return match ? { kind, runKey: match[1] } : undefined;
}
