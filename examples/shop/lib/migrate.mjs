import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listenForConnectionLoss } from './database.mjs';

const MIGRATION_FILE = /^(\d{3,})_[\w-]+\.sql$/;

/**
 * Apply the `NNN_name.sql` files of `dir` that are not yet in `schema_migrations`, in name
 * order, in one transaction. The transaction-scoped advisory lock makes a second instance
 * starting on the same database wait, then find everything applied.
 *
 * @returns the versions (file names without `.sql`) applied now.
 */
export async function migrate(pool, dir) {
  const files = (await readdir(dir)).filter((name) => MIGRATION_FILE.test(name)).sort();
  const client = await pool.connect();
  const stopListening = listenForConnectionLoss(client);
  try {
    await client.query('begin');
    await client.query("select pg_advisory_xact_lock(hashtext('venomqa-example-shop:migrations'))");
    await client.query(
      `create table if not exists schema_migrations (
         version text primary key,
         applied_at timestamptz not null default now()
       )`,
    );
    const { rows } = await client.query('select version from schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    const applied = [];
    for (const file of files) {
      const version = file.replace(/\.sql$/, '');
      if (done.has(version)) continue;
      try {
        await client.query(await readFile(join(dir, file), 'utf8'));
      } catch (error) {
        throw new Error(`migration ${file} failed: ${error.message}`, { cause: error });
      }
      await client.query('insert into schema_migrations (version) values ($1)', [version]);
      applied.push(version);
    }
    await client.query('commit');
    stopListening();
    client.release();
    return applied;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    stopListening();
    client.release(true);
    throw error;
  }
}
