import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { ResolvedConfig } from '../config/schema.js';
import { messageOf } from '../errors/venomqa-error.js';
import type { RunResult } from '../result/run-result.js';
import { renderHtmlReport } from './html/html-report.js';
import { renderJsonReport } from './json-report.js';
import { renderJUnitReport } from './junit-report.js';
import { renderMarkdownReport } from './markdown-report.js';
import { ReportWriteError } from './report-errors.js';

/** `markdown`, `junit`, `json` or `html`, as in `report_formats`. */
export type ReportFormat = ResolvedConfig['report_formats'][number];

/** The file each format is written to, inside the report directory. */
export const REPORT_FILE_NAMES: Readonly<Record<ReportFormat, string>> = {
  markdown: 'venomqa-report.md',
  junit: 'venomqa-junit.xml',
  json: 'venomqa-report.json',
  html: 'venomqa-report.html',
};

const RENDERERS: Readonly<Record<ReportFormat, (result: RunResult) => string>> = {
  markdown: renderMarkdownReport,
  junit: renderJUnitReport,
  json: renderJsonReport,
  html: renderHtmlReport,
};

export interface WriteReportsOptions {
  /** Created when missing; relative to the current directory. */
  dir: string;
  formats: readonly ReportFormat[];
}

/**
 * Writes one file per format into `dir` (replacing files from an earlier run) and returns their
 * absolute paths, in the order of `formats` (each format once).
 *
 * @example
 * ```ts
 * const files = await writeReports(result, { dir: 'reports', formats: ['markdown', 'junit'] });
 * ```
 */
export async function writeReports(
  result: RunResult,
  options: WriteReportsOptions,
): Promise<string[]> {
  const formats = [...new Set(options.formats)];
  for (const format of formats) {
    if (!Object.hasOwn(RENDERERS, format)) {
      throw new TypeError(
        `Unknown report format '${String(format)}'; use ${Object.keys(RENDERERS).join(', ')}`,
      );
    }
  }
  const dir = path.resolve(options.dir);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new ReportWriteError(`Cannot create report directory ${dir}: ${messageOf(error)}`, {
      cause: error,
      hint: 'Point report_dir in venomqa.yaml at a directory you can write to.',
    });
  }
  const written: string[] = [];
  for (const format of formats) {
    const file = path.join(dir, REPORT_FILE_NAMES[format]);
    try {
      await writeFile(file, RENDERERS[format](result), 'utf8');
    } catch (error) {
      throw new ReportWriteError(`Cannot write the ${format} report ${file}: ${messageOf(error)}`, {
        cause: error,
        hint: 'Point report_dir in venomqa.yaml at a directory you can write to.',
      });
    }
    written.push(file);
  }
  return written;
}
