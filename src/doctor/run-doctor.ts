import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import { ManagedDatabase } from '../server/managed-database.js';
import { skip, type DoctorCheck } from './doctor-check.js';
import { dockerDaemonCheck, imageChecks } from './docker-checks.js';
import { diskCheck, embeddedRunLocation, reflinkCheck, type DataLocation } from './disk-checks.js';
import { perRunServerChecks, postgresChecks } from './postgres-checks.js';
import { SERVICE_BACKENDS, serviceCheck } from './service-checks.js';
import { apiCommandCheck, nodeCheck, psqlCheck } from './system-checks.js';

export interface RunDoctorOptions {
  config: ResolvedConfig;
  cwd: string;
  /** Read for DOCKER_HOST, PATH, VENOMQA_PG_BIN. */
  env: Readonly<Record<string, string | undefined>>;
  /** Connections one API instance holds (its pool's maximum); 10 when not given. */
  poolSize?: number;
}

export interface DoctorReport {
  /** False when a check failed (`venomqa doctor` exits 3). */
  ok: boolean;
  checks: DoctorCheck[];
}

/**
 * `venomqa doctor`: whether this machine and config can run journeys, one check per part, each
 * saying what it found and, when it is not right, what to do. Never throws for a broken
 * environment: that is a failed check.
 *
 * @example
 * ```ts
 * const report = await runDoctor({ config, cwd: process.cwd(), env: process.env });
 * for (const check of report.checks) console.log(check.status, check.id, check.detail);
 * ```
 */
export async function runDoctor(options: RunDoctorOptions): Promise<DoctorReport> {
  const { config, cwd, env } = options;
  const checks: DoctorCheck[] = [nodeCheck()];
  const { check: docker, daemon } = await dockerDaemonCheck(config, env);
  checks.push(docker, ...(await imageChecks(config, daemon?.docker)));

  const pool = { size: options.poolSize ?? 10, guessed: options.poolSize === undefined };
  const serviceBackend = SERVICE_BACKENDS.has(config.db_backend);
  const managed = await new ManagedDatabase(config, cwd).status();
  let location: DataLocation | undefined;
  let target: { url: string; source: string } | undefined;
  if (config.db_url && !serviceBackend) {
    target = { url: config.db_url, source: 'db_url' };
  } else if (managed.running && managed.state) {
    const state = managed.state;
    target = {
      url: ManagedDatabase.urlOf(state),
      source: `the managed \`venomqa db\`, ${state.provider}`,
    };
    location =
      state.provider === 'embedded' && state.rootDir
        ? { where: state.rootDir, embedded: true }
        : config.server.tmpfs
          ? { where: 'memory', embedded: false }
          : undefined;
  } else if (
    config.server.provider === 'embedded' ||
    (config.server.provider === 'auto' && !daemon)
  ) {
    location = embeddedRunLocation();
  } else if (config.server.provider !== 'url' && config.server.tmpfs) {
    location = { where: 'memory', embedded: false };
  }
  if (target) {
    const { checks: server, facts } = await postgresChecks(config, target.url, target.source, pool);
    checks.push(...server);
    // A server of db_url on this machine: its data directory, when the role may read it.
    const dataDirectory = facts?.dataDirectory;
    if (!location && target.source === 'db_url' && dataDirectory && isLocal(target.url)) {
      if (await exists(dataDirectory)) location = { where: dataDirectory, embedded: false };
    }
    checks.push(await diskCheck(config, facts ?? null, location));
  } else if (config.api.mode === 'shared') {
    // A shared API has its own database; venomqa reaches it only through db_url.
    checks.push(
      skip(
        'postgres',
        serviceBackend
          ? `api.mode shared with db_backend ${config.db_backend}: no PostgreSQL is used`
          : 'api.mode shared and no db_url: venomqa starts no PostgreSQL; journeys with checkpoints need db_url, the database the API uses',
      ),
    );
    location = undefined;
  } else {
    checks.push(...perRunServerChecks(config, daemon !== undefined, pool));
    checks.push(await diskCheck(config, undefined, location));
  }
  checks.push(await reflinkCheck(location));
  if (serviceBackend) checks.push(await serviceCheck(config, cwd));
  checks.push(await apiCommandCheck(config, cwd, env));
  checks.push(await psqlCheck(env));
  return { ok: checks.every((check) => check.status !== 'fail'), checks };
}

function isLocal(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || host.startsWith('127.') || path.isAbsolute(host);
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
