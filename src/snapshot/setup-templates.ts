import type pg from 'pg';
import { withNameLock } from './advisory-locks.js';
import { readCatalog, type CatalogEntry } from './catalog.js';
import { dropDatabase, type DatabaseCopier } from './database-copier.js';
import { databaseExists } from './database-description.js';
import { renameInOneTransaction } from './database-swap.js';
import { runOwnedPhysicalName, templatePhysicalName } from './snapshot-names.js';
import type { SnapshotRef } from './snapshot-types.js';
import { ident } from './sql-identifier.js';

/**
 * Setup templates: the database `setup.command` migrated, cached under a key hashed from
 * `setup.inputs` and cloned as each journey's starting database. Kept between runs (kind
 * `template`); `venomqa prune` drops a project's older ones.
 */
function templateRef(key: string): SnapshotRef {
  return { name: `template ${key.slice(0, 12)}`, physical: templatePhysicalName(key) };
}

/** The template cached under `key`, if there is one. */
export async function findTemplate(
  client: pg.ClientBase,
  key: string,
): Promise<SnapshotRef | undefined> {
  const ref = templateRef(key);
  return (await databaseExists(client, ref.physical)) ? ref : undefined;
}

/** The newest template of `project` whatever its key, with the input hashes it was made from. */
export async function latestTemplate(
  client: pg.ClientBase,
  project: string,
): Promise<{ physical: string; inputs: Record<string, string> } | undefined> {
  const newest = (await readCatalog(client))
    .filter((r) => r.kind === 'template' && r.entry?.name === project)
    .sort((a, b) => (b.entry?.createdAt ?? '').localeCompare(a.entry?.createdAt ?? ''))[0];
  return newest ? { physical: newest.physical, inputs: newest.entry?.inputs ?? {} } : undefined;
}

/**
 * Cache `sourceDb` as the template of `key`.
 *
 * Two runs with the same inputs may both find no template and both run setup: the second to
 * save keeps the first's template (same key, same inputs) and returns it, since the first may
 * be cloning from it right now. With `replace` (`--no-cache`) the new copy is made under a
 * temporary name and renamed in, the old one out, in one transaction: a clone of the old one
 * in progress finishes first, and the template name is never missing.
 */
export function saveTemplate(
  pool: pg.Pool,
  copier: DatabaseCopier,
  plan: { sourceDb: string; key: string; entry: CatalogEntry; replace: boolean; runId: string },
): Promise<SnapshotRef> {
  const ref = templateRef(plan.key);
  const { physical } = ref;
  return withNameLock(pool, `template:${plan.key}`, async (client) => {
    const exists = await databaseExists(client, physical);
    if (exists && !plan.replace) return ref;
    const made = exists ? runOwnedPhysicalName('restore-temp', plan.runId) : physical;
    try {
      await copier.copy(client, made, plan.sourceDb, plan.entry);
      await client.query(
        `alter database ${ident(made)} with is_template true allow_connections false`,
      );
      if (exists) {
        const old = runOwnedPhysicalName('restore-old', plan.runId);
        await renameInOneTransaction(client, [
          [physical, old],
          [made, physical],
        ]);
        await dropDatabase(client, old);
      }
    } catch (error) {
      if (made !== physical) await dropDatabase(client, made).catch(() => undefined);
      throw error;
    }
    return ref;
  });
}
