import type { RowChange, StateDiff, TableDiff } from '../../result/state-diff.js';
import { formatDuration } from '../report-text.js';
import {
  countedOnlyNote,
  diffHeadline,
  formatDiffValue,
  keyText,
  tableSummary,
} from '../state-diff-text.js';
import { escapeHtml } from './html-text.js';

const MARKS: Readonly<Record<RowChange['change'], string>> = {
  inserted: '+',
  updated: '~',
  deleted: '−',
};

/**
 * A state diff as HTML: its headline, then per table its counts and a table of the first
 * changed rows; an update lists each changed cell as before → after (`<del>`, `<ins>`).
 */
export function stateDiffHtml(diff: StateDiff): string {
  const parts = [
    `<div class="state-diff"><p class="diff-headline"><strong>State diff</strong> from <code>${escapeHtml(diff.from)}</code> to <code>${escapeHtml(diff.to)}</code>: ${escapeHtml(diffHeadline(diff))} <span class="muted">(${escapeHtml(formatDuration(diff.durationMs))})</span></p>`,
  ];
  for (const table of diff.tables) parts.push(tableHtml(table, diff.rowLimit));
  const note = countedOnlyNote(diff);
  if (note) parts.push(`<p class="muted">${escapeHtml(note)}</p>`);
  parts.push('</div>');
  return parts.join('\n');
}

function tableHtml(table: TableDiff, rowLimit: number): string {
  const rows = table.rows.map(
    (row) =>
      `<tr class="${row.change}"><td class="mark" title="${row.change}">${MARKS[row.change]}</td><td class="row-key"><code>${escapeHtml(keyText(row.key))}</code></td><td>${cellsHtml(row)}</td></tr>`,
  );
  const more =
    table.moreRows > 0
      ? `<p class="muted">… and ${table.moreRows} more changed rows (report.diff_rows: ${rowLimit})</p>`
      : '';
  const body =
    rows.length > 0
      ? `<div class="scroll"><table class="diff-rows"><thead><tr><th></th><th>row</th><th>values</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
      : '';
  return `<section class="diff-table"><h5><code>${escapeHtml(table.table)}</code> — ${escapeHtml(tableSummary(table))}</h5>${body}${more}</section>`;
}

function cellsHtml(row: RowChange): string {
  if (row.change === 'updated') {
    return Object.entries(row.columns)
      .map(
        ([column, { before, after }]) =>
          `<span class="cell"><span class="column">${escapeHtml(column)}</span> <del>${escapeHtml(formatDiffValue(before))}</del> → <ins>${escapeHtml(formatDiffValue(after))}</ins></span>`,
      )
      .join(' ');
  }
  return Object.entries(row.values)
    .map(
      ([column, value]) =>
        `<span class="cell"><span class="column">${escapeHtml(column)}</span>=<code>${escapeHtml(formatDiffValue(value))}</code></span>`,
    )
    .join(' ');
}
