import { describe, expect, it } from 'vitest';
import { MIGRATION_TABLES, tablesToReset } from '../../../src/state/tables-to-reset.js';

const existing = ['users', 'orders', 'alembic_version', '_prisma_migrations', 'migrations'];

describe('tablesToReset', () => {
  it('takes every table except migration tables when none are listed', () => {
    expect(tablesToReset({ existing })).toEqual(['users', 'orders']);
    expect(tablesToReset({ existing, tablesToReset: [] })).toEqual(['users', 'orders']);
  });

  it('skips the migration tables of every common tool', () => {
    expect(tablesToReset({ existing: [...MIGRATION_TABLES, 'kept'] })).toEqual(['kept']);
    expect(MIGRATION_TABLES).toEqual(
      expect.arrayContaining([
        'alembic_version',
        'django_migrations',
        'schema_migrations',
        'knex_migrations',
        'knex_migrations_lock',
        '_prisma_migrations',
        '__drizzle_migrations',
        'migrations',
      ]),
    );
  });

  it('removes exclude_tables, written plain or schema-qualified', () => {
    expect(tablesToReset({ existing, excludeTables: ['users'] })).toEqual(['orders']);
    expect(tablesToReset({ existing, excludeTables: ['public.users'], schema: 'public' })).toEqual([
      'orders',
    ]);
  });

  it('uses tables_to_reset as given (even a migration table), minus excludes and duplicates', () => {
    expect(
      tablesToReset({
        existing,
        tablesToReset: ['orders', 'alembic_version', 'orders', 'users'],
        excludeTables: ['users'],
      }),
    ).toEqual(['orders', 'alembic_version']);
  });
});
