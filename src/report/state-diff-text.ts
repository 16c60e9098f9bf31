import type { DiffValue, RowChange, StateDiff, TableDiff } from '../result/state-diff.js';
import { formatDuration } from './report-text.js';

/** A cell as reports print it: text quoted as JSON (so `"null"` and `null` differ), JSON as JSON. */
export function formatDiffValue(value: DiffValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return String(value);
  return JSON.stringify(value);
}

/** `id=1`, `order_id=7, sku="PEN-2"`: how a row is named (its key, or `row` without one). */
export function keyText(key: Record<string, DiffValue> | undefined): string {
  if (key === undefined) return 'row';
  return Object.entries(key)
    .map(([column, value]) => `${column}=${formatDiffValue(value)}`)
    .join(', ');
}

/** `1 inserted; 2 updated` or `table added; 3 inserted` … for one table. */
export function tableSummary(table: TableDiff): string {
  const parts: string[] = [];
  if (table.change === 'added') parts.push('table added');
  if (table.change === 'dropped') parts.push('table dropped');
  if (table.columnsAdded.length > 0) parts.push(`columns added: ${table.columnsAdded.join(', ')}`);
  if (table.columnsDropped.length > 0) {
    parts.push(`columns dropped: ${table.columnsDropped.join(', ')}`);
  }
  const counts = (
    [
      ['inserted', table.inserted],
      ['updated', table.updated],
      ['deleted', table.deleted],
    ] as const
  )
    .filter(([, count]) => count > 0)
    .map(([what, count]) => `${count} ${what}`);
  if (table.countsOnly) {
    const { rowsBefore, rowsAfter } = table.countsOnly;
    counts.push(`${rowsBefore} → ${rowsAfter} rows (too many to compare row by row)`);
  }
  return [...parts, ...counts].join('; ') || 'no row changes';
}

/** The whole diff's headline: `2 tables changed: orders (1 updated), payments (1 inserted)`. */
export function diffHeadline(diff: StateDiff): string {
  if (diff.error) return `the state diff could not be made: ${diff.error.message}`;
  if (diff.tables.length === 0) return 'no changes';
  const tables = diff.tables.map((t) => `${t.table} (${tableSummary(t)})`).join(', ');
  return `${diff.tables.length} table${diff.tables.length === 1 ? '' : 's'} changed: ${tables}`;
}

/** `+ id=4: id=4, status="open"`, `~ id=1: status "open" → "paid"`, `- id=2: …`. */
export function rowLine(row: RowChange): string {
  if (row.change === 'updated') {
    const cells = Object.entries(row.columns).map(
      ([column, { before, after }]) =>
        `${column} ${formatDiffValue(before)} → ${formatDiffValue(after)}`,
    );
    return `~ ${keyText(row.key)}: ${cells.join('; ')}`;
  }
  const cells = Object.entries(row.values).map(
    ([column, value]) => `${column}=${formatDiffValue(value)}`,
  );
  return `${row.change === 'inserted' ? '+' : '-'} ${keyText(row.key)}: ${cells.join(', ')}`;
}

/** What the report says about tables that were only counted, when there are any. */
export function countedOnlyNote(diff: StateDiff): string | undefined {
  if (diff.countedOnly.length === 0) return undefined;
  return `Compared by row count only (more than ${diff.maxRows} rows, report.diff_max_rows): ${diff.countedOnly.join(', ')}`;
}

/**
 * The diff as plain text, for the JUnit report and `venomqa diff`: a headline, then per table
 * its counts and its first rows (`+` inserted, `~` updated with old → new, `-` deleted).
 *
 * @example
 * ```
 * Changes from order_created to checkout/pay: 2 tables changed (14 ms)
 * orders: 1 updated
 *   ~ id=1: status "open" → "paid"; updated_at "2025-…" → "2025-…"
 * payments: 1 inserted
 *   + id=1: id=1, order_id=1, amount_cents=1500, method="card", card_last4="4242", …
 * ```
 */
export function renderStateDiffText(diff: StateDiff): string {
  const lines = [
    `Changes from ${diff.from} to ${diff.to}: ${diff.error ? diffHeadline(diff) : diff.tables.length === 0 ? 'no changes' : `${diff.tables.length} table${diff.tables.length === 1 ? '' : 's'} changed`} (${formatDuration(diff.durationMs)})`,
  ];
  for (const table of diff.tables) {
    lines.push(`${table.table}: ${tableSummary(table)}`);
    for (const row of table.rows) lines.push(`  ${rowLine(row)}`);
    if (table.moreRows > 0) {
      lines.push(`  … ${table.moreRows} more changed rows (report.diff_rows: ${diff.rowLimit})`);
    }
  }
  const note = countedOnlyNote(diff);
  if (note) lines.push(note);
  return lines.join('\n');
}
