import type { JourneyResult, PathResult } from '../result/run-result.js';

/** Progress the runner reports while it works (the CLI prints a line per finished path). */
export type RunnerEvent =
  | { type: 'journey-started'; journey: string }
  | { type: 'path-finished'; journey: string; path: PathResult }
  | { type: 'journey-finished'; journey: string; result: JourneyResult }
  /** With `verbose`: a checkpoint, clone, rollback or release, in VenomQA's words. */
  | { type: 'state'; journey: string; line: string };
