import { deepFreeze } from './deep-freeze.js';
import type { DeepReadonly } from './deep-freeze.js';
import { qaConfigSchema } from './schema.js';
import type { ConfigValues } from './schema.js';

/**
 * The built-in defaults, as the schema fills them in. Relative paths (`report_dir`,
 * `docker_compose_file`, `server.data_dir`) are as written here; `resolveConfig` makes them
 * absolute.
 *
 * @example
 * ```ts
 * defaultConfig.server.image; // 'venomqa/postgres:17'
 * ```
 */
export const defaultConfig: DeepReadonly<ConfigValues> = deepFreeze(qaConfigSchema.parse({}));
