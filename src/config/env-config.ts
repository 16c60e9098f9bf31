import { ConfigError } from './config-errors.js';
import type { ConfigIssue } from './config-errors.js';
import type { EnvRecord } from './interpolate.js';
import { CONFIG_FILE_ENV_VAR } from './load-config-file.js';
import { redactText } from '../redaction/index.js';
import type { QAConfig } from './schema.js';
import { schemaAt } from './schema-lookup.js';

/** How a variable's text becomes a config value. */
export type EnvVarKind = 'string' | 'integer' | 'number' | 'boolean' | 'list';

/** One supported `VENOMQA_*` variable. */
export interface EnvVarSpec {
  readonly name: `VENOMQA_${string}`;
  /** The dotted config key it sets; null for `VENOMQA_CONFIG`, which names the file. */
  readonly key: string | null;
  readonly kind: EnvVarKind;
  readonly description: string;
}

/**
 * Every `VENOMQA_*` variable venomqa reads, in documentation order. Variables beat the config
 * file and lose to CLI flags and code.
 */
export const SUPPORTED_ENV_VARS: readonly EnvVarSpec[] = Object.freeze([
  spec(
    CONFIG_FILE_ENV_VAR,
    null,
    'string',
    'Config file to use instead of searching for venomqa.yaml.',
  ),
  spec('VENOMQA_BASE_URL', 'base_url', 'string', 'Base URL of the API under test.'),
  spec('VENOMQA_DB_URL', 'db_url', 'string', 'Database URL (its password is never printed).'),
  spec('VENOMQA_DB_BACKEND', 'db_backend', 'string', 'State backend, e.g. postgresql.'),
  spec(
    'VENOMQA_STRATEGY',
    'strategy',
    'string',
    'Checkpoint strategy: auto, template or savepoint.',
  ),
  spec('VENOMQA_PARALLEL_PATHS', 'parallel_paths', 'integer', 'Branch paths run at once.'),
  spec('VENOMQA_TIMEOUT', 'timeout', 'number', 'HTTP request timeout in seconds.'),
  spec('VENOMQA_FAIL_FAST', 'fail_fast', 'boolean', 'Stop at the first failed path.'),
  spec('VENOMQA_VERBOSE', 'verbose', 'boolean', 'Print more detail.'),
  spec('VENOMQA_CAPTURE_LOGS', 'capture_logs', 'boolean', 'Attach API logs to failures.'),
  spec('VENOMQA_LOG_LINES', 'log_lines', 'integer', 'Log lines attached per failure.'),
  spec('VENOMQA_REPORT_DIR', 'report_dir', 'string', 'Directory reports are written to.'),
  spec(
    'VENOMQA_REPORT_FORMATS',
    'report_formats',
    'list',
    'Comma-separated report formats: markdown, junit, json, html.',
  ),
  spec('VENOMQA_REPORT_DIFF', 'report.diff', 'string', 'State diffs of paths: failed, all or off.'),
  spec(
    'VENOMQA_REPORT_DIFF_ROWS',
    'report.diff_rows',
    'integer',
    'Changed rows shown per table in a state diff.',
  ),
  spec(
    'VENOMQA_REPORT_DIFF_MAX_ROWS',
    'report.diff_max_rows',
    'integer',
    'Tables with more rows are compared by count only.',
  ),
  spec('VENOMQA_SERVER_PROVIDER', 'server.provider', 'string', 'auto, docker, embedded or url.'),
  spec(
    'VENOMQA_SERVER_IMAGE',
    'server.image',
    'string',
    'PostgreSQL image for the docker provider.',
  ),
  spec('VENOMQA_BASE_IMAGE', 'server.base_image', 'string', 'BASE_IMAGE when building the image.'),
  spec('VENOMQA_SERVER_PORT', 'server.port', 'integer', 'PostgreSQL port (default: a free one).'),
  spec(
    'VENOMQA_SERVER_NETWORK',
    'server.network',
    'string',
    'Docker network mode: bridge or host.',
  ),
  spec('VENOMQA_SERVER_TMPFS', 'server.tmpfs', 'boolean', 'Keep the data directory on tmpfs.'),
  spec(
    'VENOMQA_SERVER_POOLER',
    'server.pooler',
    'string',
    'none or pgbouncer (API slots through PgBouncer).',
  ),
  spec(
    'VENOMQA_API_MODE',
    'api.mode',
    'string',
    'How the API runs: shared, process, docker or auto.',
  ),
  spec(
    'VENOMQA_API_REUSE',
    'api.reuse',
    'boolean',
    'One API per slot, its database swapped per path (false: a fresh API per path).',
  ),
  spec('VENOMQA_KEEP_FAILED', 'keep_failed', 'boolean', 'Keep the clones of failed paths.'),
  spec(
    'VENOMQA_KEY_PREFIX',
    'state_options.key_prefix',
    'string',
    'Redis key prefix (default qa:; an empty prefix only in venomqa.yaml or code).',
  ),
  spec(
    'VENOMQA_TABLES_TO_RESET',
    'state_options.tables_to_reset',
    'list',
    'Comma-separated tables reset() truncates.',
  ),
  spec(
    'VENOMQA_EXCLUDE_TABLES',
    'state_options.exclude_tables',
    'list',
    'Comma-separated tables reset() never truncates.',
  ),
  spec(
    'VENOMQA_LOCK_TIMEOUT',
    'state_options.lock_timeout',
    'number',
    'Seconds reset() waits for a table lock.',
  ),
  spec(
    'VENOMQA_ALLOW_REMOTE',
    'safety.allow_remote',
    'boolean',
    'Allow a database server that is not on this machine.',
  ),
]);

function spec(
  name: `VENOMQA_${string}`,
  key: string | null,
  kind: EnvVarKind,
  description: string,
): EnvVarSpec {
  return Object.freeze({ name, key, kind, description });
}

/** The layer of configuration that came from `VENOMQA_*` variables. */
export interface EnvConfig {
  /** Only the keys whose variable is set (and not empty). */
  readonly config: QAConfig;
  /** Dotted key → the variable that set it, so errors can name the variable. */
  readonly variables: ReadonlyMap<string, string>;
}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/**
 * Reads the supported `VENOMQA_*` variables into a partial config. An empty variable counts as
 * unset (so `VENOMQA_DB_URL= venomqa run` clears nothing by accident). Text that cannot become
 * the key's type (`VENOMQA_PARALLEL_PATHS=x`) throws one {@link ConfigError} naming every bad
 * variable; range and choice checks (`VENOMQA_PARALLEL_PATHS=0`) are left to `resolveConfig`,
 * which validates all layers together and still names the variable.
 *
 * Booleans accept true/false, 1/0 and yes/no in any case; lists are comma-separated.
 *
 * @example
 * ```ts
 * readEnvConfig({ VENOMQA_PARALLEL_PATHS: '4', VENOMQA_SERVER_TMPFS: 'no' }).config;
 * // { parallel_paths: 4, server: { tmpfs: false } }
 * ```
 */
export function readEnvConfig(env: EnvRecord): EnvConfig {
  const config: Record<string, unknown> = {};
  const variables = new Map<string, string>();
  const issues: ConfigIssue[] = [];

  for (const { name, key, kind } of SUPPORTED_ENV_VARS) {
    if (key === null) continue;
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const converted = convert(raw.trim(), kind);
    if (converted === INVALID) {
      issues.push({ variable: name, key, message: conversionMessage(key, kind, raw) });
      continue;
    }
    setPath(config, key.split('.'), converted);
    variables.set(key, name);
  }

  if (issues.length > 0) {
    throw new ConfigError(issues, {
      hint: 'fix or unset the variables above (an empty value counts as unset)',
    });
  }
  return { config, variables };
}

const INVALID = Symbol('invalid');

function convert(text: string, kind: EnvVarKind): unknown {
  switch (kind) {
    case 'string':
      return text;
    case 'integer':
      return /^[-+]?\d+$/.test(text) ? Number(text) : INVALID;
    case 'number':
      return /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text) ? Number(text) : INVALID;
    case 'boolean': {
      const word = text.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return INVALID;
    }
    case 'list':
      return text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
  }
}

/** The schema's own "must be …" sentence, so a variable and a YAML key read the same. */
function conversionMessage(key: string, kind: EnvVarKind, raw: string): string {
  const schema = schemaAt(key.split('.'));
  const message = schema?.safeParse(raw).error?.issues[0]?.message ?? `must be a ${kind}`;
  const accepted = kind === 'boolean' ? ' (or 1/0, yes/no)' : '';
  return `${message}${accepted}, got ${JSON.stringify(redactText(raw))}`;
}

function setPath(target: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let node = target;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      node[key] = value;
      return;
    }
    const child = node[key];
    if (child !== null && typeof child === 'object') {
      node = child as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  });
}
