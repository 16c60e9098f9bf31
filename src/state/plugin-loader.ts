import createDebug from 'debug';
import { messageOf } from '../errors/venomqa-error.js';
import { resolvePluginModule } from './plugin-module.js';
import type {
  StateBackendFactory,
  StateBackendInfo,
  StateBackendOptions,
} from './state-backend.js';
import { StateBackendInvalidError } from './state-errors.js';
import {
  STATE_MANAGER_METHODS,
  missingStateManagerMethods,
  type StateManager,
} from './state-manager.js';

const debug = createDebug('venomqa:state:registry');

/** `connect(), disconnect()` for messages. */
export function methodList(names: readonly string[]): string {
  return names.map((name) => `${name}()`).join(', ');
}

/** The error for a plugin that cannot be used, naming the backend, module and export. */
export function invalidPlugin(
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
      hint: `A state backend plugin exports a class (or a factory function) whose instances have ${methodList(STATE_MANAGER_METHODS)}.`,
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

/**
 * Import a plugin's module (`module`, resolved from `baseDir`) and turn its export into a
 * factory: a class is called with `new`, a function as it is. Every way this can fail is a
 * {@link StateBackendInvalidError} saying which.
 */
export async function loadPlugin(
  info: StateBackendInfo,
  module: string,
  exportName: string,
  baseDir: string,
): Promise<StateBackendFactory> {
  let url: string;
  try {
    url = resolvePluginModule(module, baseDir);
  } catch (error) {
    throw invalidPlugin(info, `the module cannot be found from ${baseDir}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw invalidPlugin(info, `the module cannot be loaded: ${messageOf(error)}`, { cause: error });
  }
  const exported = namespace[exportName];
  if (exported === undefined) {
    const names = Object.keys(namespace);
    throw invalidPlugin(
      info,
      `the module has no export '${exportName}' (its exports: ${names.length === 0 ? 'none' : names.join(', ')})`,
    );
  }
  if (typeof exported !== 'function') {
    throw invalidPlugin(
      info,
      `the export is ${exported === null ? 'null' : `a ${typeof exported}`}, not a class or a factory function`,
    );
  }
  const candidate = exported as (...args: unknown[]) => unknown;
  if (isConstructor(candidate)) {
    const missing = missingStateManagerMethods(candidate.prototype);
    if (missing.length > 0) {
      throw invalidPlugin(
        info,
        `the class does not implement the StateManager protocol: missing ${methodList(missing)}`,
        { missing },
      );
    }
    const Backend = exported as new (options: StateBackendOptions) => StateManager;
    debug('loaded %s: class %s from %s', info.name, exportName, url);
    return (options) => new Backend(options);
  }
  debug('loaded %s: factory %s from %s', info.name, exportName, url);
  return (options) => candidate(options) as StateManager | Promise<StateManager>;
}
