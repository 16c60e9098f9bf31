import { StateConfigError } from './state-errors.js';
import { DEFAULT_LOCK_TIMEOUT_SECONDS } from './table-locked-error.js';

/**
 * Tables that migration tools keep their history in. `reset()` never truncates them when it
 * picks the tables itself: emptying one makes the next migration run replay every migration.
 * Alembic, Django, Rails/Ecto (`schema_migrations`, `ar_internal_metadata`), Knex (and its
 * lock), Prisma, Drizzle, TypeORM (`migrations`, `typeorm_metadata`), Flyway (and its old
 * `schema_version`), Liquibase, goose, Sequelize, node-pg-migrate, MikroORM, Kysely, EF Core,
 * Diesel, sqlx and Atlas. Add your own to `exclude_tables`.
 */
export const MIGRATION_TABLES: readonly string[] = Object.freeze([
  'alembic_version',
  'django_migrations',
  'schema_migrations',
  'ar_internal_metadata',
  'knex_migrations',
  'knex_migrations_lock',
  '_prisma_migrations',
  '__drizzle_migrations',
  'migrations',
  'typeorm_metadata',
  'flyway_schema_history',
  'schema_version',
  'databasechangelog',
  'databasechangeloglock',
  'goose_db_version',
  'SequelizeMeta',
  'pgmigrations',
  'mikro_orm_migrations',
  'kysely_migration',
  'kysely_migration_lock',
  '__EFMigrationsHistory',
  '__diesel_schema_migrations',
  '_sqlx_migrations',
  'atlas_schema_revisions',
]);

export interface TablesToResetOptions {
  /** Every table of the schema (or database), as the server lists them. */
  existing: readonly string[];
  /** `tables_to_reset` as the user wrote it; empty or missing means "all of `existing`". */
  tablesToReset?: readonly string[] | undefined;
  /** `exclude_tables`: never truncated, whether listed in `tablesToReset` or found. */
  excludeTables?: readonly string[] | undefined;
  /** The schema `existing` lives in: an exclude entry may also be written `schema.table`. */
  schema?: string | undefined;
}

/**
 * The tables `reset()` truncates: `tablesToReset` when given, else every existing table except
 * the {@link MIGRATION_TABLES}; in both cases minus `excludeTables`. Order is kept, duplicates
 * are dropped. Listing a migration table in `tablesToReset` explicitly does truncate it.
 *
 * @example
 * ```ts
 * tablesToReset({ existing: ['users', 'orders', 'alembic_version'], excludeTables: ['users'] });
 * // ['orders']
 * ```
 */
export function tablesToReset(options: TablesToResetOptions): string[] {
  const excluded = new Set(options.excludeTables ?? []);
  const isExcluded = (table: string): boolean =>
    excluded.has(table) ||
    (options.schema !== undefined && excluded.has(`${options.schema}.${table}`));
  const chosen =
    options.tablesToReset !== undefined && options.tablesToReset.length > 0
      ? options.tablesToReset
      : options.existing.filter((table) => !MIGRATION_TABLES.includes(table));
  return [...new Set(chosen)].filter((table) => !isExcluded(table));
}

/** The {@link MIGRATION_TABLES} among `existing`: what `reset()` keeps when it picks itself. */
export function migrationTablesIn(existing: readonly string[]): string[] {
  return existing.filter((table) => MIGRATION_TABLES.includes(table));
}

/** `lock_timeout` as given: seconds > 0, default {@link DEFAULT_LOCK_TIMEOUT_SECONDS}. */
export function checkLockTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_LOCK_TIMEOUT_SECONDS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new StateConfigError(
      `lock_timeout must be a number of seconds > 0, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * `tables_to_reset` / `exclude_tables` as given, checked: a list of non-empty names without
 * NUL (names reach SQL only through identifier escaping, which cannot carry a NUL).
 */
export function checkTableOption(option: string, names: unknown): string[] {
  if (names === undefined) return [];
  if (!Array.isArray(names)) throw new StateConfigError(`${option} must be a list of table names`);
  const checked: string[] = [];
  for (const name of names as unknown[]) {
    if (typeof name !== 'string' || name === '' || name.includes('\0')) {
      throw new StateConfigError(
        `${option} holds an invalid table name ${JSON.stringify(name)}: use a non-empty name without NUL`,
      );
    }
    checked.push(name);
  }
  return checked;
}
