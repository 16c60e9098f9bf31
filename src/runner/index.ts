// venomqa/runner: JourneyRunner, which walks a journey and runs each branch's paths on their
// own state, and the result tree it returns.
export { JourneyRunner, type JourneyRunnerOptions, type RunnerEvent } from './journey-runner.js';
export { RunInterruptedError, RunnerConfigError, StepExpectationError } from './runner-errors.js';
export type { StateDiffHook } from './state-diff-hook.js';
export type {
  BranchResult,
  CheckpointResult,
  ErrorInfo,
  ItemResult,
  JourneyResult,
  PathResult,
  ResultStatus,
  RunResult,
  StepResult,
} from '../result/run-result.js';
export type { DiffValue, RowChange, StateDiff, TableDiff } from '../result/state-diff.js';
