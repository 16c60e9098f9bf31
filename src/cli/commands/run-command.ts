import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { REPORT_FORMATS, type QAConfig, type ResolvedConfig } from '../../config/schema.js';
import { ExitCode } from '../../errors/exit-code.js';
import { writeReports } from '../../report/write-reports.js';
import { loadJourneys } from '../../run/load-journeys.js';
import type { RunResult } from '../../runner/result.js';
import { runJourneys } from '../../run/run-journeys.js';
import { ServerLostError } from '../../run/server-lost.js';
import { configFor, outputFor, type CliContext } from '../cli-context.js';
import type { Output } from '../output.js';
import { allowRemote } from '../open-snapshot-engine.js';
import { RunProgress } from '../run-progress.js';

type ReportFormat = (typeof REPORT_FORMATS)[number];

interface RunOptions {
  allowRemote?: boolean;
  parallel?: number;
  freshApi?: boolean;
  cache?: boolean;
  failFast?: boolean;
  keepFailed?: boolean;
  reportDir?: string;
  format?: ReportFormat[];
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  // Commander turns an InvalidArgumentError (only that) into a usage error naming the option.
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`must be an integer >= 1, got "${value}"`);
  }
  return parsed;
}

/** `--format junit,json` or `--format junit --format json`; not variadic, so paths can follow. */
function reportFormats(value: string, previous: ReportFormat[] | undefined): ReportFormat[] {
  const formats = value.split(',').map((f) => f.trim());
  for (const format of formats) {
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
      throw new InvalidArgumentError(`"${format}" is not one of ${REPORT_FORMATS.join(', ')}`);
    }
  }
  return [...(previous ?? []), ...(formats as ReportFormat[])];
}
/**
 * `venomqa run [files or folders]`: load journey modules (.ts or .js), run them, write the
 * reports. One line per finished path on stderr; exit 1 when a journey failed. Ctrl-C stops
 * the run, releases everything, still writes the reports (what ran, the rest skipped) and
 * exits 130.
 */
export function runCommand(context: CliContext): Command {
  return new Command('run')
    .description('run journeys: every branch path on its own database clone (and API instance)')
    .argument('[paths...]', 'journey files or folders (default: config journeys, ./journeys)')
    .addOption(
      new Option('--parallel <n>', 'paths run at once (parallel_paths)').argParser(positiveInteger),
    )
    .option('--fail-fast', 'stop every other path at the first failure (fail_fast)')
    .option('--keep-failed', 'keep the database clones of failed paths (keep_failed)')
    .option('--fresh-api', 'start a fresh API per path instead of one per slot (api.reuse: false)')
    .option('--no-cache', 'run setup.command even when its migrated template is cached')
    .option('--report-dir <dir>', 'where reports are written (report_dir)')
    .addOption(allowRemote)
    .addOption(
      new Option(
        '--format <formats>',
        `report formats, comma-separated or repeated: ${REPORT_FORMATS.join(', ')} (report_formats)`,
      ).argParser(reportFormats),
    )
    .action(async (paths: string[], options: RunOptions, command: Command) => {
      const out = outputFor(command, context);
      const flags: QAConfig = {
        ...(options.parallel === undefined ? {} : { parallel_paths: options.parallel }),
        ...(options.failFast ? { fail_fast: true } : {}),
        ...(options.keepFailed ? { keep_failed: true } : {}),
        ...(options.freshApi ? { api: { reuse: false } } : {}),
        ...(options.reportDir === undefined
          ? {}
          : { report_dir: path.resolve(context.cwd, options.reportDir) }),
        ...(options.format === undefined ? {} : { report_formats: options.format }),
        // A server that is not on this machine needs safety.allow_remote AND --allow-remote,
        // as for the snapshot commands: without the flag the config alone does not allow it.
        ...(options.allowRemote ? {} : { safety: { allow_remote: false } }),
      };
      const config = await configFor(command, context, flags);
      const journeys = await loadJourneys(
        paths.length > 0 ? paths : [...config.journeys],
        context.cwd,
      );
      const progress = new RunProgress(
        context.stderr ?? process.stderr,
        context.env.CI === undefined || context.env.CI === 'false',
      );
      out.progress(
        `Running ${journeys.length} journey${journeys.length === 1 ? '' : 's'} (parallel_paths ${config.parallel_paths})`,
      );
      let result: RunResult;
      try {
        result = await runJourneys({
          config,
          journeys,
          cwd: context.cwd,
          rebuildSetup: options.cache === false,
          signal: context.signal,
          onEvent: (event) => progress.event(event),
          onProgress: (line) => progress.line(line),
        });
      } catch (error) {
        // The server went away mid-run: the error is what the run ends with, and the reports
        // still say which journeys ran and which were skipped.
        if (error instanceof ServerLostError) await reportTo(out, config, error.result);
        throw error;
      } finally {
        progress.done();
      }
      const files = await reportTo(out, config, result);
      const kept = keptDatabases(result);
      for (const database of kept) {
        out.progress(
          `kept the clone of a failed path: ${database} (drop it with \`venomqa prune\` once you are done)`,
        );
      }
      const skipped = result.journeys.length - result.passed - result.failed;
      out.result(
        { ...summary(result), reports: files, keptDatabases: kept },
        `${result.interrupted ? 'Interrupted: ' : ''}${result.passed} journey${result.passed === 1 ? '' : 's'} passed, ${result.failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''} (${(result.durationMs / 1000).toFixed(1)} s)`,
      );
      // Interrupted wins over failed: the run did not get to say whether the rest passes.
      if (result.interrupted) process.exitCode = ExitCode.Interrupted;
      else if (result.failed > 0) process.exitCode = ExitCode.JourneysFailed;
    });
}

/** Write the configured reports and list them on stderr. */
async function reportTo(out: Output, config: ResolvedConfig, result: RunResult): Promise<string[]> {
  const files = await writeReports(result, {
    dir: config.report_dir,
    formats: [...config.report_formats],
  });
  for (const file of files) out.progress(`report: ${file}`);
  return files;
}

function summary(result: RunResult): Record<string, unknown> {
  return {
    ...(result.interrupted ? { interrupted: true } : {}),
    passed: result.passed,
    failed: result.failed,
    durationMs: Math.round(result.durationMs),
    journeys: result.journeys.map((j) => ({ name: j.name, status: j.status, file: j.file })),
  };
}

function keptDatabases(result: RunResult): string[] {
  const kept: string[] = [];
  const visit = (items: RunResult['journeys'][number]['items']): void => {
    for (const item of items) {
      if (item.kind !== 'branch') continue;
      for (const p of item.paths) {
        if (p.keptDatabase) kept.push(p.keptDatabase);
        visit(p.items);
      }
    }
  };
  for (const journey of result.journeys) visit(journey.items);
  return kept;
}
