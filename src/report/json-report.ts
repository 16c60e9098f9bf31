import type { RunResult } from '../result/run-result.js';
import { packageVersion } from '../package-root.js';
import { redactRunResult } from './redact-result.js';

/** Version of the JSON report's layout; raised when a field changes meaning or goes away. */
export const JSON_REPORT_FORMAT = 1;

/** The JSON report: the result tree as it is, with a header naming what wrote it. */
export type JsonReport = RunResult & { venomqa: { version: string; format: number } };

/**
 * The run as pretty-printed JSON, for tools: `{ "venomqa": { version, format }, …RunResult }`.
 * The tree is the runner's own (see `RunResult`), with secrets redacted.
 *
 * @example
 * ```ts
 * const report = JSON.parse(renderJsonReport(result)) as JsonReport;
 * ```
 */
export function renderJsonReport(result: RunResult): string {
  const report: JsonReport = {
    venomqa: { version: packageVersion(), format: JSON_REPORT_FORMAT },
    ...redactRunResult(result),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
