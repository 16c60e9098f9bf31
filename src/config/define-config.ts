import { ConfigError } from './config-errors.js';
import type { ConfigIssue } from './config-errors.js';
import { normalizeConfigKeys, type AnyCaseKeys } from './config-keys.js';
import { describeValidationIssues, sortConfigIssues } from './describe-validation-issues.js';
import { qaConfigSchema, type QAConfigInput } from './schema.js';

/**
 * What `new QAConfig({...})`, `defineConfig({...})` and `resolveConfig({ overrides })` take:
 * the keys of venomqa.yaml in snake_case or camelCase, at every level
 * (`{ parallelPaths: 2, api: { startupTimeout: 5 } }`).
 */
export type QAConfigInit = AnyCaseKeys<QAConfigInput>;

// The interface declares the config keys on instances (merged into the class below); the
// constructor assigns exactly those. Empty on purpose: its members are QAConfigInput's.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- see above
export interface QAConfig extends QAConfigInput {}

/**
 * Configuration in code, as VenomQA's `QAConfig(base_url=…, …)`: the keys of venomqa.yaml in
 * snake_case or camelCase, checked at once (a bad value or unknown key throws a
 * `ConfigError` saying which, with a suggestion). An instance holds only what was given, in
 * snake_case: use it as `resolveConfig({ overrides })`, as the default export of
 * `venomqa.config.ts`, or wherever a partial config is taken. A plain object of snake_case keys
 * is a `QAConfig` too (the type has no methods).
 *
 * @example
 * ```ts
 * const config = new QAConfig({
 *   baseUrl: 'http://localhost:8000',
 *   dbUrl: 'postgresql://qa:secret@localhost:5432/qa_test',
 *   parallelPaths: 2,
 *   api: { startupTimeout: 5 },
 * });
 * config.parallel_paths; // 2
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see above
export class QAConfig {
  constructor(init: QAConfigInit = {}) {
    Object.assign(this, checkConfigInit(init, { fromCode: true }));
  }
}

/**
 * The config of a `venomqa.config.ts` (or `.mts`, `.js`, `.mjs`), typed and checked, as
 * vitest's and Playwright's `defineConfig`: export its result as the module's default.
 *
 * @example
 * ```ts
 * // venomqa.config.ts
 * import { defineConfig } from 'venomqa/config';
 * export default defineConfig({ parallelPaths: 4, api: { mode: 'process', command: 'node server.js' } });
 * ```
 */
export function defineConfig(init: QAConfigInit): QAConfig {
  return new QAConfig(init);
}

/**
 * `init` with snake_case keys, checked against the schema (values and key names; defaults are
 * not filled in). Problems are one {@link ConfigError}, located at `where` (code, or a file).
 */
export function checkConfigInit(
  init: unknown,
  where: Omit<ConfigIssue, 'message'>,
  cwd?: string,
): Record<string, unknown> {
  const shownFrom = cwd === undefined ? {} : { cwd };
  if (init === null || typeof init !== 'object' || Array.isArray(init)) {
    throw new ConfigError(
      {
        ...where,
        message: `a config must be a mapping of settings, got ${Array.isArray(init) ? 'a list' : init === null ? 'null' : `a ${typeof init}`}`,
      },
      shownFrom,
    );
  }
  const { value, issues } = normalizeConfigKeys(init, () => where);
  const result = qaConfigSchema.safeParse(value);
  if (!result.success) {
    const layer = { kind: 'code' as const, value, baseDirectory: '', locate: () => where };
    issues.push(...describeValidationIssues(result.error.issues, [layer], value));
  }
  if (issues.length > 0) {
    throw new ConfigError(sortConfigIssues(issues), {
      ...shownFrom,
      hint: 'keys are those of venomqa.yaml, in snake_case or camelCase (parallel_paths or parallelPaths)',
    });
  }
  return value as Record<string, unknown>;
}
