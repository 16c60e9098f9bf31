import type { ResolvedConfig } from '../config/schema.js';
import { redactUrl } from '../redaction/index.js';
import { createStateBackendRegistry } from '../state/create-state-backend-registry.js';
import { fail, fromError, ok, type DoctorCheck } from './doctor-check.js';

/** Backends whose server is not PostgreSQL: doctor reaches them through the backend itself. */
export const SERVICE_BACKENDS = new Set(['mysql', 'mariadb', 'redis']);

/**
 * MariaDB/MySQL or Redis, when `db_backend` names one: connect as a run would (the backend's
 * own `connect()`, so its typed error and hint come through) and disconnect.
 */
export async function serviceCheck(config: ResolvedConfig, cwd: string): Promise<DoctorCheck> {
  const backend = config.db_backend;
  const id = backend === 'redis' ? 'redis' : 'mysql';
  if (config.db_url === null) {
    return fail(
      id,
      `db_backend ${backend} but db_url is not set`,
      `Set db_url (VENOMQA_DB_URL) to the ${backend} server.`,
    );
  }
  const registry = await createStateBackendRegistry({ cwd, config, discoverPackages: false });
  const state = await registry.create(backend, {
    connection_url: config.db_url,
    key_prefix: config.state_options.key_prefix,
    allow_remote: config.safety.allow_remote,
  });
  try {
    await state.connect();
    return ok(id, `${redactUrl(config.db_url)} answers (db_backend ${backend})`);
  } catch (error) {
    return fromError(id, error, `Start the ${backend} server, or fix db_url.`);
  } finally {
    await state.disconnect().catch(() => undefined);
  }
}
