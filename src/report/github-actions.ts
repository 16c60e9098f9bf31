import { appendFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JourneyResult, RunResult, SourceLocation } from '../result/run-result.js';
import { journeyLines } from './journey-lines.js';
import { renderMarkdownReport } from './markdown-report.js';
import { redactRunResult } from './redact-result.js';

/** GitHub keeps at most 1 MiB of a step's summary; a longer one is cut with a note. */
const STEP_SUMMARY_LIMIT = 1024 * 1024 - 1024;
/** An annotation shows a few lines; the report has the rest. */
const MESSAGE_LIMIT = 2000;

export interface GithubAnnotationOptions {
  /** Paths in annotations are relative to it (`GITHUB_WORKSPACE`, else the current folder). */
  workspace: string;
}

/**
 * `::error file=…,line=…,title=…::message` workflow commands, one per failure of the run, for
 * GitHub Actions to show on the lines of the journey files: a failed step at the line where it
 * was written (the `Step()` call), anything else (a path whose API did not start, a checkpoint)
 * on its journey's file. Secrets are redacted as in every report.
 *
 * @example
 * ```ts
 * if (process.env.GITHUB_ACTIONS === 'true') {
 *   for (const line of renderGithubAnnotations(result, { workspace: process.env.GITHUB_WORKSPACE ?? '.' })) console.log(line);
 * }
 * ```
 */
export function renderGithubAnnotations(
  result: RunResult,
  options: GithubAnnotationOptions,
): string[] {
  const annotations: string[] = [];
  const lineOf = stepLineFinder();
  for (const journey of redactRunResult(result).journeys) {
    for (const line of journeyLines(journey)) {
      for (const failure of line.failures) {
        const where = failure.step?.location ?? fileOnly(journey);
        const lineNumber =
          where?.line ??
          (where && failure.step ? lineOf(where.file, failure.step.name) : undefined);
        const title = `venomqa: ${line.name === journey.name ? journey.name : `${journey.name} › ${line.name}`} › ${failure.subject}`;
        const message = (failure.error?.message ?? `${failure.subject} failed`).slice(
          0,
          MESSAGE_LIMIT,
        );
        const properties = [
          ...(where ? [`file=${property(relativeTo(options.workspace, where.file))}`] : []),
          ...(lineNumber === undefined ? [] : [`line=${lineNumber}`]),
          `title=${property(title)}`,
        ];
        annotations.push(`::error ${properties.join(',')}::${data(message)}`);
      }
    }
  }
  return annotations;
}

/**
 * Append the markdown report to the job summary file (`GITHUB_STEP_SUMMARY`), as each step of
 * a job adds its own section.
 */
export async function appendGithubStepSummary(result: RunResult, file: string): Promise<void> {
  let text = renderMarkdownReport(result);
  if (Buffer.byteLength(text) > STEP_SUMMARY_LIMIT) {
    text = `${text.slice(0, STEP_SUMMARY_LIMIT / 2)}\n\n… (cut: GitHub keeps 1 MiB of a step summary; the report files have everything)\n`;
  }
  await appendFile(file, `${text}\n`, 'utf8');
}

function fileOnly(journey: JourneyResult): SourceLocation | undefined {
  return journey.file === undefined ? undefined : { file: journey.file };
}

/**
 * The line of a step whose stack trace had none (a CommonJS-mode `.ts` journey): the first
 * line of its file quoting the step's name.
 */
function stepLineFinder(): (file: string, name: string) => number | undefined {
  const files = new Map<string, string[] | undefined>();
  return (file, name) => {
    if (!files.has(file)) {
      try {
        files.set(file, readFileSync(file, 'utf8').split('\n'));
      } catch {
        files.set(file, undefined);
      }
    }
    const index = files
      .get(file)
      ?.findIndex((text) => ["'", '"', '`'].some((q) => text.includes(`${q}${name}${q}`)));
    return index === undefined || index < 0 ? undefined : index + 1;
  };
}

function relativeTo(workspace: string, file: string): string {
  const relative = path.relative(workspace, file);
  return (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative)
    .split(path.sep)
    .join('/');
}

/** A workflow command's message: `%`, CR and LF escaped. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: also `:` and `,`. */
function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
