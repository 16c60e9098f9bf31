import type { JourneyResult, RunResult } from '../result/run-result.js';
import { journeyLines, type Failure, type JourneyLine } from './journey-lines.js';
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
import { renderStateDiffText } from './state-diff-text.js';
import { escapeXmlAttribute, escapeXmlText, removeInvalidXmlChars } from './xml-text.js';

/**
 * The run as JUnit XML, for CI test views. One `<testsuite>` per journey, one `<testcase>` per
 * line of the journey (classname = the journey's name):
 *
 * - the main line, named after the journey: the steps and checkpoints outside any branch, and
 *   the errors of a fork that failed before its paths ran. Every journey has it, so a journey
 *   without branches is exactly one testcase;
 * - every path of every branch, nested ones included, named by its qualified name
 *   (`cart/pay_by_card`), with its own steps and checkpoints.
 *
 * A failure is counted once, on the line where it happened: a path whose nested path failed
 * passes itself. A failing testcase has one `<failure>` whose message is the first failure's
 * and whose body has, for each failure, the error, the failed step's last request and
 * response, and the API's log. Skipped paths get `<skipped>`. `<system-out>` lists the line's
 * items and carries the API log lines. Secrets are redacted, markup escaped, and characters
 * XML 1.0 forbids removed; `time` is in seconds with three decimals.
 */
export function renderJUnitReport(result: RunResult): string {
  const run = redactRunResult(result);
  const suites = run.journeys.map((journey) => suite(journey));
  const totals = { tests: 0, failures: 0, skipped: 0 };
  for (const s of suites) {
    totals.tests += s.tests;
    totals.failures += s.failures;
    totals.skipped += s.skipped;
  }
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: 'venomqa',
      tests: totals.tests,
      failures: totals.failures,
      errors: 0,
      skipped: totals.skipped,
      time: seconds(run.durationMs),
      timestamp: run.startedAt,
    })}>`,
    ...suites.flatMap((s) => s.xml),
    '</testsuites>',
  ];
  return removeInvalidXmlChars(`${out.join('\n')}\n`);
}

interface Suite {
  xml: string[];
  tests: number;
  failures: number;
  skipped: number;
}

function suite(journey: JourneyResult): Suite {
  const lines = journeyLines(journey);
  const failures = lines.filter((line) => line.status === 'failed').length;
  const skipped = lines.filter((line) => line.status === 'skipped').length;
  const suiteAttributes: Record<string, string | number | undefined> = {
    name: journey.name,
    tests: lines.length,
    failures,
    errors: 0,
    skipped,
    time: seconds(journey.durationMs),
    timestamp: journey.startedAt,
  };
  const xml = [
    `  <testsuite${attributes(suiteAttributes)}>`,
    '    <properties>',
    `      <property${attributes({ name: 'apiMode', value: journey.apiMode })}/>`,
    `      <property${attributes({ name: 'parallelPaths', value: journey.parallelPaths })}/>`,
    '    </properties>',
    ...lines.flatMap((line) => testcase(journey, line)),
    '  </testsuite>',
  ];
  return { xml, tests: lines.length, failures, skipped };
}

function testcase(journey: JourneyResult, line: JourneyLine): string[] {
  const open = `    <testcase${attributes({
    name: line.name,
    classname: journey.name,
    time: seconds(line.durationMs),
    file: journey.file,
  })}`;
  const children: string[] = [];
  const [first] = line.failures;
  if (first !== undefined) {
    children.push(
      `      <failure${attributes({ message: failureMessage(first), type: failureType(first) })}>` +
        `${escapeXmlText([...line.failures.map(failureDetails), ...diffText(line)].join('\n\n----\n\n'))}</failure>`,
    );
  } else if (line.status === 'skipped') {
    children.push(`      <skipped${attributes({ message: line.skipReason })}/>`);
  }
  const output = systemOut(line);
  if (output !== '') children.push(`      <system-out>${escapeXmlText(output)}</system-out>`);
  if (children.length === 0) return [`${open}/>`];
  return [`${open}>`, ...children, '    </testcase>'];
}

function failureMessage(failure: Failure): string {
  const why = failure.error === undefined ? 'no error recorded' : firstLine(failure.error.message);
  return `${failure.subject} failed: ${why}`;
}

function failureType(failure: Failure): string {
  return failure.error?.name ?? failure.error?.code ?? 'Failure';
}

function failureDetails(failure: Failure): string {
  const parts = [`${failure.subject} failed: ${errorHeadline(failure.error)}`];
  if (failure.error?.stack !== undefined) parts.push(failure.error.stack);
  const exchanges = failure.step?.exchanges ?? [];
  const last = exchanges.at(-1);
  if (last !== undefined) {
    const which = exchanges.length > 1 ? ` (last of ${exchanges.length})` : '';
    parts.push(`Request${which}: ${exchangeSummary(last)}\n${requestText(last.request)}`);
    if (last.response !== undefined) parts.push(`Response:\n${responseText(last.response)}`);
  }
  const logs = failure.step?.logs ?? [];
  if (logs.length > 0) parts.push(`API log (last ${logs.length} lines):\n${logs.join('\n')}`);
  return parts.join('\n\n');
}

/** The line's state diff, in its failure (a failed path) or its output (`report.diff: all`). */
function diffText(line: JourneyLine): string[] {
  const diff = line.path?.stateDiff;
  return diff ? [renderStateDiffText(diff)] : [];
}

function systemOut(line: JourneyLine): string {
  const out = line.items.map((item) => {
    const label = item.kind === 'checkpoint' ? `checkpoint ${item.name}` : item.name;
    const time = item.status === 'skipped' ? 'skipped' : formatDuration(item.durationMs);
    return `${statusMark(item.status)} ${label} (${time})`;
  });
  if (line.path?.keptDatabase !== undefined) {
    out.push(`Database kept for inspection: ${line.path.keptDatabase} (drop with venomqa prune)`);
  }
  if (line.failures.length === 0) out.push(...diffText(line).map((text) => `\n${text}`));
  for (const item of line.items) {
    if (item.kind !== 'step' || item.logs === undefined || item.logs.length === 0) continue;
    out.push('', `API log at step ${item.name}:`, ...item.logs);
  }
  return out.join('\n');
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
