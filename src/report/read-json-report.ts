import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { messageOf } from '../errors/venomqa-error.js';
import type { RunResult } from '../result/run-result.js';
import { JSON_REPORT_FORMAT, type JsonReport } from './json-report.js';
import { ReportReadError } from './report-errors.js';

const JSON_REPORT_FILE = 'venomqa-report.json';

/**
 * The run a JSON report holds. `location` is the report file or the report directory it was
 * written to (`venomqa-report.json` inside). Refuses a file that is not a venomqa JSON report
 * of a layout this version reads.
 *
 * @example
 * ```ts
 * const { result, file } = await readJsonReport('reports/shard-2');
 * ```
 */
export async function readJsonReport(
  location: string,
): Promise<{ result: RunResult; file: string }> {
  const info = await stat(location).catch(() => undefined);
  const file = info?.isDirectory() ? path.join(location, JSON_REPORT_FILE) : location;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ReportReadError(`Cannot read the JSON report ${file}: ${messageOf(error)}`, {
      cause: error,
      hint: 'Write one with `venomqa run --format json` (report_formats: [json]); CI jobs upload their report_dir as an artifact.',
    });
  }
  let report: Partial<JsonReport>;
  try {
    report = JSON.parse(text) as Partial<JsonReport>;
  } catch (error) {
    throw new ReportReadError(`${file} is not JSON: ${messageOf(error)}`, { cause: error });
  }
  if (report.venomqa?.format !== JSON_REPORT_FORMAT || !Array.isArray(report.journeys)) {
    throw new ReportReadError(
      `${file} is not a venomqa JSON report of format ${JSON_REPORT_FORMAT}${report.venomqa ? ` (it is format ${String(report.venomqa.format)}, written by venomqa ${report.venomqa.version})` : ''}`,
      { hint: 'Merge reports written by the same venomqa version.' },
    );
  }
  const result: Partial<JsonReport> = { ...report };
  delete result.venomqa;
  return { result: result as RunResult, file };
}
