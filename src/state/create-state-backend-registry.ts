import path from 'node:path';
import { StateBackendRegistry } from './backend-registry.js';
import { findInstalledStateBackends } from './installed-state-backends.js';

export interface CreateStateBackendRegistryOptions {
  /** The project folder: installed plugins are searched from its `node_modules` upwards. */
  cwd: string;
  /**
   * The resolved config: `state_backends` are registered, resolved against the config file's
   * folder (or `cwd` without a file).
   */
  config?: {
    readonly state_backends?: Readonly<Record<string, string>>;
    readonly config_file?: string | null;
  };
  /** Look for installed packages declaring `venomqa.stateBackends`. Default true. */
  discoverPackages?: boolean;
}

/**
 * A registry with the built-in backends, the installed packages' plugins and the config's
 * `state_backends`.
 *
 * @example
 * ```ts
 * const config = resolveConfig({ cwd: process.cwd(), env: process.env });
 * const registry = await createStateBackendRegistry({ cwd: process.cwd(), config });
 * registry.names(); // ['mariadb', 'mysql', 'postgresql-savepoint', 'redis', …plugins]
 * ```
 */
export async function createStateBackendRegistry(
  options: CreateStateBackendRegistryOptions,
): Promise<StateBackendRegistry> {
  const cwd = path.resolve(options.cwd);
  const registry = StateBackendRegistry.withBuiltins();
  if (options.discoverPackages ?? true) {
    for (const found of await findInstalledStateBackends(cwd)) {
      registry.registerPlugin(found.name, found.reference ?? '', {
        baseDir: found.packageDir,
        source: 'package',
        packageName: found.packageName,
        ...(found.problem === undefined ? {} : { problem: found.problem }),
      });
    }
  }
  const configFile = options.config?.config_file;
  const baseDir = configFile ? path.dirname(configFile) : cwd;
  for (const [name, reference] of Object.entries(options.config?.state_backends ?? {})) {
    registry.registerPlugin(name, reference, { baseDir, source: 'config' });
  }
  return registry;
}
