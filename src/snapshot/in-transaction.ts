import type pg from 'pg';

/**
 * Run `statements` in one transaction on `client`: all take effect or none, also when the
 * process is killed half-way (the server rolls back a transaction whose client is gone).
 */
export async function inTransaction(
  client: pg.ClientBase,
  statements: readonly string[],
): Promise<void> {
  await client.query('begin');
  try {
    for (const statement of statements) await client.query(statement);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}
