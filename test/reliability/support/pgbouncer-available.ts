import { findPgBouncerBinary } from '../../../src/server/pgbouncer-local.js';
import { serviceAvailable } from '../../integration/support/services.js';

/**
 * A local pgbouncer for embedded servers (Docker servers use the one in venomqa/postgres).
 * Missing, its cases skip with a line saying so, unless VENOMQA_REQUIRE_PGBOUNCER=1 (CI).
 */
export function localPgBouncerAvailable(): Promise<boolean> {
  return serviceAvailable('PgBouncer', 'VENOMQA_REQUIRE_PGBOUNCER', async () => {
    try {
      await findPgBouncerBinary();
      return true;
    } catch {
      return false;
    }
  });
}
