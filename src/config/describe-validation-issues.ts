import type * as z from 'zod';

import type { ConfigIssue } from './config-errors.js';
import { layerDefining, valueAt } from './config-layer.js';
import type { ConfigLayer } from './config-layer.js';
import type { ValuePath } from './interpolate.js';
import { isSecretEnvName, redactText, redactUrl } from '../redaction/index.js';
import { keysAt } from './schema-lookup.js';
import { closestName } from '../errors/closest-name.js';

/**
 * Turns zod issues on the merged config into {@link ConfigIssue}s that point at the layer each
 * bad value came from, in schema order (see {@link sortConfigIssues}).
 *
 * @example
 * ```ts
 * const result = qaConfigSchema.safeParse(merged);
 * if (!result.success) throw new ConfigError(describeValidationIssues(result.error.issues, layers, merged));
 * ```
 */
export function describeValidationIssues(
  issues: readonly z.core.$ZodIssue[],
  layers: readonly ConfigLayer[],
  merged: unknown,
): ConfigIssue[] {
  const described: ConfigIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        described.push(unknownKey([...issue.path, key] as ValuePath, layers));
      }
    } else {
      described.push(badValue(issue, layers, merged));
    }
  }
  return described;
}

/**
 * Issues in the order a user fixes them: the file first (by line and column), then variables,
 * flags and code. Stable, so issues of one variable keep their order.
 */
export function sortConfigIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const rank = (issue: ConfigIssue): number =>
    issue.file !== undefined
      ? 0
      : issue.variable !== undefined
        ? 1
        : issue.flag !== undefined
          ? 2
          : 3;
  return [...issues].sort(
    (a, b) =>
      rank(a) - rank(b) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}

function unknownKey(path: ValuePath, layers: readonly ConfigLayer[]): ConfigIssue {
  const layer = layerDefining(layers, path);
  const parent = path.slice(0, -1);
  const name = String(path[path.length - 1]);
  const valid = keysAt(parent);
  const nearby = closestName(name, valid);
  const suggestion = nearby === undefined ? movedKey(name, parent) : formatKey([...parent, nearby]);
  const key = formatKey(path);
  const message =
    suggestion === undefined
      ? `unknown key '${key}' (valid keys${parent.length === 0 ? '' : ` in '${formatKey(parent)}'`}: ${valid.join(', ')})`
      : `unknown key '${key}'; did you mean '${suggestion}'?`;
  return {
    ...layer?.locate(path, true),
    message,
    key,
    ...(suggestion === undefined ? {} : { suggestion }),
  };
}

/** A top-level key that belongs one level down, like `provider` for `server.provider`. */
function movedKey(name: string, parent: ValuePath): string | undefined {
  if (parent.length !== 0) return undefined;
  for (const section of keysAt([])) {
    if (keysAt([section]).includes(name)) return `${section}.${name}`;
  }
  return undefined;
}

function badValue(
  issue: z.core.$ZodIssue,
  layers: readonly ConfigLayer[],
  merged: unknown,
): ConfigIssue {
  const path = issue.path as ValuePath;
  const layer = layerDefining(layers, path);
  const key = formatKey(path);
  const got = describeValue(valueAt(merged, path), path);
  // A variable or flag already names the key; a file line or `code` does not.
  const namesKey = layer?.kind === 'env' || layer?.kind === 'flags' || key === '';
  const message = `${namesKey ? '' : `'${key}' `}${issue.message}, got ${got}`;
  return { ...layer?.locate(path, false), message, ...(key === '' ? {} : { key }) };
}

/**
 * A short, secret-free description of a bad value: strings quoted (URL passwords masked),
 * numbers as written, containers by kind. Values of secret keys are described by type only.
 */
function describeValue(value: unknown, path: ValuePath): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (isSecretPath(path)) return `a ${typeof value} (not shown)`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return `a ${typeof value}`;
  const safe = path[0] === 'db_url' ? redactUrl(value) : redactText(value);
  return JSON.stringify(safe.length > 60 ? `${safe.slice(0, 57)}...` : safe);
}

function isSecretPath(path: ValuePath): boolean {
  if (path[0] === 'server' && path[1] === 'password') return true;
  return path[0] === 'api' && path[1] === 'env' && isSecretEnvName(String(path[2] ?? ''));
}

/**
 * A key path as users read it: `server.port`, `report_formats[1]`.
 *
 * @example
 * ```ts
 * formatKey(['report_formats', 1]); // 'report_formats[1]'
 * ```
 */
export function formatKey(path: ValuePath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}
