import type Docker from 'dockerode';
import { demuxDockerLogs, lastLines } from '../docker/container-logs.js';
import { messageOf } from '../errors/venomqa-error.js';
import { PgBouncerError } from './pgbouncer-errors.js';
import type { PgBouncerProcess } from './pgbouncer-process.js';

/**
 * Writes the configuration and starts PgBouncer as a daemon, as the `postgres` user inside the
 * venomqa/postgres container. The auth file is written from the container's own
 * POSTGRES_USER / POSTGRES_PASSWORD (or *_FILE), so the password never travels in a command.
 * Prints the folder it made.
 */
const START_SCRIPT = `set -eu
command -v pgbouncer >/dev/null || { echo "pgbouncer is not installed in this image" >&2; exit 127; }
dir=$(mktemp -d /tmp/venomqa-pgbouncer.XXXXXX)
user=\${POSTGRES_USER:-$(cat "\${POSTGRES_USER_FILE:-/dev/null}")}
password=\${POSTGRES_PASSWORD:-$(cat "\${POSTGRES_PASSWORD_FILE:-/dev/null}")}
printf '"%s" "%s"\\n' "\${user//\\"/\\"\\"}" "\${password//\\"/\\"\\"}" > "$dir/users.txt"
printf '%s\\nlogfile = %s\\npidfile = %s\\n' "\${VENOMQA_PGBOUNCER_INI//\\{dir\\}/$dir}" \\
  "$dir/pgbouncer.log" "$dir/pgbouncer.pid" > "$dir/pgbouncer.ini"
chmod 600 "$dir"/*
pgbouncer -d "$dir/pgbouncer.ini"
echo "$dir"`;

interface ExecResult {
  exitCode: number;
  output: string;
}

async function execIn(
  container: Docker.Container,
  cmd: string[],
  env: string[] = [],
): Promise<ExecResult> {
  const exec = await container.exec({
    Cmd: cmd,
    Env: env,
    User: 'postgres',
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, output: demuxDockerLogs(Buffer.concat(chunks)) };
}

/**
 * Run PgBouncer inside the PostgreSQL container `containerId` (venomqa/postgres has it), as a
 * daemon next to the postmaster; it goes away with the container. `ini` is the configuration
 * without logfile and pidfile, `{dir}` standing for its folder.
 */
export async function execPgBouncerInContainer(
  docker: Docker,
  containerId: string,
  ini: string,
): Promise<PgBouncerProcess> {
  const container = docker.getContainer(containerId);
  const image = (await container.inspect()).Config.Image;
  const name = `PgBouncer in container ${containerId.slice(0, 12)}`;
  let started: ExecResult;
  try {
    started = await execIn(
      container,
      ['bash', '-c', START_SCRIPT],
      [`VENOMQA_PGBOUNCER_INI=${ini}`],
    );
  } catch (error) {
    throw new PgBouncerError(`Starting ${name} failed: ${messageOf(error)}`, [], { cause: error });
  }
  const output = lastLines(started.output, 20);
  if (started.exitCode !== 0) {
    throw new PgBouncerError(`Starting ${name} failed (exit ${started.exitCode})`, output, {
      hint:
        started.exitCode === 127
          ? `${image} predates PgBouncer in venomqa/postgres: remove it (docker rmi ${image}) so venomqa builds it again, or set server.pooler: none.`
          : undefined,
    });
  }
  const dir = output.at(-1) ?? '';
  const inDir = (script: string): string[] => ['bash', '-c', script, 'pgbouncer', dir];
  let stopped: Promise<void> | undefined;
  let gone = false;
  return {
    description: name,
    exited: () => gone,
    async logs(count = 50) {
      const result = await execIn(container, inDir(`tail -n ${count} "$1/pgbouncer.log"`)).catch(
        () => undefined,
      );
      return result ? lastLines(result.output, count) : [];
    },
    stop() {
      stopped ??= (async () => {
        gone = true;
        // A container that is gone took PgBouncer with it.
        await execIn(
          container,
          inDir('kill -TERM "$(cat "$1/pgbouncer.pid")" 2>/dev/null; sleep 0.2; rm -rf "$1"'),
        ).catch(() => undefined);
      })();
      return stopped;
    },
  };
}
