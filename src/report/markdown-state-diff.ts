import type { RowChange, StateDiff } from '../result/state-diff.js';
import { escapeMarkdownInline, inlineCode } from './markdown-text.js';
import { formatDuration } from './report-text.js';
import {
  countedOnlyNote,
  diffHeadline,
  formatDiffValue,
  keyText,
  tableSummary,
} from './state-diff-text.js';

const MARKS: Readonly<Record<RowChange['change'], string>> = {
  inserted: '+',
  updated: '~',
  deleted: '−',
};

/**
 * A path's state diff in markdown: a headline, then per table its counts and a table of its
 * first changed rows (`+` inserted with every value, `~` updated with the changed cells as
 * before → after, `−` deleted with its old values). Values are redacted already.
 */
export function stateDiffMarkdown(diff: StateDiff): string[] {
  const out = [
    `**State diff** from ${inlineCode(diff.from)} to ${inlineCode(diff.to)}: ${escapeMarkdownInline(diffHeadline(diff))} (${formatDuration(diff.durationMs)})`,
  ];
  for (const table of diff.tables) {
    out.push(
      '',
      `**${escapeMarkdownInline(table.table)}** — ${escapeMarkdownInline(tableSummary(table))}`,
    );
    if (table.rows.length > 0) {
      out.push('', '|   | row | values |', '| - | --- | ------ |');
      for (const row of table.rows) {
        out.push(`| ${MARKS[row.change]} | ${cell(keyText(row.key))} | ${cell(rowCells(row))} |`);
      }
    }
    if (table.moreRows > 0) {
      out.push(
        '',
        `… and ${table.moreRows} more changed rows (\`report.diff_rows\`: ${diff.rowLimit})`,
      );
    }
  }
  const note = countedOnlyNote(diff);
  if (note) out.push('', escapeMarkdownInline(note));
  return out;
}

function rowCells(row: RowChange): string {
  if (row.change === 'updated') {
    return Object.entries(row.columns)
      .map(
        ([column, { before, after }]) =>
          `${column}: ${formatDiffValue(before)} → ${formatDiffValue(after)}`,
      )
      .join('; ');
  }
  return Object.entries(row.values)
    .map(([column, value]) => `${column}=${formatDiffValue(value)}`)
    .join(', ');
}

function cell(text: string): string {
  return escapeMarkdownInline(text);
}
