import path from 'node:path';
import createDebug from 'debug';
import { messageOf } from '../errors/venomqa-error.js';
import { findInstalledStateBackends } from './installed-state-backends.js';
import type { MySQLStateManagerOptions } from './mysql-state-manager.js';
import { parsePluginReference, resolvePluginModule } from './plugin-module.js';
import type { PostgreSQLStateManagerOptions } from './postgres-savepoint-state-manager.js';
import type { RedisStateManagerOptions } from './redis-state-manager.js';
import {
  StateBackendInvalidError,
  StateConfigError,
  UnknownStateBackendError,
} from './state-errors.js';
import {
  STATE_MANAGER_METHODS,
  missingStateManagerMethods,
  type StateLogger,
  type StateManager,
} from './state-manager.js';
import type { TemplateStateManagerOptions } from './template-state-manager.js';

const debug = createDebug('venomqa:state:registry');

/**
 * What a backend is created with: the VenomQA option names the built-in backends understand,
 * plus whatever a plugin documents.
 */
export interface StateBackendOptions {
  connection_url?: string;
  tables_to_reset?: readonly string[];
  exclude_tables?: readonly string[];
  key_prefix?: string;
  verbose?: boolean;
  logger?: StateLogger;
  [option: string]: unknown;
}

/** Makes a backend from its options; may be async. */
export type StateBackendFactory = (
  options: StateBackendOptions,
) => StateManager | Promise<StateManager>;

/** Where a registered backend comes from. */
export type StateBackendSource = 'builtin' | 'code' | 'config' | 'package';

/** A registered backend, as {@link StateBackendRegistry.describe} reports it. */
export interface StateBackendInfo {
  name: string;
  source: StateBackendSource;
  /** For plugins: the module as written, and its export. */
  module?: string;
  exportName?: string;
  /** For installed packages: the declaring package. */
  packageName?: string;
}

/** A registration that lost to a stronger one of the same name (see the registry's precedence). */
export interface ShadowedStateBackend {
  shadowed: StateBackendInfo;
  by: StateBackendInfo;
}

interface Entry {
  info: StateBackendInfo;
  load: () => Promise<StateBackendFactory>;
}

const SOURCE_RANK: Record<StateBackendSource, number> = {
  package: 0,
  builtin: 1,
  config: 2,
  code: 3,
};

/** The built-in backends; `postgresql` is template clones, the default. */
export const BUILTIN_STATE_BACKENDS: Readonly<Record<string, StateBackendFactory>> = Object.freeze({
  // Each backend's module (and its client library) is imported when that backend is created.
  postgresql: async (options) =>
    new (await import('./template-state-manager.js')).TemplateStateManager(
      options as unknown as TemplateStateManagerOptions,
    ),
  'postgresql-savepoint': async (options) =>
    new (await import('./postgres-savepoint-state-manager.js')).PostgreSQLStateManager(
      options as unknown as PostgreSQLStateManagerOptions,
    ),
  mysql: async (options) =>
    new (await import('./mysql-state-manager.js')).MySQLStateManager(
      options as unknown as MySQLStateManagerOptions,
    ),
  mariadb: async (options) =>
    new (await import('./mysql-state-manager.js')).MySQLStateManager(
      options as unknown as MySQLStateManagerOptions,
    ),
  redis: async (options) =>
    new (await import('./redis-state-manager.js')).RedisStateManager(
      options as unknown as RedisStateManagerOptions,
    ),
});

/**
 * Maps `db_backend` names to backends. Plugins are imported on first use (or by
 * {@link StateBackendRegistry.loadAll}), so an unrelated broken package never stops a run.
 * When two registrations share a name the stronger wins: code > `state_backends` in
 * venomqa.yaml > built-in > installed package; the loser is listed in `shadowed`.
 *
 * @example
 * ```ts
 * const registry = await createStateBackendRegistry({ cwd: process.cwd(), config });
 * const state = await registry.create(config.db_backend, { connection_url: config.db_url });
 * ```
 */
export class StateBackendRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #loaded = new Map<string, Promise<StateBackendFactory>>();
  readonly #shadowed: ShadowedStateBackend[] = [];

  /** A registry holding only {@link BUILTIN_STATE_BACKENDS}. */
  static withBuiltins(): StateBackendRegistry {
    const registry = new StateBackendRegistry();
    for (const [name, factory] of Object.entries(BUILTIN_STATE_BACKENDS)) {
      registry.#add({ name, source: 'builtin' }, () => Promise.resolve(factory));
    }
    return registry;
  }

  /** Register a backend from code (wins over every other source). */
  register(name: string, factory: StateBackendFactory): this {
    checkBackendName(name);
    if (typeof factory !== 'function') {
      throw new StateConfigError(
        `State backend '${name}' must be registered with a factory function`,
      );
    }
    this.#add({ name, source: 'code' }, () => Promise.resolve(factory));
    return this;
  }

  /**
   * Register a plugin by reference (`module#Export`), as `state_backends` in venomqa.yaml does.
   * Relative modules are resolved against `baseDir` (the config file's folder). The module is
   * imported on first use.
   */
  registerPlugin(
    name: string,
    reference: string,
    options: {
      baseDir: string;
      source?: 'config' | 'package';
      packageName?: string;
      problem?: string;
    },
  ): this {
    checkBackendName(name);
    const { module, exportName } = parsePluginReference(reference);
    const info: StateBackendInfo = {
      name,
      source: options.source ?? 'config',
      module,
      exportName,
      ...(options.packageName === undefined ? {} : { packageName: options.packageName }),
    };
    this.#add(info, () => {
      if (options.problem !== undefined) {
        return Promise.reject(invalid(info, options.problem));
      }
      return loadPlugin(info, module, exportName, options.baseDir);
    });
    return this;
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.#entries.keys()].sort();
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** Where `name` comes from; throws {@link UnknownStateBackendError} when not registered. */
  describe(name: string): StateBackendInfo {
    return { ...this.#entry(name).info };
  }

  /** Registrations that lost to a stronger one of the same name. */
  get shadowed(): readonly ShadowedStateBackend[] {
    return [...this.#shadowed];
  }

  /** The factory of `name`, importing and checking a plugin the first time. */
  resolve(name: string): Promise<StateBackendFactory> {
    const entry = this.#entry(name);
    let loaded = this.#loaded.get(name);
    if (loaded === undefined) {
      loaded = entry.load();
      this.#loaded.set(name, loaded);
    }
    return loaded;
  }

  /**
   * A new, unconnected backend `name` made with `options`. A plugin whose result lacks a
   * protocol method fails with {@link StateBackendInvalidError}.
   *
   * @example
   * ```ts
   * const state = await registry.create('redis', { connection_url: 'redis://127.0.0.1:6379/0' });
   * ```
   */
  async create(name: string, options: StateBackendOptions = {}): Promise<StateManager> {
    const factory = await this.resolve(name);
    const info = this.#entry(name).info;
    let manager: unknown;
    try {
      manager = await factory(options);
    } catch (error) {
      if (info.source === 'builtin' || info.source === 'code') throw error;
      if (error instanceof StateConfigError) throw error;
      throw invalid(info, `creating it failed: ${messageOf(error)}`, { cause: error });
    }
    const missing = missingStateManagerMethods(manager);
    if (missing.length > 0) {
      throw invalid(
        info,
        `what it returned does not implement the StateManager protocol: missing ${methods(missing)}`,
        {
          missing,
        },
      );
    }
    return manager as StateManager;
  }

  /** Import and check every plugin now; rejects with the first invalid one. */
  async loadAll(): Promise<void> {
    for (const name of this.names()) await this.resolve(name);
  }

  #entry(name: string): Entry {
    const entry = this.#entries.get(name);
    if (entry === undefined) throw new UnknownStateBackendError(name, this.names());
    return entry;
  }

  #add(info: StateBackendInfo, load: () => Promise<StateBackendFactory>): void {
    const existing = this.#entries.get(info.name);
    // Installed packages come nearest node_modules first: the first one found keeps the name.
    const weaker =
      existing !== undefined &&
      (SOURCE_RANK[existing.info.source] > SOURCE_RANK[info.source] ||
        (existing.info.source === 'package' && info.source === 'package'));
    if (existing !== undefined && weaker) {
      this.#shadowed.push({ shadowed: info, by: existing.info });
      debug('%s from %s shadowed by %s', info.name, info.source, existing.info.source);
      return;
    }
    if (existing !== undefined) this.#shadowed.push({ shadowed: existing.info, by: info });
    this.#entries.set(info.name, { info, load });
    this.#loaded.delete(info.name);
  }
}

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

function checkBackendName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '' || name.includes('\0')) {
    throw new StateConfigError(`Invalid state backend name ${JSON.stringify(name)}`);
  }
}

function methods(names: readonly string[]): string {
  return names.map((name) => `${name}()`).join(', ');
}

function invalid(
  info: StateBackendInfo,
  problem: string,
  extra: { cause?: unknown; missing?: readonly string[] } = {},
): StateBackendInvalidError {
  return new StateBackendInvalidError(
    {
      backend: info.name,
      module:
        info.packageName === undefined
          ? (info.module ?? '')
          : `${info.packageName}/${(info.module ?? '').replace(/^\.\//, '')}`,
      exportName: info.exportName ?? 'default',
      problem,
      ...(extra.missing === undefined ? {} : { missing: extra.missing }),
    },
    {
      ...(extra.cause === undefined ? {} : { cause: extra.cause }),
      hint: `A state backend plugin exports a class (or a factory function) whose instances have ${methods(STATE_MANAGER_METHODS)}.`,
    },
  );
}

/** Class syntax, or a constructor function whose prototype carries protocol methods. */
function isConstructor(value: (...args: unknown[]) => unknown): boolean {
  if (/^class[\s{]/.test(Function.prototype.toString.call(value))) return true;
  const prototype = value.prototype as Record<string, unknown> | undefined;
  return (
    prototype !== undefined &&
    STATE_MANAGER_METHODS.some((method) => typeof prototype[method] === 'function')
  );
}

async function loadPlugin(
  info: StateBackendInfo,
  module: string,
  exportName: string,
  baseDir: string,
): Promise<StateBackendFactory> {
  let url: string;
  try {
    url = resolvePluginModule(module, baseDir);
  } catch (error) {
    throw invalid(info, `the module cannot be found from ${baseDir}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw invalid(info, `the module cannot be loaded: ${messageOf(error)}`, { cause: error });
  }
  const exported = namespace[exportName];
  if (exported === undefined) {
    const names = Object.keys(namespace);
    throw invalid(
      info,
      `the module has no export '${exportName}' (its exports: ${names.length === 0 ? 'none' : names.join(', ')})`,
    );
  }
  if (typeof exported !== 'function') {
    throw invalid(
      info,
      `the export is ${exported === null ? 'null' : `a ${typeof exported}`}, not a class or a factory function`,
    );
  }
  const candidate = exported as (...args: unknown[]) => unknown;
  if (isConstructor(candidate)) {
    const missing = missingStateManagerMethods(candidate.prototype);
    if (missing.length > 0) {
      throw invalid(
        info,
        `the class does not implement the StateManager protocol: missing ${methods(missing)}`,
        {
          missing,
        },
      );
    }
    const Backend = exported as new (options: StateBackendOptions) => StateManager;
    debug('loaded %s: class %s from %s', info.name, exportName, url);
    return (options) => new Backend(options);
  }
  debug('loaded %s: factory %s from %s', info.name, exportName, url);
  return (options) => candidate(options) as StateManager | Promise<StateManager>;
}
