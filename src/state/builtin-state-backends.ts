import type { StateBackendFactory, StateBackendOptions } from './state-backend.js';
import { StateConfigError } from './state-errors.js';

/** The options with `connection_url` checked: every built-in backend needs one. */
function withConnectionUrl(
  backend: string,
  options: StateBackendOptions,
): StateBackendOptions & { connection_url: string } {
  const url = options.connection_url;
  if (typeof url !== 'string' || url === '') {
    throw new StateConfigError(`State backend '${backend}' needs connection_url`, {
      hint: `Set db_url in venomqa.yaml (or VENOMQA_DB_URL), or pass { connection_url } when creating '${backend}'.`,
    });
  }
  return { ...options, connection_url: url };
}

/**
 * The built-in backends; `postgresql` (template clones) is the default. Each backend's module,
 * and with it its client library (pg, mysql2, ioredis), is imported when one is created.
 */
export const BUILTIN_STATE_BACKENDS: Readonly<Record<string, StateBackendFactory>> = Object.freeze({
  postgresql: async (options) => {
    const { TemplateStateManager } = await import('./template-state-manager.js');
    return new TemplateStateManager(withConnectionUrl('postgresql', options));
  },
  'postgresql-savepoint': async (options) => {
    const { PostgreSQLStateManager } = await import('./postgres-savepoint-state-manager.js');
    return new PostgreSQLStateManager(withConnectionUrl('postgresql-savepoint', options));
  },
  mysql: async (options) => {
    const { MySQLStateManager } = await import('./mysql-state-manager.js');
    return new MySQLStateManager(withConnectionUrl('mysql', options));
  },
  mariadb: async (options) => {
    const { MySQLStateManager } = await import('./mysql-state-manager.js');
    return new MySQLStateManager(withConnectionUrl('mariadb', options));
  },
  redis: async (options) => {
    const { RedisStateManager } = await import('./redis-state-manager.js');
    return new RedisStateManager(withConnectionUrl('redis', options));
  },
});
