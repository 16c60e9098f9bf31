import { createHash } from 'node:crypto';
import { packageVersion } from '../../package-root.js';
import type { RunResult } from '../../result/run-result.js';
import { journeyLines } from '../journey-lines.js';
import { redactRunResult } from '../redact-result.js';
import { statusMark } from '../report-text.js';
import { removeInvalidXmlChars } from '../xml-text.js';
import { branchTreeSvg } from './branch-tree-svg.js';
import { failuresHtml } from './html-failures.js';
import { HTML_REPORT_SCRIPT } from './html-script.js';
import { stateDiffHtml } from './html-state-diff.js';
import { HTML_REPORT_CSS } from './html-styles.js';
import { pathsTable, summaryHeader } from './html-summary.js';
import { escapeHtml } from './html-text.js';
import { slotTimelineSvg } from './slot-timeline-svg.js';

/**
 * The run as one self-contained HTML page: the verdict and figures; per journey its branch
 * tree as a picture (checkpoints as nodes, paths as edges, coloured by status, with times) and
 * its lines as a table; the API slots' timeline (which path ran when on which slot, API starts,
 * swaps, steps); and per failure, collapsible, the error, requests and responses, the API's log
 * and the state diff. No network: CSS, script and pictures are inline, and the page's Content
 * Security Policy allows nothing else. Light and dark follow the system; the summary, tree,
 * timeline and failures read without JavaScript. Secrets are redacted as in every report.
 *
 * @example
 * ```ts
 * await writeFile('venomqa-report.html', renderHtmlReport(result));
 * ```
 */
export function renderHtmlReport(result: RunResult): string {
  const run = redactRunResult(result);
  const title =
    run.failed > 0
      ? `✗ ${run.failed} of ${run.journeys.length} failed — venomqa report`
      : `✓ ${run.passed} passed — venomqa report`;
  const timeline = slotTimelineSvg(run);
  const failures = run.journeys.flatMap((journey, index) => failuresHtml(journey, index));
  const passingDiffs = run.journeys.flatMap((journey) =>
    journeyLines(journey)
      .filter((line) => line.failures.length === 0 && line.path?.stateDiff)
      .map(
        (line) =>
          `<details class="passing-diff"><summary>${statusMark(line.status)} <strong>${escapeHtml(`${journey.name} › ${line.name}`)}</strong></summary>${line.path?.stateDiff ? stateDiffHtml(line.path.stateDiff) : ''}</details>`,
      ),
  );
  const body = [
    summaryHeader(run),
    '<main>',
    ...run.journeys.map(
      (journey, index) =>
        `<section class="journey"><h2><span class="status ${journey.status}">${statusMark(journey.status)}</span> ${escapeHtml(journey.name)}</h2><p class="muted">API ${escapeHtml(journey.apiMode)}${journey.apiReuse ? ' on slots' : ''}, ${journey.parallelPaths} at once${journey.file ? ` · <code>${escapeHtml(journey.file)}</code>` : ''}</p><figure class="scroll">${branchTreeSvg(journey, index)}</figure>${pathsTable(journey, index)}</section>`,
    ),
    timeline
      ? `<section class="slots"><h2>Timeline</h2><figure class="scroll">${timeline}</figure>${LEGEND}</section>`
      : '',
    failures.length > 0
      ? `<section class="failures"><h2>Failures (${failures.length})</h2>${TOOLBAR}${failures.join('\n')}</section>`
      : '',
    passingDiffs.length > 0
      ? `<section class="diffs"><h2>State diffs of passing paths</h2>${passingDiffs.join('\n')}</section>`
      : '',
    '</main>',
    `<footer>venomqa ${escapeHtml(packageVersion())} · one file, no network: styles and pictures are inline</footer>`,
  ];
  const csp = [
    "default-src 'none'",
    `style-src '${sha256(HTML_REPORT_CSS)}'`,
    `script-src '${sha256(HTML_REPORT_SCRIPT)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return removeInvalidXmlChars(
    [
      '<!doctype html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      '<meta name="color-scheme" content="light dark">',
      `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
      `<title>${escapeHtml(title)}</title>`,
      `<style>${HTML_REPORT_CSS}</style>`,
      '</head>',
      '<body>',
      ...body,
      `<script>${HTML_REPORT_SCRIPT}</script>`,
      '</body>',
      '</html>',
      '',
    ].join('\n'),
  );
}

const LEGEND = `<ul class="legend"><li><span class="swatch sw-passed"></span>passed</li><li><span class="swatch sw-failed"></span>failed</li><li><span class="swatch sw-skipped"></span>skipped</li><li><span class="swatch sw-clone"></span>clone</li><li><span class="swatch sw-swap"></span>swap into the slot</li><li><span class="swatch sw-health"></span>API health check</li><li><span class="swatch sw-api"></span>API start</li><li>ticks: steps · dashes: waiting for a slot</li></ul><p class="muted">APIs started ahead while the journey's first steps run (warm-up) count in the slots' API starts but are not drawn.</p>`;

const TOOLBAR = `<div class="toolbar" data-toolbar hidden><button type="button" data-action="open">Expand all</button><button type="button" data-action="close">Collapse all</button></div>`;

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
