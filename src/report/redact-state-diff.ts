import { redactColumnValue, redactColumns, redactText } from '../redaction/index.js';
import type { DiffValue, RowChange, StateDiff } from '../result/state-diff.js';

/**
 * A copy of a state diff with secret columns and card numbers masked again, as every report
 * does with the whole result (the diff is redacted when it is made, but a result can come from
 * elsewhere). Idempotent.
 */
export function redactStateDiff(diff: StateDiff): StateDiff {
  const copy: StateDiff = {
    ...diff,
    tables: diff.tables.map((table) => ({ ...table, rows: table.rows.map(redactRow) })),
  };
  if (diff.error !== undefined) {
    copy.error = { ...diff.error, message: redactText(diff.error.message) };
    if (diff.error.stack !== undefined) copy.error.stack = redactText(diff.error.stack);
  }
  return copy;
}

function redactRow(row: RowChange): RowChange {
  if (row.change === 'updated') {
    const columns: Record<string, { before: DiffValue; after: DiffValue }> = {};
    for (const [column, { before, after }] of Object.entries(row.columns)) {
      columns[column] = {
        before: redactColumnValue(column, before) as DiffValue,
        after: redactColumnValue(column, after) as DiffValue,
      };
    }
    return { change: 'updated', key: values(row.key), columns };
  }
  const redacted = { ...row, values: values(row.values) };
  if (row.key !== undefined) redacted.key = values(row.key);
  return redacted;
}

function values(row: Record<string, DiffValue>): Record<string, DiffValue> {
  return redactColumns(row) as Record<string, DiffValue>;
}
