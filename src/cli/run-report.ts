import type { ResolvedConfig } from '../config/index.js';
import { ExitCode } from '../errors/index.js';
import type { RunResult } from '../index.js';
import { appendGithubStepSummary, renderGithubAnnotations, writeReports } from '../report/index.js';
import type { CliContext } from './cli-context.js';
import type { Output } from './output.js';

/**
 * What every command that ends with a run's result does (`run`, each `run --watch` rerun,
 * `merge-reports`): write the report files, name the kept clones, add the summary and the
 * failed steps' annotations when running in GitHub Actions, print the closing line (or JSON
 * document), and set exit code 1 when a journey failed.
 */
export async function reportRun(
  result: RunResult,
  config: Pick<ResolvedConfig, 'report_dir' | 'report_formats'>,
  out: Output,
  context: CliContext,
): Promise<void> {
  const files = await writeRunReports(result, config, out);
  const kept = keptDatabases(result);
  for (const { database, path } of kept) {
    out.progress(
      `kept the clone of a failed path: ${database} (look inside with \`venomqa db psql --path ${path}\`; drop it with \`venomqa prune\` once you are done)`,
    );
  }
  await githubActions(result, out, context);
  const skipped = result.journeys.length - result.passed - result.failed;
  out.result(
    { ...summary(result), reports: files, keptDatabases: kept.map((k) => k.database) },
    `${result.interrupted ? 'Interrupted: ' : ''}${result.passed} journey${result.passed === 1 ? '' : 's'} passed, ${result.failed} failed` +
      `${skipped > 0 ? `, ${skipped} ${result.interrupted ? 'skipped' : 'in other shards'}` : ''} (${(result.durationMs / 1000).toFixed(1)} s)`,
  );
  // Interrupted wins over failed: the run did not get to say whether the rest passes.
  process.exitCode = result.interrupted
    ? ExitCode.Interrupted
    : result.failed > 0
      ? ExitCode.JourneysFailed
      : ExitCode.Ok;
}

/** Write the configured report files and list them on stderr. */
export async function writeRunReports(
  result: RunResult,
  config: Pick<ResolvedConfig, 'report_dir' | 'report_formats'>,
  out: Output,
): Promise<string[]> {
  const files = await writeReports(result, {
    dir: config.report_dir,
    formats: [...config.report_formats],
  });
  for (const file of files) out.progress(`report: ${file}`);
  return files;
}

/**
 * In GitHub Actions: the markdown report appended to the job summary (`GITHUB_STEP_SUMMARY`),
 * and one `::error file=…,line=…::` per failure, on stdout as the runner reads them (stderr
 * with --json, which keeps stdout for the one document).
 */
async function githubActions(result: RunResult, out: Output, context: CliContext): Promise<void> {
  const summaryFile = context.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    await appendGithubStepSummary(result, summaryFile).catch((error: unknown) =>
      out.progress(`warning: could not append to GITHUB_STEP_SUMMARY: ${String(error)}`),
    );
  }
  if (context.env.GITHUB_ACTIONS !== 'true') return;
  const workspace = context.env.GITHUB_WORKSPACE ?? context.cwd;
  const stream = out.json ? (context.stderr ?? process.stderr) : (context.stdout ?? process.stdout);
  for (const line of renderGithubAnnotations(result, { workspace })) stream.write(`${line}\n`);
}

function summary(result: RunResult): Record<string, unknown> {
  return {
    ...(result.interrupted ? { interrupted: true } : {}),
    passed: result.passed,
    failed: result.failed,
    durationMs: Math.round(result.durationMs),
    ...(result.shard ? { shard: result.shard } : {}),
    journeys: result.journeys.map((j) => ({ name: j.name, status: j.status, file: j.file })),
  };
}

/** The clones kept for failed paths, with the `journey/path` that finds them again. */
function keptDatabases(result: RunResult): { database: string; path: string }[] {
  const kept: { database: string; path: string }[] = [];
  for (const journey of result.journeys) {
    const visit = (items: RunResult['journeys'][number]['items']): void => {
      for (const item of items) {
        if (item.kind !== 'branch') continue;
        for (const p of item.paths) {
          if (p.keptDatabase) {
            kept.push({ database: p.keptDatabase, path: `${journey.name}/${p.qualifiedName}` });
          }
          visit(p.items);
        }
      }
    };
    visit(journey.items);
  }
  return kept;
}
