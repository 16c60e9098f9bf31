import * as z from 'zod';

import type { DeepReadonly } from './deep-freeze.js';

/**
 * One "must be …" text per field, given to the type and to every check, so a user reads the
 * same sentence whichever check failed (`'parallel_paths' must be an integer >= 1, got "two"`)
 * instead of zod's generic wording.
 */
function must(expected: string): { error: string } {
  return { error: `must be ${expected}` };
}

function nonEmptyString(expected = 'a non-empty string') {
  return z.string(must(expected)).min(1, must(expected));
}

function intAtLeast(min: number) {
  const text = `an integer >= ${min}`;
  return z.int(must(text)).min(min, must(text));
}

function positiveSeconds() {
  const text = 'a number of seconds > 0';
  return z.number(must(text)).positive(must(text));
}

function boolean() {
  return z.boolean(must('true or false'));
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, must(`one of ${values.join(', ')}`));
}

/** The report files `venomqa run` can write. */
export const REPORT_FORMATS = ['markdown', 'junit', 'json', 'html'] as const;
/** Which paths get a state diff (what they changed in their database): `failed` by default. */
export const REPORT_DIFF_MODES = ['failed', 'all', 'off'] as const;
/** How checkpoints are taken: template clones, SAVEPOINTs, or chosen per backend. */
export const STRATEGIES = ['auto', 'template', 'savepoint'] as const;
/**
 * Where PostgreSQL runs: `compose` is the `db` service of `docker_compose_file`, started when
 * it is not running.
 */
export const SERVER_PROVIDERS = ['auto', 'docker', 'embedded', 'url', 'compose'] as const;
/** Docker network mode of the PostgreSQL container. */
export const SERVER_NETWORKS = ['bridge', 'host'] as const;
/** What API slots connect through: PostgreSQL itself, or a PgBouncer paused during swaps. */
export const SERVER_POOLERS = ['none', 'pgbouncer'] as const;
/**
 * Who starts the API under test: nobody (`shared`), venomqa as a process per path, or as a
 * container per path; `auto` is `docker` when `api.image` is set and a daemon answers, else
 * `process`.
 */
export const API_MODES = ['shared', 'process', 'docker', 'auto'] as const;

const stateBackendText = 'a "module#Export" string such as ./plugins/mongo.js#MongoStateManager';

const serverSchema = z
  .strictObject(
    {
      provider: oneOf(SERVER_PROVIDERS).default('auto'),
      image: nonEmptyString('an image name').default('venomqa/postgres:17'),
      // The BASE_IMAGE build arg when venomqa builds its image: CI swaps in a local base.
      base_image: nonEmptyString('an image name').default('debian:trixie-slim'),
      // null lets the provider pick a free port, so parallel runs never collide.
      port: z
        .int(must('a port from 1 to 65535, or null to pick a free one'))
        .min(1, must('a port from 1 to 65535, or null to pick a free one'))
        .max(65535, must('a port from 1 to 65535, or null to pick a free one'))
        .nullable()
        .default(null),
      // A data directory on tmpfs makes clones and fsync-free writes fast; data is throwaway.
      tmpfs: boolean().default(true),
      network: oneOf(SERVER_NETWORKS).default('bridge'),
      user: nonEmptyString().default('venomqa'),
      // null generates a password per server, so none has to live in a file.
      password: nonEmptyString('a non-empty string, or null to generate one')
        .nullable()
        .default(null),
      database: nonEmptyString().default('venomqa'),
      startup_timeout: positiveSeconds().default(60),
      data_dir: nonEmptyString('a directory path').default('.venomqa/embedded'),
      // pgbouncer: API slots connect through PgBouncer (transaction pooling), paused while their
      // database is swapped, so an app whose pool dies on ended sessions still survives.
      pooler: oneOf(SERVER_POOLERS).default('none'),
    },
    must('a mapping of server settings'),
  )
  // prefault (not default) runs `{}` through the object so its own defaults fill in.
  .prefault({});

const commandText = 'a command string, a list of arguments, or null';

const apiSchema = z
  .strictObject(
    {
      mode: oneOf(API_MODES).default('shared'),
      command: z
        .union(
          [
            nonEmptyString(commandText),
            // `[node, server.js, --port, 3000]` is natural YAML: numbers become arguments too.
            z
              .array(
                z.union([z.string(), z.number()], must(commandText)).transform(String),
                must(commandText),
              )
              .min(1, must(commandText)),
            z.null(),
          ],
          must(commandText),
        )
        .default(null),
      // YAML users write `PORT: 3000`; environment values are strings, so convert here.
      env: z
        .record(
          z.string(),
          z
            .union([z.string(), z.number(), z.boolean()], must('a string, number or boolean'))
            .transform(String),
          must('a mapping of variable names to values'),
        )
        .default({}),
      health: nonEmptyString('a URL path such as /health').default('/health'),
      image: nonEmptyString('an image name, or null').nullable().default(null),
      // A Docker build context for `image` (as compose's `build:`), so a fresh machine needs no
      // registry; rebuilt whenever what it is built from changes, so the image is never stale.
      build: nonEmptyString('a directory path, or null').nullable().default(null),
      // The Dockerfile for `build` when it is not `<build>/Dockerfile`.
      dockerfile: nonEmptyString('a file path, or null').nullable().default(null),
      // Build arguments for `build`, passed only when configured (a Dockerfile with its own
      // FROM must not receive venomqa's BASE_IMAGE).
      build_args: z
        .record(
          z.string(),
          z
            .union([z.string(), z.number(), z.boolean()], must('a string, number or boolean'))
            .transform(String),
          must('a mapping of build argument names to values'),
        )
        .default({}),
      startup_timeout: positiveSeconds().default(30),
      // One long-lived API per slot (parallel_paths slots), its database swapped under it for
      // each path. false starts a fresh API per path, for apps that keep state in memory.
      reuse: boolean().default(true),
    },
    must('a mapping of API settings'),
  )
  .prefault({});

const setupSchema = z
  .strictObject(
    {
      // Run once against a new empty database before the first journey (migrations, seeds);
      // the result is cached as a template keyed by the command, its env and `inputs`.
      command: z
        .union(
          [
            nonEmptyString(commandText),
            z
              .array(
                z.union([z.string(), z.number()], must(commandText)).transform(String),
                must(commandText),
              )
              .min(1, must(commandText)),
            z.null(),
          ],
          must(commandText),
        )
        .default(null),
      // Files, folders or globs (relative to this file) whose content keys the cached template.
      inputs: z
        .array(nonEmptyString('a file, folder or glob'), must('a list of files, folders or globs'))
        .default([]),
      env: z
        .record(
          z.string(),
          z
            .union([z.string(), z.number(), z.boolean()], must('a string, number or boolean'))
            .transform(String),
          must('a mapping of variable names to values'),
        )
        .default({}),
      timeout: positiveSeconds().default(300),
    },
    must('a mapping of setup settings'),
  )
  .prefault({});

const tableListText = 'a list of table names (`table` or `schema.table`)';

const stateOptionsSchema = z
  .strictObject(
    {
      // The Redis backend's key prefix (VenomQA's default). '' covers every key of the
      // database, so reset() deletes them all: it has to be written out, never a default.
      key_prefix: z
        .string(must('a string such as qa: (an empty string means every key)'))
        .refine((value) => !value.includes('\0'), must('a string without NUL characters'))
        .default('qa:'),
      // SAVEPOINT backends (PostgreSQL, MySQL): what reset() truncates; empty means every
      // table except migration tables.
      tables_to_reset: z.array(nonEmptyString('a table name'), must(tableListText)).default([]),
      exclude_tables: z.array(nonEmptyString('a table name'), must(tableListText)).default([]),
      // Seconds reset() waits for a table lock before naming the session that holds it.
      lock_timeout: positiveSeconds().default(10),
    },
    must('a mapping of state backend options'),
  )
  .prefault({});

const reportSchema = z
  .strictObject(
    {
      // State diffs: what each path changed in its database since its checkpoint. `failed`
      // diffs paths whose own steps failed; `all` every path; `off` captures nothing.
      diff: oneOf(REPORT_DIFF_MODES).default('failed'),
      // Changed rows shown with their values, per table; the rest are counted.
      diff_rows: intAtLeast(0).default(20),
      // Tables with more rows on a side are compared by row count only (and said so).
      diff_max_rows: intAtLeast(1).default(100_000),
    },
    must('a mapping of report settings'),
  )
  .prefault({});

const safetySchema = z
  .strictObject(
    {
      // Off by default: venomqa drops and clones databases, so a typo in db_url must not
      // reach a shared server.
      allow_remote: boolean().default(false),
    },
    must('a mapping of safety settings'),
  )
  .prefault({});

/**
 * The zod schema of `venomqa.yaml` (snake_case keys). Every object is strict: an unknown key is
 * an error, because a misspelt key silently falling back to its default is the worst outcome.
 *
 * @example
 * ```ts
 * const values = qaConfigSchema.parse({ parallel_paths: 4 });
 * values.server.provider; // 'auto'
 * ```
 */
export const qaConfigSchema = z.strictObject(
  {
    base_url: z
      .url({ protocol: /^https?$/, ...must('an http(s) URL such as http://localhost:8000') })
      .default('http://localhost:8000'),
    db_url: z
      .string(must('a database URL such as postgresql://user@host:5432/db, or null'))
      .refine(
        (value) => URL.canParse(value),
        must('a database URL such as postgresql://user@host:5432/db, or null'),
      )
      .nullable()
      .default(null),
    db_backend: nonEmptyString('a backend name such as postgresql').default('postgresql'),
    docker_compose_file: nonEmptyString('a file path').default('docker-compose.qa.yml'),
    parallel_paths: intAtLeast(1).default(1),
    fail_fast: boolean().default(false),
    // Keep the clones of failed paths (their names are printed) so a developer can look inside;
    // `venomqa prune` drops them once the run has ended.
    keep_failed: boolean().default(false),
    // What `venomqa run` loads when given no files: journey modules (.ts, .js) or folders.
    journeys: z
      .array(nonEmptyString('a file or folder path'), must('a list of files or folders'))
      .default(['journeys']),
    capture_logs: boolean().default(true),
    log_lines: intAtLeast(0).default(50),
    verbose: boolean().default(false),
    timeout: positiveSeconds().default(30),
    report_dir: nonEmptyString('a directory path').default('reports'),
    report_formats: z
      .array(oneOf(REPORT_FORMATS), must(`a list of ${REPORT_FORMATS.join(', ')}`))
      .default(['markdown']),
    strategy: oneOf(STRATEGIES).default('auto'),
    // Plugin backends by name: `mongo: "./plugins/mongo.js#MongoStateManager"` (a path relative
    // to this file, or a package). Imported only when db_backend names them.
    state_backends: z
      .record(
        nonEmptyString('a backend name'),
        z
          .string(must(stateBackendText))
          .regex(/^[^#\s]+(#[A-Za-z_$][\w$]*)?$/, must(stateBackendText)),
        must('a mapping of backend names to "module#Export" strings'),
      )
      .default({}),
    // Options every state backend is created with (plugins get them too).
    state_options: stateOptionsSchema,
    server: serverSchema,
    api: apiSchema,
    setup: setupSchema,
    safety: safetySchema,
    report: reportSchema,
  },
  must('a mapping of venomqa settings'),
);

/**
 * What users write in `venomqa.yaml`: every key optional, nested objects partial, snake_case.
 * `QAConfig` (a class, see define-config) is this shape too, and takes camelCase as well.
 *
 * @example
 * ```ts
 * const overrides: QAConfigInput = { parallel_paths: 4, server: { provider: 'embedded' } };
 * ```
 */
export type QAConfigInput = z.input<typeof qaConfigSchema>;

// The class and its instance type live with defineConfig; its type is re-exported here, where
// the rest of venomqa has always imported it from.
export type { QAConfig } from './define-config.js';

/** The validated values with every default filled in (mutable, before freezing). */
export type ConfigValues = z.output<typeof qaConfigSchema>;

/**
 * The configuration venomqa runs with: every default filled in, relative paths made absolute,
 * deeply frozen. `config_file` is the absolute path of the file used, or null.
 */
export type ResolvedConfig = DeepReadonly<ConfigValues & { config_file: string | null }>;
