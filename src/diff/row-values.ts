import { redactColumnValue } from '../redaction/index.js';
import type { DiffValue } from '../result/state-diff.js';

/** Text longer than this is cut in a diff (a report shows rows, not documents). */
const MAX_TEXT = 200;

/** A row's `row_to_json` text as column → value, secrets redacted, long values cut. */
export function rowValues(json: string | undefined): Record<string, DiffValue> {
  if (json === undefined) return {};
  const parsed = JSON.parse(json) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(parsed).map(([column, value]) => [column, displayValue(column, value)]),
  );
}

/** Only `columns` of a row's values, in that order (a key, or the columns both sides have). */
export function pick(
  values: Readonly<Record<string, DiffValue>>,
  columns: readonly string[],
): Record<string, DiffValue> {
  return Object.fromEntries(columns.map((column) => [column, values[column] ?? null]));
}

/** True when two cells hold the same value (compared as JSON, before redaction). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The parsed row, unredacted: for comparing cells, never for showing them. */
export function rawRow(json: string | undefined): Record<string, unknown> {
  return json === undefined ? {} : (JSON.parse(json) as Record<string, unknown>);
}

/** One cell for a report: redacted (see `redactColumnValue`), then cut to a readable size. */
export function displayValue(column: string, value: unknown): DiffValue {
  const redacted = redactColumnValue(column, value) as DiffValue;
  if (typeof redacted === 'string') return cut(redacted);
  if (redacted !== null && typeof redacted === 'object') {
    const text = JSON.stringify(redacted);
    return text.length > MAX_TEXT ? cut(text) : redacted;
  }
  return redacted ?? null;
}

function cut(text: string): string {
  if (text.length <= MAX_TEXT) return text;
  return `${text.slice(0, MAX_TEXT)}… (${text.length} characters)`;
}
