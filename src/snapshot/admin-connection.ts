import type pg from 'pg';

/**
 * Run `work` on a client of the admin pool and give the client back whatever happens: callers
 * never hold a raw connection without its release (kysely's `provideConnection`).
 */
export async function withAdminClient<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}
