import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf } from '../errors/venomqa-error.js';
import { importTypeScript, resolveVenomqaToSelf } from '../venomqa-self-import.js';
import { ConfigError } from './config-errors.js';
import { checkConfigInit } from './define-config.js';
import type { ConfigFile } from './load-config-file.js';

/**
 * Imports a config in code (`venomqa.config.ts`, `.mts`, `.js`, `.mjs`; TypeScript through
 * tsx, no build step) and checks its default export: a `defineConfig({...})` result, a
 * `QAConfig`, or a plain object, in snake_case or camelCase. Every problem is a
 * {@link ConfigError} naming the file and the key (`venomqa.config.ts: 'parallel_paths' must
 * be an integer >= 1, got 0`), including those `defineConfig` raises while the module loads.
 *
 * The module may `import { defineConfig } from 'venomqa/config'` even where no venomqa is installed
 * next to it (the running copy is used). Relative paths in it (`report_dir`, …) are relative
 * to its folder, as in venomqa.yaml.
 *
 * @example
 * ```ts
 * const file = await loadCodeConfigFile('/repo/venomqa.config.ts', { cwd: '/repo' });
 * file.value.parallel_paths; // 4
 * ```
 */
export async function loadCodeConfigFile(
  file: string,
  options: { cwd?: string } = {},
): Promise<ConfigFile> {
  const absolute = path.resolve(options.cwd ?? '.', file);
  const errorOptions = options.cwd === undefined ? {} : { cwd: options.cwd };
  const where = { file: absolute };
  let module: Record<string, unknown>;
  try {
    resolveVenomqaToSelf();
    const url = pathToFileURL(absolute).href;
    if (/\.[cm]?ts$/.test(absolute)) {
      module = await importTypeScript(url);
    } else {
      module = (await import(url)) as Record<string, unknown>;
    }
  } catch (error) {
    // defineConfig() checks while the module loads: its errors say `code`; say the file.
    if (isConfigError(error)) {
      throw new ConfigError(
        error.issues.map(({ fromCode: _fromCode, ...issue }) => ({ ...issue, ...where })),
        { ...errorOptions, ...(error.hint === undefined ? {} : { hint: error.hint }) },
      );
    }
    throw new ConfigError(
      { ...where, message: `cannot load the config module: ${messageOf(error)}` },
      {
        ...errorOptions,
        cause: error,
        hint: absolute.endsWith('.ts')
          ? 'A .ts config follows Node\'s module rules: CommonJS unless the nearest package.json says "type": "module"; name it venomqa.config.mts to make it an ES module anyway.'
          : 'Fix the error above; the module must export its config as default.',
      },
    );
  }
  // tsx compiles a CommonJS .ts file's `export default` to `module.exports.default`.
  let exported = module.default;
  if (isRecord(exported) && Object.keys(exported).length === 1 && 'default' in exported) {
    exported = exported.default;
  }
  exported = await exported;
  if (exported === undefined) {
    throw new ConfigError(
      { ...where, message: 'the module has no default export' },
      {
        ...errorOptions,
        hint: "export default defineConfig({ … }) (import { defineConfig } from 'venomqa/config')",
      },
    );
  }
  const value = checkConfigInit(exported, where, options.cwd);
  return {
    path: absolute,
    directory: path.dirname(absolute),
    value,
    keyPosition: () => undefined,
    valuePosition: () => undefined,
  };
}

/**
 * A ConfigError, also one made by another copy of venomqa: tsx imports the module (and the
 * `venomqa` it imports) in a namespace of its own, so `instanceof` cannot tell.
 */
function isConfigError(error: unknown): error is ConfigError {
  return (
    error instanceof ConfigError ||
    (isRecord(error) &&
      error.code === 'VENOMQA_CONFIG_INVALID' &&
      Array.isArray((error as { issues?: unknown }).issues))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
