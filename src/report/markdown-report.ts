import type { ItemResult, JourneyResult, PathResult, RunResult } from '../result/run-result.js';
import { journeyLines, type Failure } from './journey-lines.js';
import { escapeMarkdownInline, fencedBlock, inlineCode } from './markdown-text.js';
import { stateDiffMarkdown } from './markdown-state-diff.js';
import { redactRunResult } from './redact-result.js';
import {
  errorHeadline,
  exchangeSummary,
  firstLine,
  formatDuration,
  requestText,
  responseText,
  statusMark,
} from './report-text.js';
import { removeInvalidXmlChars } from './xml-text.js';

// A failed step's error in the tree is cut here; the Failures section has all of it.
const TREE_ERROR_CHARS = 160;

/**
 * The run as markdown, for people (a CI job summary, a pull-request comment): a summary line;
 * per journey the tree of steps, checkpoints, branches and their paths with status and time;
 * then every failure with its error, each request and response of the failed step, and the
 * API's log; then the databases kept for inspection. Secrets are redacted and characters that
 * cannot be written (NUL, lone surrogates) removed; content that could be markup is escaped
 * or fenced.
 *
 * @example
 * ```ts
 * await writeFile('venomqa-report.md', renderMarkdownReport(result));
 * ```
 */
export function renderMarkdownReport(result: RunResult): string {
  const run = redactRunResult(result);
  const out: string[] = ['# venomqa report', '', summaryLine(run)];
  for (const journey of run.journeys) out.push('', ...journeySection(journey));
  const failures = failuresSection(run);
  if (failures.length > 0) out.push('', '## Failures', ...failures);
  const diffs = passingDiffsSection(run);
  if (diffs.length > 0) out.push('', '## State diffs', ...diffs);
  const kept = keptDatabasesSection(run);
  if (kept.length > 0) out.push('', '## Kept databases', '', ...kept);
  return removeInvalidXmlChars(`${out.join('\n')}\n`);
}

function summaryLine(run: RunResult): string {
  const total = run.journeys.length;
  const skipped = total - run.passed - run.failed;
  const headline =
    run.failed > 0
      ? `✗ ${run.failed} of ${plural(total, 'journey')} failed`
      : `✓ ${plural(run.passed, 'journey')} passed`;
  const parts = [`**${headline}**`];
  if (run.interrupted) parts.unshift('**interrupted** (the rest was skipped)');
  if (run.failed > 0) parts.push(`${run.passed} passed`);
  if (skipped > 0) parts.push(`${skipped} skipped`);
  parts.push(formatDuration(run.durationMs), `started ${run.startedAt}`);
  return parts.join(' · ');
}

function journeySection(journey: JourneyResult): string[] {
  const facts = [
    journey.status,
    formatDuration(journey.durationMs),
    `API ${journey.apiMode}, ${plural(journey.parallelPaths, 'path')} at once`,
  ];
  if (journey.file !== undefined) facts.push(inlineCode(journey.file));
  const out = [
    `## ${statusMark(journey.status)} ${escapeMarkdownInline(journey.name)}`,
    '',
    facts.join(' · '),
  ];
  if (journey.error !== undefined) {
    out.push('', `**Error:** ${escapeMarkdownInline(firstLine(journey.error.message))}`);
  }
  if (journey.items.length > 0) out.push('', ...treeLines(journey.items, 0));
  return out;
}

function treeLines(items: readonly ItemResult[], depth: number): string[] {
  const indent = '  '.repeat(depth);
  const out: string[] = [];
  for (const item of items) {
    const mark = statusMark(item.status);
    switch (item.kind) {
      case 'step':
        out.push(
          `${indent}- ${mark} ${escapeMarkdownInline(item.name)}${timing(item)}${cause(item)}`,
        );
        break;
      case 'checkpoint':
        out.push(
          `${indent}- ${mark} checkpoint **${escapeMarkdownInline(item.name)}**${timing(item)}${cause(item)}`,
        );
        break;
      case 'branch':
        out.push(
          `${indent}- ${mark} branch from **${escapeMarkdownInline(item.checkpointName)}** into ` +
            `${plural(item.paths.length, 'path')}${timing(item)}${cause(item)}`,
        );
        for (const path of item.paths) out.push(...pathLines(path, depth + 1));
        break;
    }
  }
  return out;
}

function pathLines(path: PathResult, depth: number): string[] {
  const indent = '  '.repeat(depth);
  let line = `${indent}- ${statusMark(path.status)} path **${escapeMarkdownInline(path.name)}**`;
  line +=
    path.status === 'skipped'
      ? ' — skipped'
      : ` — ${path.status}, ${formatDuration(path.durationMs)}`;
  if (path.skipReason !== undefined) line += `: ${escapeMarkdownInline(path.skipReason)}`;
  line += cause(path);
  if (path.keptDatabase !== undefined) line += ` · database kept: ${inlineCode(path.keptDatabase)}`;
  return [line, ...treeLines(path.items, depth + 1)];
}

function timing(item: { status: string; durationMs: number }): string {
  return item.status === 'skipped' ? ' — skipped' : ` — ${formatDuration(item.durationMs)}`;
}

function cause(item: { error?: { message: string } }): string {
  if (item.error === undefined) return '';
  let message = firstLine(item.error.message);
  if (message.length > TREE_ERROR_CHARS) message = `${message.slice(0, TREE_ERROR_CHARS)}…`;
  return `: ${escapeMarkdownInline(message)}`;
}

function failuresSection(run: RunResult): string[] {
  const out: string[] = [];
  for (const journey of run.journeys) {
    for (const line of journeyLines(journey)) {
      const where = line.path === undefined ? [journey.name] : [journey.name, line.name];
      for (const failure of line.failures) out.push('', ...failureBlock(where, failure));
      const diff = line.path?.stateDiff;
      if (line.failures.length > 0 && diff) out.push('', ...stateDiffMarkdown(diff));
    }
  }
  return out;
}

/** The state diffs of paths that did not fail themselves (`report.diff: all`). */
function passingDiffsSection(run: RunResult): string[] {
  const out: string[] = [];
  for (const journey of run.journeys) {
    for (const line of journeyLines(journey)) {
      const diff = line.path?.stateDiff;
      if (!diff || line.failures.length > 0) continue;
      const title = [journey.name, line.name].map(escapeMarkdownInline).join(' › ');
      out.push('', `### ${statusMark(line.status)} ${title}`, '', ...stateDiffMarkdown(diff));
    }
  }
  return out;
}

function failureBlock(where: readonly string[], failure: Failure): string[] {
  const title = [...where, failure.subject].map(escapeMarkdownInline).join(' › ');
  const out = [`### ✗ ${title}`, '', fencedBlock(errorHeadline(failure.error), 'text')];
  if (failure.error?.stack !== undefined) {
    out.push(
      '',
      '<details><summary>Stack</summary>',
      '',
      fencedBlock(failure.error.stack, 'text'),
      '',
      '</details>',
    );
  }
  const exchanges = failure.step?.exchanges ?? [];
  exchanges.forEach((exchange, index) => {
    const label = exchanges.length > 1 ? `Request ${index + 1} of ${exchanges.length}` : 'Request';
    out.push('', `**${label}:** ${escapeMarkdownInline(exchangeSummary(exchange))}`);
    out.push('', fencedBlock(requestText(exchange.request), 'http'));
    if (exchange.response !== undefined) {
      out.push('', '**Response:**', '', fencedBlock(responseText(exchange.response), 'http'));
    }
  });
  const logs = failure.step?.logs ?? [];
  if (logs.length > 0) {
    out.push(
      '',
      `**API log** (last ${plural(logs.length, 'line')}):`,
      '',
      fencedBlock(logs.join('\n'), 'text'),
    );
  }
  return out;
}

function keptDatabasesSection(run: RunResult): string[] {
  const kept: string[] = [];
  for (const journey of run.journeys) {
    for (const line of journeyLines(journey)) {
      if (line.path?.keptDatabase === undefined) continue;
      kept.push(
        `- ${inlineCode(line.path.keptDatabase)} — ${escapeMarkdownInline(`${journey.name} › ${line.name}`)}`,
      );
    }
  }
  if (kept.length === 0) return [];
  return [
    'The databases of these failed paths were kept for inspection (`keep_failed`):',
    '',
    ...kept,
    '',
    'Open one with `psql` on the same server (`psql -d <database>` with your usual connection ' +
      'options), and drop them with `venomqa prune` when you are done.',
  ];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
