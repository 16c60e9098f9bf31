import { createHash } from 'node:crypto';
import createDebug from 'debug';
import pLimit from 'p-limit';
import type pg from 'pg';
import { RUN_ID } from '../run-id.js';
import type { ConnectionGate } from '../server/connection-gate.js';
import { createPgPool, openPgClient } from '../server/open-pg-client.js';
import { parsePostgresUrl, withDatabase } from '../server/postgres-url.js';
import { withAdminClient } from './admin-connection.js';
import { takeRunLease, withNameLock } from './advisory-locks.js';
import { newEntry, readCatalog, type CatalogRecord } from './catalog.js';
import { copyToTemplate } from './copy-to-template.js';
import { DatabaseCopier, dropDatabase } from './database-copier.js';
import { databaseExists } from './database-description.js';
import { moveDatabase } from './database-swap.js';
import { readKeptClones, recordKept, type KeptClone } from './kept-clones.js';
import { pruneDatabases } from './prune-databases.js';
import { missingTarget, replaceDatabase } from './replace-database.js';
import { SafetyGuard } from './safety-guard.js';
import { findTemplate, latestTemplate, saveTemplate } from './setup-templates.js';
import {
  ProtectedDatabaseError,
  SnapshotExistsError,
  SnapshotNotFoundError,
} from './snapshot-errors.js';
import {
  parsePhysicalName,
  runKey,
  runOwnedPhysicalName,
  snapshotPhysicalName,
  validateDatabaseName,
  validateSnapshotName,
} from './snapshot-names.js';
import type {
  Clone,
  PruneOptions,
  PruneResult,
  RestoreResult,
  SnapshotEngineOptions,
  SnapshotListing,
  SnapshotRef,
} from './snapshot-types.js';
import { WarmPool } from './warm-pool.js';

export type {
  Clone,
  PruneOptions,
  PruneResult,
  RestoreResult,
  SnapshotEngineOptions,
  SnapshotListing,
} from './snapshot-types.js';

const debug = createDebug('venomqa:snapshot');

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
  readonly #copier: DatabaseCopier;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #drainTimeoutMs: number;
  readonly #gate: ConnectionGate | undefined;
  readonly #maintenanceDatabase: string;
  /** Old contents of swapped databases, dropped off the caller's clock; close() waits. */
  readonly #pendingDrops = new Set<Promise<void>>();
  #closed: Promise<void> | undefined;

  private constructor(
    options: SnapshotEngineOptions & { runId: string },
    pool: pg.Pool,
    lease: pg.Client,
    versionNum: number,
  ) {
    this.runId = options.runId;
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
    this.#copier = new DatabaseCopier(options.strategy ?? 'auto', versionNum);
    this.#limit = pLimit(options.maxConcurrentCreates ?? 4);
    this.#drainTimeoutMs = options.sessionDrainTimeoutMs ?? 5000;
    this.#gate = options.connectionGate;
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
      await takeRunLease(lease, runId);
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
    return withNameLock(this.#pool, name, async (client) => {
      if (await databaseExists(client, physical)) {
        throw new SnapshotExistsError(`Snapshot '${name}' exists already`, {
          hint: `Delete it first (\`venomqa snapshot delete ${name} --force\`) or choose another name.`,
        });
      }
      await copyToTemplate(client, {
        name,
        sourceDb,
        physical,
        entry: (parent) =>
          newEntry(this.runId, {
            kind: scope === 'global' ? 'snapshot' : 'checkpoint',
            name,
            source: options.source ?? sourceDb,
            parent,
          }),
        copier: this.#copier,
        drainTimeoutMs: this.#drainTimeoutMs,
        maintenanceDatabase: this.#maintenanceDatabase,
        gate: this.#gate,
        runKey: runKey(this.runId),
      });
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
  createClone(ref: SnapshotRef): Promise<Clone> {
    return this.#createRunOwned(ref.physical, ref.name);
  }

  /**
   * A new empty database owned by this run (a copy of `template0`), handed out like a clone:
   * the working database of one journey run, dropped by `drop()` or by `prune` after a crash.
   */
  createEmpty(): Promise<Clone> {
    return this.#createRunOwned('template0', null);
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
    await this.#requireDatabase(targetDb);
    const temp = await this.#createRunOwned(ref.physical, ref.name, 'restore-temp');
    try {
      return await this.#replace(targetDb, temp.database, { dropOld: 'now' });
    } finally {
      // Gone already when the swap took its name; dropped when anything failed before.
      await temp.drop().catch(() => undefined);
    }
  }

  /**
   * Swap a ready clone in under `targetDb`'s name (as `restore` does, without making the copy
   * on the caller's clock): the clone's own name disappears and its handle must not be used
   * again. The old content is dropped in the background; `close()` waits for it. A target that
   * is missing (moved away by `moveAway`) is simply taken by the clone. This is how a
   * long-lived API gets a path's checkpoint under the database name it is connected to.
   */
  async swapIn(targetDb: string, clone: Clone): Promise<RestoreResult> {
    validateDatabaseName(targetDb);
    this.#guard.assertDestructiveAllowed(targetDb, 'swap a clone into');
    return this.#replace(targetDb, clone.database, { dropOld: 'later', allowMissing: true });
  }

  /**
   * Move a run-owned database away under a new run-owned name (its sessions ended first), so
   * its content survives while its old name is reused: a failed path's clone kept for
   * `keep_failed` leaves the slot it ran on this way. Returns the new name.
   */
  async moveAway(database: string): Promise<Clone> {
    this.#guard.assertDestructiveAllowed(database, 'move');
    const moved = runOwnedPhysicalName('clone', this.runId);
    await withAdminClient(this.#pool, (client) =>
      moveDatabase(client, database, moved, this.#drainTimeoutMs, this.#gate),
    );
    return this.#cloneHandle(moved);
  }

  /**
   * Record that a run-owned clone is kept for a failed path (`keep_failed`), under the path's
   * label, so `venomqa diff --path` finds it once the run is over.
   */
  async markKept(physical: string, path: string): Promise<void> {
    await withAdminClient(this.#pool, (client) => recordKept(client, physical, path, this.runId));
  }

  /** Clones kept for failed paths on this server (any run's, until pruned), newest first. */
  keptClones(): Promise<KeptClone[]> {
    return withAdminClient(this.#pool, readKeptClones);
  }

  /** The setup template cached under `key` (see `saveTemplate`), if there is one. */
  findTemplate(key: string): Promise<SnapshotRef | undefined> {
    return withAdminClient(this.#pool, (client) => findTemplate(client, key));
  }

  /**
   * The newest setup template of `project` whatever its key, with the input hashes it was made
   * from (to say which input changed since).
   */
  latestTemplate(
    project: string,
  ): Promise<{ physical: string; inputs: Record<string, string> } | undefined> {
    return withAdminClient(this.#pool, (client) => latestTemplate(client, project));
  }

  /**
   * Cache `sourceDb` as the setup template of `key` (`setup.command` ran on it): a template
   * database named by the key, kept between runs, cloned as each journey's starting database.
   * `replace` (`--no-cache`) replaces one of the same key; see setup-templates.ts.
   */
  saveTemplate(
    sourceDb: string,
    key: string,
    details: { project: string; inputs: Record<string, string>; replace?: boolean },
  ): Promise<SnapshotRef> {
    return saveTemplate(this.#pool, this.#copier, {
      sourceDb,
      key,
      entry: newEntry(this.runId, {
        kind: 'template',
        name: details.project,
        source: sourceDb,
        parent: null,
        inputs: details.inputs,
      }),
      replace: details.replace ?? false,
      runId: this.runId,
    });
  }

  /** Drop a database this run made (a clone, a slot's database) by its physical name. */
  async dropRunOwned(physical: string): Promise<void> {
    this.#guard.assertDestructiveAllowed(physical, 'drop');
    if (parsePhysicalName(physical)?.runKey !== runKey(this.runId)) {
      throw new ProtectedDatabaseError(`Refusing to drop '${physical}': this run did not make it`);
    }
    await withAdminClient(this.#pool, (client) => dropDatabase(client, physical));
  }

  /** Delete a snapshot by its human name. */
  async drop(name: string): Promise<void> {
    const ref = await this.resolveSnapshot(name);
    this.#guard.assertDestructiveAllowed(ref.physical, 'drop');
    await withNameLock(this.#pool, name, (client) => dropDatabase(client, ref.physical));
  }

  /** Snapshots and checkpoints (not clones or temporaries), newest first. */
  async list(): Promise<SnapshotListing[]> {
    const records = await withAdminClient(this.#pool, readCatalog);
    return records
      .filter((r) => r.kind === 'snapshot' || r.kind === 'checkpoint')
      .map(toListing)
      .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  }

  /** Every database venomqa made on this server, of every kind, with its size (`db status`). */
  async databases(): Promise<SnapshotListing[]> {
    return (await withAdminClient(this.#pool, readCatalog)).map(toListing);
  }

  /**
   * Drop what runs that no longer live left behind: clones, restore temporaries and run-scoped
   * checkpoints whose run holds no advisory lock. Named snapshots are never pruned.
   */
  prune(options: PruneOptions = {}): Promise<PruneResult> {
    return withAdminClient(this.#pool, (client) => pruneDatabases(client, options));
  }

  /** Find a snapshot by human name: a named snapshot, else a checkpoint of this run. */
  async resolveSnapshot(name: string): Promise<SnapshotRef> {
    validateSnapshotName(name);
    return withAdminClient(this.#pool, async (client) => {
      for (const physical of [snapshotPhysicalName(name), this.#checkpointPhysicalName(name)]) {
        if (await databaseExists(client, physical)) return { name, physical };
      }
      const existing = (await readCatalog(client))
        .filter(
          (r) =>
            r.kind === 'snapshot' || (r.kind === 'checkpoint' && r.runKey === runKey(this.runId)),
        )
        .flatMap((r) => (r.entry?.name ? [r.entry.name] : []));
      throw new SnapshotNotFoundError(name, existing);
    });
  }

  /**
   * One query on the admin pool: resolves while the server answers, rejects with the typed error
   * of the situation (refused, timed out, out of slots) once it does not.
   */
  async ping(): Promise<void> {
    await withAdminClient(this.#pool, (client) => client.query('select 1'));
  }

  /**
   * Wait for background drops, then release the pool and the run lease. Does not drop anything
   * else (use `prune` or `drop`).
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await Promise.allSettled([...this.#pendingDrops]);
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

  /** A new run-owned copy of `source`, with its catalog entry, handed out as a Clone. */
  async #createRunOwned(
    source: string,
    parent: string | null,
    kind: 'clone' | 'restore-temp' = 'clone',
  ): Promise<Clone> {
    const physical = runOwnedPhysicalName(kind, this.runId);
    await withAdminClient(this.#pool, (client) =>
      this.#copier.copy(
        client,
        physical,
        source,
        newEntry(this.runId, { kind, name: null, source, parent }),
      ),
    );
    return this.#cloneHandle(physical);
  }

  /**
   * Swap `replacement` in under `targetDb`'s name, keeping the target's owner and catalog
   * comment; the old content is dropped now or in the background.
   */
  async #replace(
    targetDb: string,
    replacement: string,
    options: { dropOld: 'now' | 'later'; allowMissing?: boolean },
  ): Promise<RestoreResult> {
    const old = runOwnedPhysicalName('restore-old', this.runId);
    const { unavailableMs, oldExists } = await withAdminClient(this.#pool, (client) =>
      replaceDatabase(client, {
        targetDb,
        replacement,
        old,
        dropOldNow: options.dropOld === 'now',
        allowMissing: options.allowMissing ?? false,
        drainTimeoutMs: this.#drainTimeoutMs,
        gate: this.#gate,
        runKey: runKey(this.runId),
      }),
    );
    if (options.dropOld === 'later' && oldExists) this.#dropLater(old);
    debug('replaced %s with %s; unavailable %d ms', targetDb, replacement, unavailableMs);
    return { unavailableMs };
  }

  async #requireDatabase(database: string): Promise<void> {
    const exists = await withAdminClient(this.#pool, (client) => databaseExists(client, database));
    if (!exists) throw missingTarget(database);
  }

  /** Drop off the caller's clock (every DROP DATABASE forces a checkpoint); prune catches a miss. */
  #dropLater(physical: string): void {
    const task: Promise<void> = withAdminClient(this.#pool, (client) =>
      dropDatabase(client, physical),
    )
      .catch((error: unknown) => debug('dropping %s later failed: %o', physical, error))
      .finally(() => this.#pendingDrops.delete(task));
    this.#pendingDrops.add(task);
  }

  #cloneHandle(physical: string): Clone {
    let dropped: Promise<void> | undefined;
    const drop = (): Promise<void> => {
      dropped ??= withAdminClient(this.#pool, (client) => dropDatabase(client, physical));
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
    ...(record.entry?.path === undefined ? {} : { path: record.entry.path }),
  };
}
