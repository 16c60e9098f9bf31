export { JourneyRunner, type JourneyRunnerOptions, type RunnerEvent } from './journey-runner.js';
export { RunnerConfigError, RunInterruptedError } from './runner-errors.js';
export { StepExpectationError } from './check-step.js';
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
} from './result.js';
