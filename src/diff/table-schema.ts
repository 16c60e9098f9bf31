import pg from 'pg';

/** One user table as the catalog describes it. */
export interface TableSchema {
  /** `orders`, or `schema.orders` outside `public`: how reports name it. */
  name: string;
  /** `"public"."orders"`: how SQL names it. */
  sql: string;
  /** Column names in their table order. */
  columns: string[];
  /** Primary key columns in key order; empty for a table without one. */
  key: string[];
}

interface TableRow {
  schema: string;
  table: string;
  columns: string[];
  key: string[] | null;
}

/**
 * The user tables of the database `client` is connected to: ordinary and partitioned tables
 * (a partition's rows are read through its parent), outside the system schemas, ordered by
 * name. Views, foreign tables and sequences hold no rows of their own to compare.
 */
export async function readTableSchemas(client: pg.ClientBase): Promise<TableSchema[]> {
  const { rows } = await client.query<TableRow>(
    `select n.nspname as schema, c.relname as table,
            array(select a.attname::text from pg_attribute a
                   where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                   order by a.attnum) as columns,
            (select array(select a.attname::text
                            from unnest(i.indkey::int2[]) with ordinality as k(attnum, position)
                            join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                           order by k.position)
               from pg_index i where i.indrelid = c.oid and i.indisprimary) as key
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relispartition
        and n.nspname <> 'information_schema' and not starts_with(n.nspname, 'pg_')
      order by n.nspname, c.relname`,
  );
  return rows.map((row) => ({
    name: row.schema === 'public' ? row.table : `${row.schema}.${row.table}`,
    sql: `${pg.escapeIdentifier(row.schema)}.${pg.escapeIdentifier(row.table)}`,
    columns: row.columns,
    key: row.key ?? [],
  }));
}
