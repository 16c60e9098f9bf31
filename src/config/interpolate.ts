import { ConfigError } from './config-errors.js';
import type { ConfigIssue } from './config-errors.js';

/** Environment variables as `process.env` has them; injected so tests pass their own. */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

/** A key path into a parsed config: object keys and array indexes. */
export type ValuePath = readonly (string | number)[];

/** Where a value sits, for error messages: a file position, a variable, a flag. */
export type IssueLocation = Omit<ConfigIssue, 'message' | 'key' | 'suggestion'>;

/** The result of substituting one string. */
export interface Substitution {
  readonly value: string;
  /** True when at least one `${…}` was replaced (escapes do not count). */
  readonly substituted: boolean;
  /** Unset variables and malformed `${…}`, as sentences; empty when all went well. */
  readonly problems: readonly string[];
}

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in one string. The rules, chosen to match the shell
 * and docker compose so nobody has to learn new ones:
 *
 * - `${VAR}`: the value of VAR; an unset VAR is a problem (not an empty string), because a
 *   silently empty password or URL fails much later with a far worse message. A VAR set to the
 *   empty string gives the empty string.
 * - `${VAR:-default}`: the value of VAR, or `default` when VAR is unset or empty. The default
 *   is literal text and ends at the first `}`.
 * - `$${` is a literal `${`. A `$` not followed by `{` is left alone (`$HOME` is not expanded).
 *
 * @example
 * ```ts
 * substituteVariables('postgres://qa:${PGPASSWORD}@${PGHOST:-localhost}/qa', { PGPASSWORD: 's3' });
 * // { value: 'postgres://qa:s3@localhost/qa', substituted: true, problems: [] }
 * ```
 */
export function substituteVariables(text: string, env: EnvRecord): Substitution {
  let value = '';
  let substituted = false;
  const problems: string[] = [];
  let index = 0;
  while (index < text.length) {
    if (text.startsWith('$${', index)) {
      value += '${';
      index += 3;
      continue;
    }
    if (!text.startsWith('${', index)) {
      value += text[index];
      index += 1;
      continue;
    }
    const end = text.indexOf('}', index + 2);
    if (end === -1) {
      problems.push(`'${text.slice(index)}' has no closing '}' (write $\${ for a literal \${)`);
      value += text.slice(index);
      break;
    }
    const reference = text.slice(index + 2, end);
    const match = REFERENCE.exec(reference);
    const name = match?.[1];
    if (match === null || name === undefined) {
      problems.push(
        `'\${${reference}}' is not a valid substitution; write \${NAME} or \${NAME:-default}`,
      );
    } else {
      const fallback = match[2];
      const current = env[name];
      if (fallback !== undefined) {
        value += current === undefined || current === '' ? fallback : current;
      } else if (current === undefined) {
        problems.push(
          `environment variable ${name} is not set (used as \${${name}}); ` +
            `set it or write \${${name}:-default}`,
        );
      } else {
        value += current;
      }
      substituted = true;
    }
    index = end + 1;
  }
  return { value, substituted, problems };
}

export interface InterpolateOptions {
  /** Where the string at `path` came from, so errors can name a `file:line:col`. */
  locate?: (path: ValuePath) => IssueLocation | undefined;
  /**
   * True when the string at `path` was an unquoted YAML scalar. Its substituted text is then
   * typed the way YAML types a plain scalar (`port: ${PORT}` with PORT=5432 gives the number
   * 5432, as if 5432 had been written); quoted scalars stay strings.
   */
  isPlainScalar?: (path: ValuePath) => boolean;
  /** Files inside this directory are shown relative to it in errors. */
  cwd?: string;
}

/**
 * Substitutes variables (see {@link substituteVariables}) in every string scalar of `value`,
 * through arrays and objects, and returns a new value; object keys are never substituted.
 * Every problem is collected before throwing one {@link ConfigError} that lists them all.
 *
 * @example
 * ```ts
 * interpolate({ db_url: '${DATABASE_URL}', api: { env: { MODE: '${MODE:-test}' } } }, process.env);
 * ```
 */
export function interpolate(
  value: unknown,
  env: EnvRecord,
  options: InterpolateOptions = {},
): unknown {
  const issues: ConfigIssue[] = [];
  const result = walk(value, [], env, options, issues);
  if (issues.length > 0) {
    throw new ConfigError(issues, {
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      hint: 'export the variable before running venomqa, or give it a default with ${NAME:-value}',
    });
  }
  return result;
}

function walk(
  value: unknown,
  path: ValuePath,
  env: EnvRecord,
  options: InterpolateOptions,
  issues: ConfigIssue[],
): unknown {
  if (typeof value === 'string') {
    const { value: text, substituted, problems } = substituteVariables(value, env);
    const key = path.join('.');
    for (const problem of problems) {
      issues.push({
        ...options.locate?.(path),
        message: key === '' ? problem : `in '${key}', ${problem}`,
        ...(key === '' ? {} : { key }),
      });
    }
    if (substituted && options.isPlainScalar?.(path) === true) return typePlainScalar(text);
    return text;
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) => walk(item, [...path, index], env, options, issues));
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      copy[key] = walk(child, [...path, key], env, options, issues);
    }
    return copy;
  }
  return value;
}

/**
 * YAML 1.2 core-schema typing of a plain scalar, limited to what a config value can use:
 * null, booleans and decimal numbers. Anything else stays a string.
 */
function typePlainScalar(text: string): unknown {
  if (/^(?:~|null|Null|NULL)$/.test(text)) return null;
  if (/^(?:true|True|TRUE)$/.test(text)) return true;
  if (/^(?:false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  return text;
}
