import { queryOnce } from '../server/wait-for-postgres.js';

export interface StrategyChoice {
  strategy: 'template' | 'savepoint';
  /** One sentence for the user: which was picked and why. */
  reason: string;
}

/**
 * `strategy: auto`: template clones when the role may create databases on PostgreSQL 15+
 * (where `CREATE DATABASE … STRATEGY` exists), else SAVEPOINT, with the reason said aloud.
 * `template` and `savepoint` are taken as given.
 */
export async function chooseStrategy(
  strategy: 'auto' | 'template' | 'savepoint',
  databaseUrl: string,
): Promise<StrategyChoice> {
  if (strategy !== 'auto') return { strategy, reason: `strategy: ${strategy} was configured` };
  const [row] = await queryOnce<{ can_create: boolean; num: string; role: string }>(
    databaseUrl,
    `select (r.rolcreatedb or r.rolsuper) as can_create, current_user as role,
            current_setting('server_version_num') as num
       from pg_roles r where r.rolname = current_user`,
  );
  const version = Number(row?.num ?? 0);
  if (version < 150000) {
    return {
      strategy: 'savepoint',
      reason: `using SAVEPOINT: PostgreSQL ${Math.floor(version / 10000)} is older than 15`,
    };
  }
  if (!row?.can_create) {
    return {
      strategy: 'savepoint',
      reason: `using SAVEPOINT: role '${row?.role ?? '?'}' cannot create databases (grant CREATEDB for template clones)`,
    };
  }
  return {
    strategy: 'template',
    reason: `using template clones: role '${row.role}' can create databases on PostgreSQL ${Math.floor(version / 10000)}`,
  };
}
