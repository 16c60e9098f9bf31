import type { JourneyResult } from '../../result/run-result.js';
import { journeyLines, type Failure } from '../journey-lines.js';
import {
  errorHeadline,
  exchangeSummary,
  firstLine,
  requestText,
  responseText,
} from '../report-text.js';
import { stateDiffHtml } from './html-state-diff.js';
import { anchorId, escapeHtml } from './html-text.js';

/**
 * One collapsible `<details>` per failed line of the journey (its main line or a path): the
 * error, each request and response of the failed step, the API's log, and the line's state
 * diff. Closed by default so the page opens on the summary; `<details>` opens without
 * JavaScript.
 */
export function failuresHtml(journey: JourneyResult, journeyIndex: number): string[] {
  const out: string[] = [];
  for (const line of journeyLines(journey)) {
    if (line.failures.length === 0) continue;
    const id = line.path
      ? anchorId('f', journeyIndex, line.path.qualifiedName)
      : anchorId('fm', journeyIndex, journey.name);
    const where = line.path ? `${journey.name} › ${line.name}` : journey.name;
    const [first] = line.failures;
    const why = first?.error ? firstLine(first.error.message) : 'failed';
    const parts = [
      `<details class="failure" id="${id}"${line.path ? ` data-path="${escapeHtml(line.path.qualifiedName)}"` : ''}>`,
      `<summary><span class="status failed">✗</span> <strong>${escapeHtml(where)}</strong> <span class="muted">${escapeHtml(first?.subject ?? '')}: ${escapeHtml(why)}</span></summary>`,
      '<div class="failure-body">',
      ...line.failures.map(failureHtml),
    ];
    if (line.path?.stateDiff) parts.push(stateDiffHtml(line.path.stateDiff));
    if (line.path?.keptDatabase) {
      parts.push(
        `<p>Database kept for inspection: <code>${escapeHtml(line.path.keptDatabase)}</code> (<code>venomqa diff &lt;snapshot&gt; --path ${escapeHtml(`${journey.name}/${line.name}`)}</code>; dropped by <code>venomqa prune</code>)</p>`,
      );
    }
    parts.push('</div></details>');
    out.push(parts.join('\n'));
  }
  return out;
}

function failureHtml(failure: Failure): string {
  const parts = [
    `<h4>${escapeHtml(failure.subject)}</h4>`,
    `<pre class="error">${escapeHtml(errorHeadline(failure.error))}</pre>`,
  ];
  if (failure.error?.stack !== undefined) {
    parts.push(
      `<details class="stack"><summary>Stack</summary><pre>${escapeHtml(failure.error.stack)}</pre></details>`,
    );
  }
  const exchanges = failure.step?.exchanges ?? [];
  exchanges.forEach((exchange, index) => {
    const label = exchanges.length > 1 ? `Request ${index + 1} of ${exchanges.length}` : 'Request';
    parts.push(
      `<h5>${label}: <code>${escapeHtml(exchangeSummary(exchange))}</code></h5>`,
      `<div class="exchange"><pre>${escapeHtml(requestText(exchange.request))}</pre>${
        exchange.response === undefined
          ? ''
          : `<pre>${escapeHtml(responseText(exchange.response))}</pre>`
      }</div>`,
    );
  });
  const logs = failure.step?.logs ?? [];
  if (logs.length > 0) {
    parts.push(
      `<details class="log" open><summary>API log (last ${logs.length} line${logs.length === 1 ? '' : 's'})</summary><pre>${escapeHtml(logs.join('\n'))}</pre></details>`,
    );
  }
  return parts.join('\n');
}
