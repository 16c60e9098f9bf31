import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import createDebug from 'debug';
import pLimit from 'p-limit';
import type pg from 'pg';
import { messageOf } from '../errors/venomqa-error.js';
import { RUN_ID } from '../run-id.js';
import { createPgPool, openPgClient } from '../server/open-pg-client.js';
import { parsePostgresUrl, withDatabase } from '../server/postgres-url.js';
import {
  decodeEntry,
  encodeEntry,
  readCatalog,
  type CatalogEntry,
  type CatalogRecord,
} from './catalog.js';
import { strategyClause, type CloneStrategy } from './clone-strategy.js';
import { SQLSTATE, isInsufficientResources, sqlState } from './postgres-error-codes.js';
import { SafetyGuard } from './safety-guard.js';
import { blockingSessions, drainSessions } from './session-drain.js';
import {
  CreateDatabasePrivilegeError,
  DatabaseInUseError,
  DatabaseNotFoundError,
  DiskFullError,
  SnapshotExistsError,
  SnapshotNotFoundError,
} from './snapshot-errors.js';
import {
  runKey,
  runLockId,
  runOwnedPhysicalName,
  snapshotPhysicalName,
  validateDatabaseName,
  validateSnapshotName,
  type DatabaseKind,
} from './snapshot-names.js';
import { ident, literal } from './sql-identifier.js';
import { WarmPool } from './warm-pool.js';

const debug = createDebug('venomqa:snapshot');

/** Advisory lock class ids: one for run liveness, one for per-name serialisation. */
const RUN_LOCK_CLASS = 0x7671; // "vq"
const NAME_LOCK_CLASS = 0x7672;

export interface SnapshotEngineOptions {
  /**
   * Admin URL on the maintenance database (`postgres`, or `template1` when the working database
   * is `postgres`: see `adminUrlFor`); the engine connects nowhere else.
   */
  adminUrl: string;
  /** The database a restore may replace although venomqa did not create it. */
  workingDatabase?: string | undefined;
  /** True only when both the config and a flag allow a non-loopback server. */
  allowRemote?: boolean;
  strategy?: CloneStrategy;
  /** How many databases are created at once by `clone` and warm pools. */
  maxConcurrentCreates?: number;
  /** How long to wait for sessions to end before `DatabaseInUseError`. */
  sessionDrainTimeoutMs?: number;
  runId?: string;
}

/** A snapshot as `list()` shows it. */
export interface SnapshotListing {
  name: string | null;
  physical: string;
  kind: DatabaseKind;
  source: string | null;
  parent: string | null;
  sizeBytes: number;
  createdAt: string | null;
  runId: string | null;
  pid: number | null;
}

/** A database copied from a snapshot, handed to one path. */
export interface Clone extends AsyncDisposable {
  readonly database: string;
  readonly url: string;
  drop(): Promise<void>;
}

export interface RestoreResult {
  /** How long the target refused connections (the window an API under test feels). */
  unavailableMs: number;
}

export interface PruneOptions {
  /** Only databases older than this many milliseconds. */
  olderThanMs?: number;
  /** Only databases whose run no longer lives (default true). */
  deadRunsOnly?: boolean;
  dryRun?: boolean;
}

export interface PruneResult {
  dropped: string[];
  kept: string[];
}

interface SnapshotRef {
  name: string;
  physical: string;
}

function nameLockId(name: string): number {
  return createHash('sha256').update(name).digest().readInt32BE(0);
}

/**
 * The clone engine: snapshots of a database as `CREATE DATABASE … TEMPLATE` copies, clones of
 * snapshots, restore by swap, drop, list and prune. It holds an admin pool on the maintenance
 * database and never connects to a template.
 *
 * @example
 * await using engine = await SnapshotEngine.open({ adminUrl: server.adminUrl });
 * await engine.snapshot('app', 'order_created');
 * const [a, b] = await engine.clone('order_created', 2);
 */
export class SnapshotEngine implements AsyncDisposable {
  readonly runId: string;
  readonly versionNum: number;
  readonly #adminUrl: string;
  readonly #pool: pg.Pool;
  readonly #lease: pg.Client;
  readonly #guard: SafetyGuard;
  readonly #strategy: CloneStrategy;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #drainTimeoutMs: number;
  readonly #maintenanceDatabase: string;
  /** PostgreSQL 18's `file_copy_method = clone`: unknown until tried, then remembered. */
  #reflink: boolean | undefined;
  #closed: Promise<void> | undefined;

  private constructor(
    options: SnapshotEngineOptions,
    pool: pg.Pool,
    lease: pg.Client,
    versionNum: number,
  ) {
    this.runId = options.runId ?? RUN_ID;
    this.versionNum = versionNum;
    this.#adminUrl = options.adminUrl;
    this.#pool = pool;
    this.#lease = lease;
    const address = parsePostgresUrl(options.adminUrl);
    this.#maintenanceDatabase = address.database;
    this.#guard = new SafetyGuard({
      host: address.host,
      workingDatabase: options.workingDatabase,
      allowRemote: options.allowRemote ?? false,
      maintenanceDatabase: address.database,
    });
    this.#strategy = options.strategy ?? 'auto';
    this.#limit = pLimit(options.maxConcurrentCreates ?? 4);
    this.#drainTimeoutMs = options.sessionDrainTimeoutMs ?? 5000;
    this.#reflink = versionNum >= 180000 && this.#strategy === 'auto' ? undefined : false;
  }

  /**
   * Connect, and take this run's advisory lock: while the engine is open, `prune` in any other
   * process knows the run is alive and leaves its clones alone.
   */
  static async open(options: SnapshotEngineOptions): Promise<SnapshotEngine> {
    const runId = options.runId ?? RUN_ID;
    // A server that is not on this machine is refused before venomqa connects to it at all.
    new SafetyGuard({
      host: parsePostgresUrl(options.adminUrl).host,
      allowRemote: options.allowRemote ?? false,
      maintenanceDatabase: '',
    }).assertServerAllowed('use the snapshot engine');
    // The lease connects first: a server that cannot be reached fails here with the typed
    // error of its situation (refused, wrong password, TLS, …) and nothing is left open.
    const lease = await openPgClient(options.adminUrl, {
      applicationName: 'venomqa-run-lease',
      purpose: "venomqa's admin connection",
      onError: (error) => debug('lease connection error: %s', error.message),
    });
    // A terminated idle client emits 'error' on the pool; without a listener the process dies.
    const pool = await createPgPool(options.adminUrl, {
      max: (options.maxConcurrentCreates ?? 4) + 2,
      applicationName: 'venomqa-admin',
      onError: (error) => debug('admin pool error: %s', error.message),
    }).catch(async (error: unknown) => {
      await lease.end().catch(() => undefined);
      throw error;
    });
    try {
      // Shared: several engines of one run (or one process) may hold it at once.
      await lease.query('select pg_advisory_lock_shared($1, $2)', [
        RUN_LOCK_CLASS,
        runLockId(runKey(runId)),
      ]);
      const { rows } = await lease.query<{ num: string }>(
        "select current_setting('server_version_num') as num",
      );
      const versionNum = Number(rows[0]?.num ?? 0);
      const engine = new SnapshotEngine({ ...options, runId }, pool, lease, versionNum);
      engine.#guard.assertServerAllowed('use the snapshot engine');
      return engine;
    } catch (error) {
      await lease.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  /** The server URL for one of its databases (credentials of the admin URL). */
  urlFor(database: string): string {
    return withDatabase(this.#adminUrl, database);
  }

  /**
   * Snapshot `sourceDb` under a human `name`. Sessions on the source are ended (connections are
   * locked out meanwhile and let back in afterwards, whatever happens).
   *
   * `scope: 'run'` makes a checkpoint owned by this run (pruned once the run is gone);
   * `'global'` a named snapshot that stays until deleted. `source` is what the catalog records
   * as its origin (default `sourceDb`): an import records its file, since the temporary
   * database it loaded into is dropped right after.
   */
  async snapshot(
    sourceDb: string,
    name: string,
    options: { scope?: 'global' | 'run'; source?: string } = {},
  ): Promise<SnapshotRef> {
    validateSnapshotName(name);
    validateDatabaseName(sourceDb);
    const scope = options.scope ?? 'global';
    const physical =
      scope === 'global' ? snapshotPhysicalName(name) : this.#checkpointPhysicalName(name);
    return this.#withNameLock(name, async (client) => {
      if (await this.#exists(client, physical)) {
        throw new SnapshotExistsError(`Snapshot '${name}' exists already`, {
          hint: `Delete it first (\`venomqa snapshot delete ${name} --force\`) or choose another name.`,
        });
      }
      const source = await this.#describeDatabase(client, sourceDb);
      if (!source) {
        throw new DatabaseNotFoundError(`Cannot snapshot '${sourceDb}': no such database`);
      }
      const lockedOut = source.allowConnections && sourceDb !== this.#maintenanceDatabase;
      if (lockedOut) {
        await client.query(`alter database ${ident(sourceDb)} with allow_connections false`);
      }
      try {
        if (lockedOut) await drainSessions(client, sourceDb, this.#drainTimeoutMs);
        await this.#createFrom(client, physical, sourceDb, {
          v: 1,
          kind: scope === 'global' ? 'snapshot' : 'checkpoint',
          name,
          source: options.source ?? sourceDb,
          parent: source.snapshotName,
          ...this.#owner(),
        });
        await client.query(
          `alter database ${ident(physical)} with is_template true allow_connections false`,
        );
      } catch (error) {
        if (sqlState(error) === SQLSTATE.duplicateDatabase) {
          throw new SnapshotExistsError(`Snapshot '${name}' exists already`, { cause: error });
        }
        throw error;
      } finally {
        if (lockedOut) {
          await client.query(`alter database ${ident(sourceDb)} with allow_connections true`);
        }
      }
      debug('snapshot %s (%s) of %s', name, physical, sourceDb);
      return { name, physical };
    });
  }

  /** `count` new databases copied from a snapshot, created concurrently under the limit. */
  async clone(snapshot: string, count: number): Promise<Clone[]> {
    const ref = await this.resolveSnapshot(snapshot);
    const settled = await Promise.allSettled(
      Array.from({ length: count }, () => this.#limit(() => this.createClone(ref))),
    );
    const clones = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) {
      // All or nothing: a caller that gets an error holds no clone to release.
      await Promise.allSettled(clones.map((c) => c.drop()));
      throw failed.reason;
    }
    return clones;
  }

  /** One clone of a resolved snapshot (used by `clone` and warm pools). */
  async createClone(ref: SnapshotRef): Promise<Clone> {
    const physical = runOwnedPhysicalName('clone', this.runId);
    const client = await this.#pool.connect();
    try {
      await this.#createFrom(client, physical, ref.physical, {
        v: 1,
        kind: 'clone',
        name: null,
        source: ref.physical,
        parent: ref.name,
        ...this.#owner(),
      });
    } finally {
      client.release();
    }
    return this.#cloneHandle(physical);
  }

  /**
   * A new empty database owned by this run (a copy of `template0`), handed out like a clone:
   * the working database of one journey run, dropped by `drop()` or by `prune` after a crash.
   */
  async createEmpty(): Promise<Clone> {
    const physical = runOwnedPhysicalName('clone', this.runId);
    const client = await this.#pool.connect();
    try {
      await this.#createFrom(client, physical, 'template0', {
        v: 1,
        kind: 'clone',
        name: null,
        source: 'template0',
        parent: null,
        ...this.#owner(),
      });
    } finally {
      client.release();
    }
    return this.#cloneHandle(physical);
  }

  /** A warm pool of clones of `snapshot`: `acquire()` hands one out at once and refills behind. */
  async pool(snapshot: string, size: number): Promise<WarmPool<Clone>> {
    const ref = await this.resolveSnapshot(snapshot);
    return new WarmPool<Clone>(() => this.createClone(ref), size);
  }

  /**
   * Replace `targetDb` with a copy of `snapshot`. The copy is built first under a temporary
   * name; then connections are locked out, sessions ended, and the two swapped by rename. The
   * target name is never missing: either the old or the new database holds it at every moment.
   */
  async restore(targetDb: string, snapshot: string): Promise<RestoreResult> {
    validateDatabaseName(targetDb);
    this.#guard.assertDestructiveAllowed(targetDb, 'restore into');
    const ref = await this.resolveSnapshot(snapshot);
    const client = await this.#pool.connect();
    const temp = runOwnedPhysicalName('restore-temp', this.runId);
    const old = runOwnedPhysicalName('restore-old', this.runId);
    let tempExists = false;
    try {
      const target = await this.#describeDatabase(client, targetDb);
      if (!target) {
        throw new DatabaseNotFoundError(`Cannot restore into '${targetDb}': no such database`, {
          hint: 'Create it first, or restore into an existing database with --db.',
        });
      }
      await this.#createFrom(client, temp, ref.physical, {
        v: 1,
        kind: 'restore-temp',
        name: null,
        source: ref.physical,
        parent: ref.name,
        ...this.#owner(),
      });
      tempExists = true;
      // Everything that can fail slowly happens before the window: ownership and comment.
      if (target.owner !== target.currentUser) {
        await client.query(`alter database ${ident(temp)} owner to ${ident(target.owner)}`);
      }
      const started = performance.now();
      await client.query(`alter database ${ident(targetDb)} with allow_connections false`);
      let swapped = false;
      try {
        await drainSessions(client, targetDb, this.#drainTimeoutMs);
        await client.query(`alter database ${ident(targetDb)} rename to ${ident(old)}`);
        try {
          await client.query(`alter database ${ident(temp)} rename to ${ident(targetDb)}`);
          swapped = true;
          tempExists = false;
        } catch (error) {
          // Put the original back under its name before reporting.
          await client.query(`alter database ${ident(old)} rename to ${ident(targetDb)}`);
          throw error;
        }
      } finally {
        if (!swapped) {
          await client.query(`alter database ${ident(targetDb)} with allow_connections true`);
        }
      }
      const unavailableMs = performance.now() - started;
      await client.query(
        `comment on database ${ident(targetDb)} is ${target.comment === null ? 'null' : literal(target.comment)}`,
      );
      await this.#dropPhysical(client, old);
      debug('restored %s from %s; unavailable %d ms', targetDb, ref.name, unavailableMs);
      return { unavailableMs };
    } finally {
      if (tempExists) await this.#dropPhysical(client, temp).catch(() => undefined);
      client.release();
    }
  }

  /** Delete a snapshot by its human name. */
  async drop(name: string): Promise<void> {
    const ref = await this.resolveSnapshot(name);
    this.#guard.assertDestructiveAllowed(ref.physical, 'drop');
    await this.#withNameLock(name, (client) => this.#dropPhysical(client, ref.physical));
  }

  /** Snapshots and checkpoints (not clones or temporaries), newest first. */
  async list(): Promise<SnapshotListing[]> {
    const records = await this.#catalog();
    return records
      .filter((r) => r.kind === 'snapshot' || r.kind === 'checkpoint')
      .map(toListing)
      .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  }

  /**
   * Drop what runs that no longer live left behind: clones, restore temporaries and run-scoped
   * checkpoints whose run holds no advisory lock. Named snapshots are never pruned.
   */
  async prune(options: PruneOptions = {}): Promise<PruneResult> {
    const deadRunsOnly = options.deadRunsOnly ?? true;
    const client = await this.#pool.connect();
    try {
      const records = await readCatalog(client);
      const { rows } = await client.query<{ objid: string }>(
        `select objid::text from pg_locks
          where locktype = 'advisory' and classid = $1 and granted`,
        [RUN_LOCK_CLASS],
      );
      const liveLocks = new Set(rows.map((r) => Number(r.objid) | 0));
      const now = Date.now();
      const dropped: string[] = [];
      const kept: string[] = [];
      for (const record of records) {
        if (record.kind === 'snapshot' || record.runKey === undefined) continue;
        const alive = liveLocks.has(runLockId(record.runKey));
        const createdAt = record.entry ? Date.parse(record.entry.createdAt) : Number.NaN;
        const oldEnough =
          options.olderThanMs === undefined ||
          Number.isNaN(createdAt) ||
          now - createdAt >= options.olderThanMs;
        if ((deadRunsOnly && alive) || !oldEnough) {
          kept.push(record.physical);
          continue;
        }
        if (!options.dryRun) await this.#dropPhysical(client, record.physical);
        dropped.push(record.physical);
      }
      return { dropped, kept };
    } finally {
      client.release();
    }
  }

  /** Find a snapshot by human name: a named snapshot, else a checkpoint of this run. */
  async resolveSnapshot(name: string): Promise<SnapshotRef> {
    validateSnapshotName(name);
    const client = await this.#pool.connect();
    try {
      for (const physical of [snapshotPhysicalName(name), this.#checkpointPhysicalName(name)]) {
        if (await this.#exists(client, physical)) return { name, physical };
      }
      const existing = (await readCatalog(client))
        .filter(
          (r) =>
            r.kind === 'snapshot' || (r.kind === 'checkpoint' && r.runKey === runKey(this.runId)),
        )
        .flatMap((r) => (r.entry?.name ? [r.entry.name] : []));
      throw new SnapshotNotFoundError(name, existing);
    } finally {
      client.release();
    }
  }

  /** Release the pool and the run lease. Does not drop anything (use `prune` or `drop`). */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#pool.end().catch(() => undefined);
      await this.#lease.end().catch(() => undefined);
    })();
    return this.#closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // --- internals ------------------------------------------------------------------------

  #checkpointPhysicalName(name: string): string {
    const digest = createHash('sha256').update(name).digest('hex').slice(0, 10);
    return `vqa_k_${runKey(this.runId)}_${digest}`;
  }

  #owner(): Pick<CatalogEntry, 'runId' | 'pid' | 'host' | 'createdAt'> {
    return {
      runId: this.runId,
      pid: process.pid,
      host: hostname(),
      createdAt: new Date().toISOString(),
    };
  }

  async #catalog(): Promise<CatalogRecord[]> {
    const client = await this.#pool.connect();
    try {
      return await readCatalog(client);
    } finally {
      client.release();
    }
  }

  async #withNameLock<T>(name: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    const lock = [NAME_LOCK_CLASS, nameLockId(name)];
    try {
      await client.query('select pg_advisory_lock($1, $2)', lock);
      try {
        return await work(client);
      } finally {
        await client.query('select pg_advisory_unlock($1, $2)', lock);
      }
    } finally {
      client.release();
    }
  }

  async #exists(client: pg.ClientBase, database: string): Promise<boolean> {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [
      database,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async #describeDatabase(
    client: pg.ClientBase,
    database: string,
  ): Promise<
    | {
        allowConnections: boolean;
        owner: string;
        currentUser: string;
        comment: string | null;
        snapshotName: string | null;
      }
    | undefined
  > {
    const { rows } = await client.query<{
      datallowconn: boolean;
      owner: string;
      current_user: string;
      comment: string | null;
    }>(
      `select datallowconn, pg_get_userbyid(datdba) as owner, current_user,
              shobj_description(oid, 'pg_database') as comment
         from pg_database where datname = $1`,
      [database],
    );
    const row = rows[0];
    if (!row) return undefined;
    const snapshotName = decodeEntry(row.comment)?.name ?? null;
    return {
      allowConnections: row.datallowconn,
      owner: row.owner,
      currentUser: row.current_user,
      comment: row.comment,
      snapshotName,
    };
  }

  /**
   * `CREATE DATABASE target TEMPLATE source` plus its catalog comment; a database whose comment
   * could not be written is dropped again. PostgreSQL errors become typed errors by SQLSTATE.
   */
  async #createFrom(
    client: pg.ClientBase,
    target: string,
    source: string,
    entry: CatalogEntry,
  ): Promise<void> {
    try {
      await this.#createDatabase(client, target, source);
    } catch (error) {
      throw await this.#createError(client, error, target, source);
    }
    try {
      await client.query(`comment on database ${ident(target)} is ${literal(encodeEntry(entry))}`);
    } catch (error) {
      await this.#dropPhysical(client, target).catch(() => undefined);
      throw error;
    }
  }

  async #createDatabase(client: pg.ClientBase, target: string, source: string): Promise<void> {
    const strategy = this.#strategy === 'wal_log' ? 'wal_log' : 'file_copy';
    const sql = `create database ${ident(target)} template ${ident(source)}${strategyClause(strategy, this.versionNum)}`;
    if (strategy === 'file_copy' && this.#reflink !== false && this.versionNum >= 180000) {
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

  async #createError(
    client: pg.ClientBase,
    error: unknown,
    target: string,
    source: string,
  ): Promise<unknown> {
    const code = sqlState(error);
    if (code === SQLSTATE.objectInUse) {
      const sessions = await blockingSessions(client, source).catch(() => []);
      return new DatabaseInUseError(source, sessions, { cause: error });
    }
    if (code === SQLSTATE.insufficientPrivilege) {
      return new CreateDatabasePrivilegeError(
        `The role cannot create databases (CREATE DATABASE ${target} failed: ${messageOf(error)})`,
        {
          cause: error,
          hint: 'Grant it CREATEDB (ALTER ROLE … CREATEDB), or use `strategy: savepoint`, which needs no new databases.',
        },
      );
    }
    if (code === SQLSTATE.invalidCatalogName) {
      return new DatabaseNotFoundError(`Cannot copy '${source}': no such database`, {
        cause: error,
      });
    }
    if (isInsufficientResources(error)) {
      const size = await client
        .query<{ size: string }>('select pg_size_pretty(pg_database_size($1)) as size', [source])
        .then((r) => r.rows[0]?.size ?? 'unknown')
        .catch(() => 'unknown');
      return new DiskFullError(
        `The server ran out of resources copying '${source}' (${size} needed): ${messageOf(error)}`,
        {
          cause: error,
          hint: 'Free disk space on the server, drop old snapshots (`venomqa snapshot list`), or run `venomqa prune`.',
        },
      );
    }
    return error;
  }

  async #dropPhysical(client: pg.ClientBase, physical: string): Promise<void> {
    // A template cannot be dropped until it is marked as an ordinary database again.
    await client
      .query(`alter database ${ident(physical)} with is_template false`)
      .catch((error: unknown) => {
        if (sqlState(error) !== SQLSTATE.invalidCatalogName) throw error;
      });
    await client.query(`drop database if exists ${ident(physical)} with (force)`);
  }

  #cloneHandle(physical: string): Clone {
    let dropped: Promise<void> | undefined;
    const drop = (): Promise<void> => {
      dropped ??= (async () => {
        const client = await this.#pool.connect();
        try {
          await this.#dropPhysical(client, physical);
        } finally {
          client.release();
        }
      })();
      return dropped;
    };
    return {
      database: physical,
      url: this.urlFor(physical),
      drop,
      [Symbol.asyncDispose]: drop,
    };
  }
}

/** PostgreSQL 18 reports a filesystem without reflinks as a file access error on clone. */
function isCloneUnsupported(error: unknown): boolean {
  const code = sqlState(error);
  // 0A000 feature_not_supported, 58030 io_error, XX000 from errcode_for_file_access, 22023 bad value.
  return (
    code === '0A000' || code === '58030' || code === 'XX000' || code === '22023' || code === '42704'
  );
}

function toListing(record: CatalogRecord): SnapshotListing {
  return {
    name: record.entry?.name ?? null,
    physical: record.physical,
    kind: record.kind,
    source: record.entry?.source ?? null,
    parent: record.entry?.parent ?? null,
    sizeBytes: record.sizeBytes,
    createdAt: record.entry?.createdAt ?? null,
    runId: record.entry?.runId ?? null,
    pid: record.entry?.pid ?? null,
  };
}
