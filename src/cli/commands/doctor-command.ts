import { Command, InvalidArgumentError, Option } from 'commander';
import { runDoctor, type DoctorCheck } from '../../doctor/index.js';
import { ExitCode } from '../../errors/index.js';
import { configFor, outputFor, type CliContext } from '../cli-context.js';

const LABEL: Record<DoctorCheck['status'], string> = {
  ok: 'OK',
  warn: 'WARN',
  fail: 'FAIL',
  skip: 'SKIP',
};

/**
 * `venomqa doctor`: one line per check (Node, Docker and how it was found, images, PostgreSQL,
 * its version, CREATEDB, connection slots, disk, reflink, the API command, MariaDB/Redis when
 * configured, psql), OK or FAIL with the fix; exit 3 when one fails.
 */
export function doctorCommand(context: CliContext): Command {
  return new Command('doctor')
    .addOption(
      new Option(
        '--pool-size <n>',
        "connections one API instance holds (its pool's maximum); 10 when not given",
      ).argParser((value) => {
        const size = Number(value);
        if (!Number.isInteger(size) || size < 1) {
          throw new InvalidArgumentError(`must be an integer >= 1, got "${value}"`);
        }
        return size;
      }),
    )
    .action(async (options: { poolSize?: number }, command: Command) => {
      const out = outputFor(command, context);
      const config = await configFor(command, context);
      const report = await runDoctor({
        config,
        cwd: context.cwd,
        env: context.env,
        ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
      });
      const width = Math.max(...report.checks.map((c) => c.id.length));
      const lines = report.checks.map(
        (c) =>
          `${LABEL[c.status].padEnd(4)}  ${c.id.padEnd(width)}  ${c.detail}${c.fix ? ` → fix: ${c.fix}` : ''}`,
      );
      const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
      lines.push(
        failed.length === 0
          ? 'Nothing is broken.'
          : `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.join(', ')}`,
      );
      out.result(report, lines.join('\n'));
      if (!report.ok) process.exitCode = ExitCode.EnvironmentUnavailable;
    });
}
