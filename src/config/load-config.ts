import path from 'node:path';
import { displayPath } from './config-errors.js';
import { loadCodeConfigFile } from './load-code-config.js';
import { findConfigFiles, isCodeConfigFile } from './load-config-file.js';
import { resolveConfig, type ResolveConfigOptions } from './resolve-config.js';
import type { ResolvedConfig } from './schema.js';

export interface LoadConfigOptions extends ResolveConfigOptions {
  /**
   * Called with a sentence when config files shadow each other (a `venomqa.yaml` next to the
   * `venomqa.config.ts` used). The CLI prints it on stderr.
   */
  onWarning?: (message: string) => void;
}

/**
 * {@link resolveConfig}, also for a config in code: finds the config file as it does
 * (`--config`, `VENOMQA_CONFIG`, else the nearest `venomqa.config.{ts,mts,js,mjs}`,
 * `venomqa.yaml` or `venomqa.yml` upwards), imports a code config (asynchronous: hence a
 * function of its own; resolveConfig stays synchronous and pure for YAML), warns when a code
 * config shadows a YAML file in the same folder, and resolves with the same layers and
 * precedence. This is what the CLI uses.
 *
 * @example
 * ```ts
 * const config = await loadConfig({ cwd: process.cwd(), env: process.env });
 * ```
 */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const cwd = path.resolve(options.cwd);
  if (options.file === null) return resolveConfig(options);
  const found = findConfigFiles({
    cwd,
    env: options.env,
    ...(options.file === undefined ? {} : { explicit: options.file }),
  });
  if (found.file !== null && found.shadowed.length > 0) {
    options.onWarning?.(
      `using ${displayPath(found.file, cwd)}; ${found.shadowed.map((f) => displayPath(f, cwd)).join(' and ')} in the same folder ${found.shadowed.length === 1 ? 'is' : 'are'} ignored (remove ${found.shadowed.length === 1 ? 'it' : 'them'}, or choose with --config)`,
    );
  }
  if (found.file === null || !isCodeConfigFile(found.file)) {
    return resolveConfig({ ...options, file: found.file });
  }
  const loadedFile = await loadCodeConfigFile(found.file, { cwd });
  return resolveConfig({ ...options, file: found.file, loadedFile });
}
