import type { SnapshotListing } from '../snapshot/index.js';

/** What venomqa keeps on a server, by kind, for `venomqa db status`. */
export interface DatabaseInventory {
  snapshots: { count: number; bytes: number; names: string[] };
  checkpoints: { count: number; bytes: number };
  clones: { count: number; bytes: number; keptFor: string[] };
  setupTemplates: { count: number; bytes: number };
  /** Restore temporaries and the old contents of swaps not dropped yet. */
  temporaries: { count: number; bytes: number };
  totalBytes: number;
}

export function databaseInventory(databases: readonly SnapshotListing[]): DatabaseInventory {
  const of = (kinds: readonly string[]) => databases.filter((d) => kinds.includes(d.kind));
  const sum = (list: readonly SnapshotListing[]) => list.reduce((n, d) => n + d.sizeBytes, 0);
  const snapshots = of(['snapshot']);
  const clones = of(['clone']);
  return {
    snapshots: {
      count: snapshots.length,
      bytes: sum(snapshots),
      names: snapshots.flatMap((s) => (s.name ? [s.name] : [])),
    },
    checkpoints: { count: of(['checkpoint']).length, bytes: sum(of(['checkpoint'])) },
    clones: {
      count: clones.length,
      bytes: sum(clones),
      keptFor: clones.flatMap((c) => (c.path ? [c.path] : [])),
    },
    setupTemplates: { count: of(['template']).length, bytes: sum(of(['template'])) },
    temporaries: {
      count: of(['restore-temp', 'restore-old']).length,
      bytes: sum(of(['restore-temp', 'restore-old'])),
    },
    totalBytes: sum(databases),
  };
}

export function inventoryLines(inventory: DatabaseInventory): string[] {
  const { snapshots, checkpoints, clones, setupTemplates, temporaries } = inventory;
  return [
    `snapshots: ${snapshots.count} (${size(snapshots.bytes)})${snapshots.names.length ? `: ${snapshots.names.join(', ')}` : ''}`,
    `checkpoints: ${checkpoints.count} (${size(checkpoints.bytes)})`,
    `clones: ${clones.count} (${size(clones.bytes)})${clones.keptFor.length ? `, kept for failed paths: ${clones.keptFor.join(', ')}` : ''}`,
    `setup templates: ${setupTemplates.count} (${size(setupTemplates.bytes)})`,
    ...(temporaries.count > 0
      ? [`temporaries: ${temporaries.count} (${size(temporaries.bytes)})`]
      : []),
    `disk used by venomqa's databases: ${size(inventory.totalBytes)}`,
  ];
}

/** `12.3 MB`. */
export function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
