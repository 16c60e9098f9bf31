import type pg from 'pg';
import { decodeEntry, encodeEntry, newEntry, readCatalog } from './catalog.js';
import { KeptCloneNotFoundError } from './snapshot-errors.js';
import { ident, literal } from './sql-identifier.js';

/** A clone kept after its path failed (`keep_failed`), as the catalog records it. */
export interface KeptClone {
  /** The path's label: `journey/path/nested`. */
  path: string;
  /** The database's physical name. */
  physical: string;
  keptAt: string | null;
  runId: string | null;
}

/**
 * Record in `physical`'s catalog entry that it is kept for `path`. A clone that moved out from
 * under an API slot carries the slot's entry: it is rewritten with the path, the rest kept.
 */
export async function recordKept(
  client: pg.ClientBase,
  physical: string,
  path: string,
  runId: string,
): Promise<void> {
  const { rows } = await client.query<{ comment: string | null }>(
    `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
    [physical],
  );
  const entry =
    decodeEntry(rows[0]?.comment ?? null) ??
    newEntry(runId, { kind: 'clone', name: null, source: physical, parent: null });
  const kept = { ...entry, path, keptAt: new Date().toISOString() };
  await client.query(`comment on database ${ident(physical)} is ${literal(encodeEntry(kept))}`);
}

/** Every kept clone on the server, newest first. */
export async function readKeptClones(client: pg.ClientBase): Promise<KeptClone[]> {
  return (await readCatalog(client))
    .flatMap((record) =>
      record.kind === 'clone' && record.entry?.path !== undefined
        ? [
            {
              path: record.entry.path,
              physical: record.physical,
              keptAt: record.entry.keptAt ?? null,
              runId: record.entry.runId,
            },
          ]
        : [],
    )
    .sort((a, b) => (b.keptAt ?? '').localeCompare(a.keptAt ?? ''));
}

/**
 * The newest clone kept for `wanted`: the path's full label (`journey/path/nested`), or its
 * label without the journey's name when that is unambiguous enough to type at a prompt.
 */
export function findKeptClone(kept: readonly KeptClone[], wanted: string): KeptClone {
  const found =
    kept.find((clone) => clone.path === wanted) ??
    kept.find((clone) => clone.path.endsWith(`/${wanted}`));
  if (!found) throw new KeptCloneNotFoundError(wanted, [...new Set(kept.map((k) => k.path))]);
  return found;
}
