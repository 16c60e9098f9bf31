import createDebug from 'debug';
import type pg from 'pg';
import { messageOf } from '../errors/venomqa-error.js';
import { encodeEntry, type CatalogEntry } from './catalog.js';
import { strategyClause, type CloneStrategy } from './clone-strategy.js';
import { copyError, isCloneUnsupported } from './copy-errors.js';
import { SQLSTATE, sqlState } from './postgres-error-codes.js';
import { ident, literal } from './sql-identifier.js';

const debug = createDebug('venomqa:snapshot');

/**
 * Makes and drops the databases of one server: `CREATE DATABASE … TEMPLATE` with the catalog
 * comment written at once, and PostgreSQL 18's copy-on-write `file_copy_method = clone` tried
 * first and remembered once the filesystem turns out not to support it.
 */
export class DatabaseCopier {
  readonly #strategy: CloneStrategy;
  readonly #versionNum: number;
  /** Whether `file_copy_method = clone` works here: unknown until tried, then remembered. */
  #reflink: boolean | undefined;

  constructor(strategy: CloneStrategy, versionNum: number) {
    this.#strategy = strategy;
    this.#versionNum = versionNum;
    this.#reflink = versionNum >= 180000 && strategy === 'auto' ? undefined : false;
  }

  /**
   * `CREATE DATABASE target TEMPLATE source` plus its catalog comment; a database whose comment
   * could not be written is dropped again. PostgreSQL errors become typed errors by SQLSTATE.
   */
  async copy(
    client: pg.ClientBase,
    target: string,
    source: string,
    entry: CatalogEntry,
  ): Promise<void> {
    try {
      await this.#create(client, target, source);
    } catch (error) {
      throw await copyError(client, error, target, source);
    }
    try {
      await client.query(`comment on database ${ident(target)} is ${literal(encodeEntry(entry))}`);
    } catch (error) {
      await dropDatabase(client, target).catch(() => undefined);
      throw error;
    }
  }

  async #create(client: pg.ClientBase, target: string, source: string): Promise<void> {
    const strategy = this.#strategy === 'wal_log' ? 'wal_log' : 'file_copy';
    const sql = `create database ${ident(target)} template ${ident(source)}${strategyClause(strategy, this.#versionNum)}`;
    if (strategy === 'file_copy' && this.#reflink !== false && this.#versionNum >= 180000) {
      try {
        await client.query('set file_copy_method = clone');
        await client.query(sql);
        this.#reflink = true;
        return;
      } catch (error) {
        await client.query('reset file_copy_method').catch(() => undefined);
        // Only "this filesystem cannot clone" falls back; the rest are real errors.
        if (this.#reflink === true || !isCloneUnsupported(error)) throw error;
        debug('file_copy_method=clone unsupported here (%s); copying instead', messageOf(error));
        this.#reflink = false;
      }
    }
    await client.query(sql);
  }
}

/** Drop a database venomqa made, template or not, ending its sessions; gone already is fine. */
export async function dropDatabase(client: pg.ClientBase, physical: string): Promise<void> {
  // A drop cut short (the server stopped mid-drop, its venomqa killed, its connection ended)
  // leaves the database invalid (datconnlimit -2, PostgreSQL 16+, and the minor releases of
  // August 2023 on): ALTER refuses it with FATAL ("cannot alter invalid database"), ending the
  // session, and DROP is what finishes it. It is no template any more.
  const found = await client.query<{ invalid: boolean }>(
    'select datconnlimit = -2 as invalid from pg_database where datname = $1',
    [physical],
  );
  // A template cannot be dropped until it is marked as an ordinary database again.
  if (found.rows[0]?.invalid !== true) {
    await client
      .query(`alter database ${ident(physical)} with is_template false`)
      .catch((error: unknown) => {
        if (sqlState(error) !== SQLSTATE.invalidCatalogName) throw error;
      });
  }
  await client.query(`drop database if exists ${ident(physical)} with (force)`);
}
