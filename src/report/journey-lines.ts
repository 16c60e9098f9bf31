import type {
  CheckpointResult,
  ErrorInfo,
  ItemResult,
  JourneyResult,
  PathResult,
  ResultStatus,
  StepResult,
} from '../result/run-result.js';

/** Something that failed, as a report names it. */
export interface Failure {
  /** `step 'pay'`, `checkpoint 'cart'`, `branch from checkpoint 'cart'`, `path 'cart/card'`, … */
  subject: string;
  /** Absent when the result says "failed" without saying why. */
  error?: ErrorInfo;
  /** The failed step, for its exchanges and API log. */
  step?: StepResult;
}

/**
 * One line of a journey: its main line (the items outside any branch) or one path of a
 * branch, at any depth. The JUnit report makes one testcase of each line; the markdown report
 * lists the failures line by line.
 *
 * A line owns its steps and checkpoints and the errors of its branches (a fork that failed
 * before any path ran), but not the paths of its branches, which are lines of their own. So a
 * path whose nested path failed is a passing line itself: the failure is counted once, where
 * it happened.
 */
export interface JourneyLine {
  /** The journey's name for the main line, the path's qualified name for a path. */
  name: string;
  /** Absent for the main line. */
  path?: PathResult;
  /** `failed` when something on the line itself failed. */
  status: ResultStatus;
  /** The path's duration; for the main line, the sum of its own items. */
  durationMs: number;
  /** Steps and checkpoints, in order. */
  items: (StepResult | CheckpointResult)[];
  failures: Failure[];
  /** Why the line did not run, when it is skipped. */
  skipReason?: string;
}

/** The main line first, then every path depth-first in the order they appear. */
export function journeyLines(journey: JourneyResult): JourneyLine[] {
  const main = collect(journey.items);
  const subject = `journey '${journey.name}'`;
  if (journey.error !== undefined) main.failures.push({ subject, error: journey.error });
  if (journey.status === 'failed' && main.failures.length === 0 && !main.nestedFailed) {
    main.failures.push({ subject });
  }
  const line: JourneyLine = {
    name: journey.name,
    status: lineStatus(main.failures, journey.status),
    durationMs: main.items.reduce((sum, item) => sum + item.durationMs, 0),
    items: main.items,
    failures: main.failures,
  };
  if (journey.status === 'skipped') line.skipReason = journey.error?.message ?? 'not run';
  return [line, ...main.nested];
}

interface Collected {
  items: (StepResult | CheckpointResult)[];
  failures: Failure[];
  /** The lines of the paths of this line's branches, depth-first. */
  nested: JourneyLine[];
  nestedFailed: boolean;
}

function collect(items: readonly ItemResult[]): Collected {
  const collected: Collected = { items: [], failures: [], nested: [], nestedFailed: false };
  for (const item of items) {
    if (item.kind !== 'branch') {
      collected.items.push(item);
      if (item.status === 'failed') {
        const failure: Failure = { subject: `${item.kind} '${item.name}'` };
        if (item.error !== undefined) failure.error = item.error;
        if (item.kind === 'step') failure.step = item;
        collected.failures.push(failure);
      }
      continue;
    }
    if (item.error !== undefined) {
      collected.failures.push({
        subject: `branch from checkpoint '${item.checkpointName}'`,
        error: item.error,
      });
    }
    for (const path of item.paths) {
      if (path.status === 'failed') collected.nestedFailed = true;
      collected.nested.push(...pathLines(path));
    }
  }
  return collected;
}

function pathLines(path: PathResult): JourneyLine[] {
  const own = collect(path.items);
  const subject = `path '${path.qualifiedName}'`;
  if (path.error !== undefined) own.failures.push({ subject, error: path.error });
  if (path.status === 'failed' && own.failures.length === 0 && !own.nestedFailed) {
    own.failures.push({ subject });
  }
  const line: JourneyLine = {
    name: path.qualifiedName,
    path,
    status: lineStatus(own.failures, path.status),
    durationMs: path.durationMs,
    items: own.items,
    failures: own.failures,
  };
  if (path.status === 'skipped') line.skipReason = path.skipReason ?? 'not run';
  return [line, ...own.nested];
}

function lineStatus(failures: readonly Failure[], status: ResultStatus): ResultStatus {
  if (failures.length > 0) return 'failed';
  return status === 'skipped' ? 'skipped' : 'passed';
}

/**
 * Why a line failed, in one line for a terminal: the first failure's item and the first line
 * of its error (`create_order: expected status 201, got 500`), or undefined when nothing on
 * the line itself failed (a journey whose only failures are in its paths).
 *
 * @example
 * ```ts
 * const [main] = journeyLines(result);
 * if (main?.status === 'failed') console.log(`✗ ${result.name}: ${lineFailureReason(main)}`);
 * ```
 */
export function lineFailureReason(line: JourneyLine): string | undefined {
  const failure = line.failures[0];
  if (failure === undefined) return undefined;
  // The journey could not start (its API did not come up, …): the whole message, logs included.
  if (failure.subject.startsWith('journey ') && failure.error !== undefined) {
    return failure.error.message;
  }
  const message = failure.error?.message.split('\n')[0] ?? 'failed';
  // `step 'pay'` → `pay`; a path or journey failure (its API did not start, …) is the message.
  const item = /^(?:step|checkpoint) '(.*)'$/.exec(failure.subject)?.[1];
  if (item !== undefined) return `${item}: ${message}`;
  if (failure.subject.startsWith('branch from ')) return `${failure.subject}: ${message}`;
  return message;
}
