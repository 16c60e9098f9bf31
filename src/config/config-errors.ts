import path from 'node:path';

import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

/**
 * One problem in the configuration, with where it came from. Exactly one of `file`,
 * `variable`, `flag` or `fromCode` says which layer holds the bad value.
 */
export interface ConfigIssue {
  /** What is wrong, without the location: `unknown key 'paralel_paths'; did you mean …?` */
  readonly message: string;
  /** Absolute path of the config file holding the value. */
  readonly file?: string;
  /** 1-based line in `file`. */
  readonly line?: number;
  /** 1-based column in `file`. */
  readonly column?: number;
  /** Dotted path of the key, e.g. `server.port`. */
  readonly key?: string;
  /** The valid key the user probably meant (dotted path). */
  readonly suggestion?: string;
  /** The `VENOMQA_*` environment variable holding the value. */
  readonly variable?: string;
  /** The CLI flag holding the value, e.g. `--parallel-paths`. */
  readonly flag?: string;
  /** True when the value was passed in code (`resolveConfig({ overrides })`). */
  readonly fromCode?: boolean;
}

export interface ConfigErrorOptions extends VenomQAErrorOptions {
  /** Files inside this directory are shown relative to it, as users typed them. */
  cwd?: string;
}

/**
 * The configuration (file, `VENOMQA_*` variables, flags or code) is invalid. The message has
 * one line per issue, each starting with where the bad value is:
 *
 * ```text
 * venomqa.yaml:3:1: unknown key 'paralel_paths'; did you mean 'parallel_paths'?
 * VENOMQA_TIMEOUT: must be a number of seconds > 0, got "soon"
 * ```
 *
 * `file`, `line`, `column`, `key` and `suggestion` describe the first issue; `issues` has all.
 */
export class ConfigError extends VenomQAError {
  readonly code = 'VENOMQA_CONFIG_INVALID';
  readonly exitCode = ExitCode.Usage;
  readonly issues: readonly ConfigIssue[];
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly key: string | undefined;
  readonly suggestion: string | undefined;

  constructor(issues: ConfigIssue | readonly ConfigIssue[], options: ConfigErrorOptions = {}) {
    const list: readonly ConfigIssue[] = Array.isArray(issues) ? issues : [issues as ConfigIssue];
    const lines = list.map((issue) => formatConfigIssue(issue, options.cwd));
    super(lines.join('\n') || 'invalid configuration', {
      ...(options.hint === undefined ? {} : { hint: options.hint }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.issues = Object.freeze([...list]);
    const first = list[0];
    this.file = first?.file;
    this.line = first?.line;
    this.column = first?.column;
    this.key = first?.key;
    this.suggestion = first?.suggestion;
  }
}

/**
 * One issue as one line: `<where>: <message>`, where `<where>` is `file:line:col`, the
 * variable name, the flag, or `code`.
 *
 * @example
 * ```ts
 * formatConfigIssue({ message: "unknown key 'x'", file: '/p/venomqa.yaml', line: 3, column: 1 }, '/p');
 * // "venomqa.yaml:3:1: unknown key 'x'"
 * ```
 */
export function formatConfigIssue(issue: ConfigIssue, cwd?: string): string {
  const where = describeIssueSource(issue, cwd);
  return where === undefined ? issue.message : `${where}: ${issue.message}`;
}

function describeIssueSource(issue: ConfigIssue, cwd: string | undefined): string | undefined {
  if (issue.file !== undefined) {
    let where = displayPath(issue.file, cwd);
    if (issue.line !== undefined) {
      where += `:${issue.line}`;
      if (issue.column !== undefined) where += `:${issue.column}`;
    }
    return where;
  }
  if (issue.variable !== undefined) return issue.variable;
  if (issue.flag !== undefined) return issue.flag;
  if (issue.fromCode === true) return 'code';
  return undefined;
}

/**
 * `file` relative to `cwd` when it is inside it (what the user would type), else unchanged.
 *
 * @example
 * ```ts
 * displayPath('/repo/qa/venomqa.yaml', '/repo'); // 'qa/venomqa.yaml'
 * displayPath('/etc/venomqa.yaml', '/repo'); // '/etc/venomqa.yaml'
 * ```
 */
export function displayPath(file: string, cwd: string | undefined): string {
  if (cwd === undefined) return file;
  const relative = path.relative(cwd, file);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`);
  if (relative === '' || outside || path.isAbsolute(relative)) return file;
  return relative;
}
