import path from 'node:path';

import { ConfigError } from './config-errors.js';
import type { ConfigIssue } from './config-errors.js';
import { layerDefining, mergeLayerValues, valueAt } from './config-layer.js';
import type { ConfigLayer } from './config-layer.js';
import { deepFreeze } from './deep-freeze.js';
import { describeValidationIssues, sortConfigIssues } from './describe-validation-issues.js';
import { readEnvConfig } from './env-config.js';
import type { EnvConfig } from './env-config.js';
import type { EnvRecord, ValuePath } from './interpolate.js';
import { normalizeConfigKeys } from './config-keys.js';
import type { QAConfigInit } from './define-config.js';
import { findConfigFile, isCodeConfigFile, loadConfigFile } from './load-config-file.js';
import type { ConfigFile } from './load-config-file.js';
import { qaConfigSchema } from './schema.js';
import type { QAConfig, ResolvedConfig } from './schema.js';

/** Keys holding paths: relative values are made absolute against where they were written. */
const PATH_KEYS: readonly ValuePath[] = [
  ['report_dir'],
  ['docker_compose_file'],
  ['server', 'data_dir'],
  ['api', 'build'],
  ['api', 'dockerfile'],
];

export interface ResolveConfigOptions {
  /** Start of the config file search, and base of relative paths not written in the file. */
  cwd: string;
  /** `VENOMQA_*` variables, `VENOMQA_CONFIG` and `${VAR}` values (usually `process.env`). */
  env: EnvRecord;
  /**
   * The config file given with `--config` (relative to `cwd`); it must exist. Leave undefined
   * to use `VENOMQA_CONFIG` or search upwards for venomqa.yaml; null uses no file at all.
   */
  file?: string | null;
  /** Values from CLI flags. `undefined` entries count as "flag not given". */
  flags?: QAConfig;
  /**
   * The flag that set each dotted key, for error messages (`{ parallel_paths: '--parallel' }`).
   * Keys not listed are shown as `--` plus the key in kebab case (`--parallel-paths`).
   */
  flagNames?: Readonly<Record<string, string>>;
  /**
   * Values passed in code (a `QAConfig`, or a plain object in snake_case or camelCase); they
   * win over everything else.
   */
  overrides?: QAConfigInit;
  /**
   * The config file already loaded: what `loadConfig` passes for a `venomqa.config.ts`, which
   * has to be imported (asynchronously) before this synchronous function can use it.
   */
  loadedFile?: ConfigFile;
}

/**
 * The configuration venomqa runs with, from (lowest to highest precedence) built-in defaults,
 * the config file, `VENOMQA_*` variables, CLI flags and code overrides. Objects merge per key,
 * arrays replace. The merged result is validated once; every problem is reported in one
 * {@link ConfigError}, each pointing where its bad value came from (`venomqa.yaml:3:1`,
 * `VENOMQA_TIMEOUT`, `--parallel-paths` or `code`).
 *
 * `report_dir`, `docker_compose_file` and `server.data_dir` are made absolute: against the
 * config file's directory when the file set them, else against `cwd`. The result is deeply
 * frozen and records the file used in `config_file`. Synchronous, and reads nothing but the
 * file system: `env` and `cwd` are parameters, never globals.
 *
 * @example
 * ```ts
 * const config = resolveConfig({
 *   cwd: process.cwd(),
 *   env: process.env,
 *   flags: { parallel_paths: options.parallel },
 *   flagNames: { parallel_paths: '--parallel' },
 * });
 * config.parallel_paths; // 4
 * config.config_file; // '/repo/venomqa.yaml'
 * ```
 */
export function resolveConfig(options: ResolveConfigOptions): ResolvedConfig {
  const cwd = path.resolve(options.cwd);
  const { env } = options;
  const configFile =
    options.file === null
      ? null
      : findConfigFile({
          cwd,
          env,
          ...(options.file === undefined ? {} : { explicit: options.file }),
        });
  let file: ConfigFile | undefined;
  if (configFile !== null && options.loadedFile?.path === configFile) {
    file = options.loadedFile;
  } else if (configFile !== null && isCodeConfigFile(configFile)) {
    throw new ConfigError(
      { file: configFile, message: 'a config in code has to be imported, which is asynchronous' },
      {
        cwd,
        hint: 'use `await loadConfig({ cwd, env })` (what the CLI does) instead of resolveConfig, or keep the settings in venomqa.yaml',
      },
    );
  } else if (configFile !== null) {
    file = loadConfigFile(configFile, { env, cwd });
  }

  // Bad variables are collected, not thrown at once, so one run shows every problem.
  const issues: ConfigIssue[] = [];
  let envConfig: EnvConfig;
  try {
    envConfig = readEnvConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
    envConfig = { config: {}, variables: new Map() };
  }

  const layers: ConfigLayer[] = [];
  if (file !== undefined) layers.push(fileLayer(file));
  layers.push(envLayer(envConfig, cwd));
  if (options.flags !== undefined)
    layers.push(flagLayer(options.flags, options.flagNames ?? {}, cwd));
  if (options.overrides !== undefined) {
    const overrides = normalizeConfigKeys(options.overrides, () => ({ fromCode: true }));
    issues.push(...overrides.issues);
    layers.push(codeLayer(overrides.value, cwd));
  }

  const merged = mergeLayerValues(layers.map((layer) => layer.value)) ?? {};
  const result = qaConfigSchema.safeParse(merged);
  if (!result.success)
    issues.push(...describeValidationIssues(result.error.issues, layers, merged));
  if (issues.length > 0 || !result.success) {
    throw new ConfigError(sortConfigIssues(issues), {
      cwd,
      hint: 'precedence, lowest first: defaults, venomqa.yaml, VENOMQA_* variables, flags, code',
    });
  }

  const values = result.data as Record<string, unknown>;
  for (const keyPath of PATH_KEYS) {
    const value = valueAt(values, keyPath);
    if (typeof value !== 'string') continue;
    const base = layerDefining(layers, keyPath)?.baseDirectory ?? cwd;
    setAt(values, keyPath, path.resolve(base, value));
  }
  // Journey paths are a list, made absolute the same way.
  const journeysBase = layerDefining(layers, ['journeys'])?.baseDirectory ?? cwd;
  values.journeys = (values.journeys as string[]).map((entry) => path.resolve(journeysBase, entry));
  return deepFreeze({ ...values, config_file: configFile }) as ResolvedConfig;
}

function fileLayer(file: ConfigFile): ConfigLayer {
  return {
    kind: 'file',
    value: file.value,
    baseDirectory: file.directory,
    locate: (keyPath, forKey) => ({
      file: file.path,
      ...(forKey ? file.keyPosition(keyPath) : file.valuePosition(keyPath)),
    }),
  };
}

function envLayer(envConfig: EnvConfig, cwd: string): ConfigLayer {
  return {
    kind: 'env',
    value: envConfig.config,
    baseDirectory: cwd,
    locate: (keyPath) => {
      const variable = longestPrefixMatch(keyPath, (dotted) => envConfig.variables.get(dotted));
      return variable === undefined ? {} : { variable };
    },
  };
}

function flagLayer(
  flags: QAConfig,
  flagNames: Readonly<Record<string, string>>,
  cwd: string,
): ConfigLayer {
  return {
    kind: 'flags',
    value: flags,
    baseDirectory: cwd,
    locate: (keyPath) => ({
      flag:
        longestPrefixMatch(keyPath, (dotted) => flagNames[dotted]) ??
        `--${keyPath
          .filter((segment) => typeof segment === 'string')
          .join('-')
          .replaceAll('_', '-')}`,
    }),
  };
}

function codeLayer(overrides: unknown, cwd: string): ConfigLayer {
  return { kind: 'code', value: overrides, baseDirectory: cwd, locate: () => ({ fromCode: true }) };
}

/** The first hit for the dotted forms of `keyPath` and its parents, longest first. */
function longestPrefixMatch(
  keyPath: ValuePath,
  lookup: (dotted: string) => string | undefined,
): string | undefined {
  for (let length = keyPath.length; length > 0; length--) {
    const hit = lookup(keyPath.slice(0, length).join('.'));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function setAt(target: Record<string, unknown>, keyPath: ValuePath, value: unknown): void {
  const parent = valueAt(target, keyPath.slice(0, -1)) as Record<string, unknown>;
  parent[String(keyPath[keyPath.length - 1])] = value;
}
