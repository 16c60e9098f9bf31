import createDebug from 'debug';
import { messageOf } from '../errors/venomqa-error.js';
import { replaces } from './backend-precedence.js';
import { BUILTIN_STATE_BACKENDS } from './builtin-state-backends.js';
import { invalidPlugin, loadPlugin, methodList } from './plugin-loader.js';
import { parsePluginReference } from './plugin-module.js';
import type {
  ShadowedStateBackend,
  StateBackendFactory,
  StateBackendInfo,
  StateBackendOptions,
} from './state-backend.js';
import { StateConfigError, UnknownStateBackendError } from './state-errors.js';
import { missingStateManagerMethods, type StateManager } from './state-manager.js';

const debug = createDebug('venomqa:state:registry');

interface Entry {
  info: StateBackendInfo;
  load: () => Promise<StateBackendFactory>;
}

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

  /** A registry holding only the built-in backends. */
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
        return Promise.reject(invalidPlugin(info, options.problem));
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
      throw invalidPlugin(info, `creating it failed: ${messageOf(error)}`, { cause: error });
    }
    const missing = missingStateManagerMethods(manager);
    if (missing.length > 0) {
      throw invalidPlugin(
        info,
        `what it returned does not implement the StateManager protocol: missing ${methodList(missing)}`,
        { missing },
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
    if (existing !== undefined && !replaces(info, existing.info)) {
      this.#shadowed.push({ shadowed: info, by: existing.info });
      debug('%s from %s shadowed by %s', info.name, info.source, existing.info.source);
      return;
    }
    if (existing !== undefined) this.#shadowed.push({ shadowed: existing.info, by: info });
    this.#entries.set(info.name, { info, load });
    this.#loaded.delete(info.name);
  }
}

function checkBackendName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '' || name.includes('\0')) {
    throw new StateConfigError(`Invalid state backend name ${JSON.stringify(name)}`);
  }
}
