import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { REPORT_FORMATS, type QAConfig, type ResolvedConfig } from '../../config/index.js';
import { readJsonReport } from '../../report/index.js';
import {
  ShardPlan,
  loadJourneys,
  parseShard,
  runJourneys,
  ServerLostError,
  shardDurations,
  watchJourneys,
  type LoadedJourney,
  type ShardSpec,
} from '../../run/index.js';
import { configFor, outputFor, type CliContext } from '../cli-context.js';
import type { Output } from '../output.js';
import { allowRemoteOption } from '../project-database.js';
import { RunProgress } from '../run-progress.js';
import { reportFormats, type ReportFormat } from '../report-formats.js';
import { reportRun, writeRunReports } from '../run-report.js';

interface RunOptions {
  allowRemote?: boolean;
  parallel?: number;
  freshApi?: boolean;
  cache?: boolean;
  failFast?: boolean;
  keepFailed?: boolean;
  reportDir?: string;
  format?: ReportFormat[];
  shard?: ShardSpec;
  shardDurations?: string;
  watch?: boolean;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  // Commander turns an InvalidArgumentError (only that) into a usage error naming the option.
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`must be an integer >= 1, got "${value}"`);
  }
  return parsed;
}

function shardOption(value: string): ShardSpec {
  try {
    return parseShard(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * `venomqa run [files or folders]`: load journey modules (.ts or .js), run them, write the
 * reports. One line per finished path on stderr; exit 1 when a journey failed. `--shard i/n`
 * runs one CI machine's part of the paths; `--watch` reruns as files change.
 */
export function runCommand(context: CliContext): Command {
  return new Command('run')
    .argument('[paths...]', 'journey files or folders (default: config journeys, ./journeys)')
    .addOption(
      new Option('--parallel <n>', 'paths run at once (parallel_paths)').argParser(positiveInteger),
    )
    .option('--fail-fast', 'stop every other path at the first failure (fail_fast)')
    .option('--keep-failed', 'keep the database clones of failed paths (keep_failed)')
    .option('--fresh-api', 'start a fresh API per path instead of one per slot (api.reuse: false)')
    .option('--no-cache', 'run setup.command even when its migrated template is cached')
    .option('--report-dir <dir>', 'where reports are written (report_dir)')
    .addOption(allowRemoteOption)
    .addOption(
      new Option(
        '--format <formats>',
        `report formats, comma-separated or repeated: ${REPORT_FORMATS.join(', ')} (report_formats)`,
      ).argParser(reportFormats),
    )
    .addOption(
      new Option(
        '--shard <i/n>',
        "run shard i of n (one CI machine's part of the paths; merge the reports with `venomqa merge-reports`)",
      ).argParser(shardOption),
    )
    .option(
      '--shard-durations <report>',
      "an earlier run's JSON report (file or report folder): shards are balanced by its path durations",
    )
    .option('--watch', 'rerun the journeys whose files change, until Ctrl-C')
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
      const entries = paths.length > 0 ? paths : [...config.journeys];
      const progress = new RunProgress(
        context.stderr ?? process.stderr,
        context.env.CI === undefined || context.env.CI === 'false',
      );
      if (options.watch) {
        await watch(config, entries, options, { out, progress, context });
        return;
      }
      const journeys = await loadJourneys(entries, context.cwd);
      const shard = options.shard
        ? await shardPlan(options.shard, journeys, options.shardDurations, context, out)
        : undefined;
      out.progress(
        `Running ${journeys.length} journey${journeys.length === 1 ? '' : 's'} (parallel_paths ${config.parallel_paths})`,
      );
      try {
        const result = await runJourneys({
          config,
          journeys,
          cwd: context.cwd,
          rebuildSetup: options.cache === false,
          signal: context.signal,
          ...(shard ? { shard } : {}),
          onEvent: (event) => progress.event(event),
          onProgress: (line) => progress.line(line),
        });
        progress.done();
        await reportRun(result, config, out, context);
      } catch (error) {
        // The server went away mid-run: the error is what the run ends with, and the reports
        // still say which journeys ran and which were skipped.
        if (error instanceof ServerLostError) await writeRunReports(error.result, config, out);
        throw error;
      } finally {
        progress.done();
      }
    });
}

/** The shard's plan, balanced by an earlier report's durations when one is given. */
async function shardPlan(
  spec: ShardSpec,
  journeys: readonly LoadedJourney[],
  durationsReport: string | undefined,
  context: CliContext,
  out: Output,
): Promise<ShardPlan> {
  const durations = durationsReport
    ? shardDurations((await readJsonReport(path.resolve(context.cwd, durationsReport))).result)
    : undefined;
  const plan = new ShardPlan(
    spec,
    journeys.map((loaded) => loaded.journey),
    durations,
  );
  const { owned, total } = plan.count();
  out.progress(
    `Shard ${spec.index}/${spec.total}: ${owned} of ${total} paths (a main-line path with its nested paths, or a journey without branches), ${durations ? `balanced by the durations in ${durationsReport}` : 'balanced by count'}`,
  );
  return plan;
}

/** `--watch`: a report after every run; Ctrl-C ends it (exit 130, everything released). */
async function watch(
  config: ResolvedConfig,
  entries: readonly string[],
  options: RunOptions,
  io: { out: Output; progress: RunProgress; context: CliContext },
): Promise<void> {
  const { out, progress, context } = io;
  if (options.shard) out.progress('--shard is ignored with --watch: every path runs');
  await watchJourneys({
    config,
    entries,
    cwd: context.cwd,
    rebuildSetup: options.cache === false,
    signal: context.signal,
    onEvent: (event) => progress.event(event),
    onProgress: (line) => progress.line(line),
    onRun: async (result) => {
      progress.done();
      await reportRun(result, config, out, context);
    },
    onError: (error) => out.error(error),
  });
}
