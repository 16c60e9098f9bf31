import type { ItemResult, JourneyResult, PathResult, RunResult } from '../../result/run-result.js';
import { journeyLines } from '../journey-lines.js';
import { formatDuration, statusMark } from '../report-text.js';
import { diffHeadline } from '../state-diff-text.js';
import { anchorId, escapeHtml } from './html-text.js';
import { ownStatus } from './own-status.js';

/** Every path of the items, depth-first, with its depth. */
export function allPaths(
  items: readonly ItemResult[],
  depth = 1,
): { path: PathResult; depth: number }[] {
  return items.flatMap((item) =>
    item.kind === 'branch'
      ? item.paths.flatMap((path) => [{ path, depth }, ...allPaths(path.items, depth + 1)])
      : [],
  );
}

/** The page's header: the verdict and the run's figures, readable without anything else. */
export function summaryHeader(run: RunResult): string {
  const total = run.journeys.length;
  const paths = run.journeys.flatMap((journey) => allPaths(journey.items).map((p) => p.path));
  const count = (status: string) => paths.filter((p) => p.status === status).length;
  const verdict =
    run.failed > 0
      ? `<p class="verdict failed">✗ ${run.failed} of ${plural(total, 'journey')} failed</p>`
      : `<p class="verdict passed">✓ ${plural(run.passed, 'journey')} passed</p>`;
  const facts = [
    `<li><strong>${paths.length}</strong> paths: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped</li>`,
    `<li><strong>${escapeHtml(formatDuration(run.durationMs))}</strong> from ${escapeHtml(run.startedAt)}</li>`,
  ];
  if (run.slots && run.slots.length > 0) {
    const starts = run.slots.reduce((sum, slot) => sum + slot.apiStarts, 0);
    const swaps = run.slots.reduce((sum, slot) => sum + slot.swaps, 0);
    facts.push(
      `<li><strong>${plural(run.slots.length, 'API slot')}</strong>: ${plural(starts, 'API start')}, ${plural(swaps, 'swap')}</li>`,
    );
  }
  if (run.setup) {
    facts.push(
      `<li>setup: ${run.setup.cached ? 'cached template' : 'migrated'} (${escapeHtml(formatDuration(run.setup.durationMs))})</li>`,
    );
  }
  return `<header id="summary"><h1>venomqa report</h1>${verdict}<ul class="facts">${facts.join('')}</ul></header>`;
}

/**
 * A journey's lines as a table: the main line, then every path (indented by depth) with its
 * status, time, slot and what it changed; a failed line links to its failure. Each row is the
 * anchor the pictures link to.
 */
export function pathsTable(journey: JourneyResult, journeyIndex: number): string {
  const failed = new Set(
    journeyLines(journey)
      .filter((line) => line.failures.length > 0)
      .map((line) => line.path?.qualifiedName ?? ''),
  );
  const rows = [
    row({
      id: anchorId('p', journeyIndex, ''),
      failure: failed.has('') ? anchorId('fm', journeyIndex, journey.name) : undefined,
      status: ownStatus(journey),
      name: `${journey.name} (main line)`,
      depth: 0,
      time: formatDuration(journey.durationMs),
      slot: journey.slot ? `slot ${journey.slot.id}` : '',
      changed: '',
    }),
    ...allPaths(journey.items).map(({ path, depth }) =>
      row({
        id: anchorId('p', journeyIndex, path.qualifiedName),
        failure: failed.has(path.qualifiedName)
          ? anchorId('f', journeyIndex, path.qualifiedName)
          : undefined,
        status: ownStatus(path),
        name: path.name,
        depth,
        time:
          path.status === 'skipped'
            ? (path.skipReason ?? 'skipped')
            : formatDuration(path.durationMs),
        slot: path.slot ? `slot ${path.slot.id}` : '',
        changed: path.stateDiff ? diffHeadline(path.stateDiff) : '',
      }),
    ),
  ];
  return `<div class="scroll"><table class="paths"><thead><tr><th></th><th>line</th><th>time</th><th class="wide">slot</th><th class="wide">state diff</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function row(line: {
  id: string;
  failure: string | undefined;
  status: JourneyResult['status'];
  name: string;
  depth: number;
  time: string;
  slot: string;
  changed: string;
}): string {
  const name = line.failure
    ? `<a href="#${line.failure}">${escapeHtml(line.name)}</a>`
    : escapeHtml(line.name);
  return `<tr id="${line.id}"${line.failure ? ` data-failure="${line.failure}"` : ''}><td class="status ${line.status}" title="${line.status}">${statusMark(line.status)}</td><td class="depth-${Math.min(line.depth, 4)}">${name}</td><td class="num">${escapeHtml(line.time)}</td><td class="wide">${escapeHtml(line.slot)}</td><td class="wide muted">${escapeHtml(line.changed)}</td></tr>`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
