// venomqa/diff: what a path did to its database. The runner's hook that captures checkpoints
// and compares each path's database with its checkpoint (`report.diff`), and the same
// comparison between two snapshots, a snapshot and a database, or a kept path clone.
export { StateDiffRecorder, type StateDiffOptions } from './state-diff-recorder.js';
export { diffDatabases, labelOf, type DiffTarget } from './diff-databases.js';
export type { DiffLimits, DiffSides } from './diff-against.js';
export { DiffBaselineMissingError } from './diff-errors.js';
export type { DiffValue, RowChange, StateDiff, TableDiff } from '../result/state-diff.js';
