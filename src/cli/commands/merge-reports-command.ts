import path from 'node:path';
import { Command, Option } from 'commander';
import { REPORT_FORMATS } from '../../config/index.js';
import { mergeReports, readJsonReport } from '../../report/index.js';
import { configFor, outputFor, type CliContext } from '../cli-context.js';
import { reportFormats, type ReportFormat } from '../report-formats.js';
import { reportRun } from '../run-report.js';

/**
 * `venomqa merge-reports <dirs…>`: the JSON reports of a sharded run (`run --shard i/n` on each
 * CI machine, `--format json`) back into the reports of the whole run, in every format
 * (markdown, JUnit, JSON, HTML) unless `--format` says otherwise; exit 1 when a journey failed
 * or a shard is missing.
 */
export function mergeReportsCommand(context: CliContext): Command {
  return new Command('merge-reports')
    .argument('<reports...>', "the shards' report folders (or their venomqa-report.json files)")
    .option('--report-dir <dir>', 'where the merged reports are written (report_dir)')
    .addOption(
      new Option(
        '--format <formats>',
        `formats to write, comma-separated or repeated: ${REPORT_FORMATS.join(', ')} (default: all)`,
      ).argParser(reportFormats),
    )
    .action(
      async (
        locations: string[],
        options: { reportDir?: string; format?: ReportFormat[] },
        command: Command,
      ) => {
        const out = outputFor(command, context);
        const config = await configFor(command, context, {
          ...(options.reportDir === undefined
            ? {}
            : { report_dir: path.resolve(context.cwd, options.reportDir) }),
        });
        const reports = await Promise.all(
          locations.map((location) => readJsonReport(path.resolve(context.cwd, location))),
        );
        for (const { file, result } of reports) {
          out.progress(
            `${file}: ${result.shard ? `shard ${result.shard.index}/${result.shard.total}` : 'a whole run'}, ${result.passed} passed, ${result.failed} failed`,
          );
        }
        const { result, missingShards } = mergeReports(reports.map((r) => r.result));
        if (missingShards.length > 0) {
          out.progress(
            `warning: no report of shard${missingShards.length === 1 ? '' : 's'} ${missingShards.join(', ')}: their paths stay skipped and count as not passed`,
          );
        }
        await reportRun(
          result,
          {
            report_dir: config.report_dir,
            report_formats: options.format ?? [...REPORT_FORMATS],
          },
          out,
          context,
        );
      },
    );
}
