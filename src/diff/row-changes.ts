import type { DiffValue, RowChange } from '../result/state-diff.js';
import { pick, rawRow, rowValues, sameValue } from './row-values.js';
import type { RowsByIdentity } from './table-rows.js';

/** Which rows changed, by identity: the counts, and the first `limit` to show. */
export interface IdentityChanges {
  inserted: number;
  deleted: number;
  updated: number;
  /** Inserted rows first, then updated, then deleted, each in key order; at most `limit`. */
  shown: { change: RowChange['change']; identity: string }[];
}

/**
 * Compare two sides' rows. With a key, a row present on both sides whose hash differs was
 * updated; without one, rows are whole contents, so a change is a deletion plus an insertion
 * and only the counts of each content are compared.
 */
export function identityChanges(
  before: RowsByIdentity,
  after: RowsByIdentity,
  keyed: boolean,
  limit: number,
): IdentityChanges {
  const inserted: string[] = [];
  const deleted: string[] = [];
  const updated: string[] = [];
  const counts = { inserted: 0, deleted: 0, updated: 0 };
  const note = (list: string[], kind: keyof typeof counts, identity: string, times = 1): void => {
    counts[kind] += times;
    for (let i = 0; i < times && list.length < limit; i++) list.push(identity);
  };
  for (const [identity, row] of after) {
    const old = before.get(identity);
    if (old === undefined) note(inserted, 'inserted', identity, row.count);
    else if (keyed && old.hash !== row.hash) note(updated, 'updated', identity);
    else if (!keyed && row.count > old.count)
      note(inserted, 'inserted', identity, row.count - old.count);
  }
  for (const [identity, row] of before) {
    const now = after.get(identity);
    if (now === undefined) note(deleted, 'deleted', identity, row.count);
    else if (!keyed && row.count > now.count)
      note(deleted, 'deleted', identity, row.count - now.count);
  }
  const shown = [
    ...inserted.map((identity) => ({ change: 'inserted' as const, identity })),
    ...updated.map((identity) => ({ change: 'updated' as const, identity })),
    ...deleted.map((identity) => ({ change: 'deleted' as const, identity })),
  ].slice(0, limit);
  return { ...counts, shown };
}

/** What building the shown rows needs to know about the table. */
export interface RowContext {
  /** Key columns; empty for a table without a key. */
  key: readonly string[];
  /** Columns both sides have: an update is shown on these. */
  common: readonly string[];
  /** Old rows' JSON text by identity. */
  before: RowsByIdentity;
  /** New rows' JSON text by identity (only those shown were fetched). */
  after: ReadonlyMap<string, string>;
}

/** The shown rows with their values: whole rows for inserts and deletes, changed cells for updates. */
export function rowChanges(changes: IdentityChanges, context: RowContext): RowChange[] {
  return changes.shown.map(({ change, identity }) => {
    const oldJson = context.before.get(identity)?.json;
    const newJson = context.after.get(identity);
    if (change === 'updated') {
      const oldRaw = rawRow(oldJson);
      const newRaw = rawRow(newJson);
      const oldValues = rowValues(oldJson);
      const newValues = rowValues(newJson);
      const columns: Record<string, { before: DiffValue; after: DiffValue }> = {};
      for (const column of context.common) {
        if (sameValue(oldRaw[column], newRaw[column])) continue;
        columns[column] = { before: oldValues[column] ?? null, after: newValues[column] ?? null };
      }
      return { change, key: pick(newValues, context.key), columns };
    }
    const values = rowValues(change === 'inserted' ? newJson : oldJson);
    return context.key.length > 0
      ? { change, key: pick(values, context.key), values }
      : { change, values };
  });
}
