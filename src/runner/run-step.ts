import type { StepNode } from '../journey/journey-nodes.js';
import { checkStep } from './check-step.js';
import { toErrorInfo } from './error-info.js';
import type { JourneyLine } from './journey-line.js';
import type { StepResult } from '../result/run-result.js';
import type { RunAbort } from './run-abort.js';

/** Wait before reading a failed step's API logs, so the line about its last request is in. */
const LOG_SETTLE_MS = 100;

export interface StepLogs {
  /** Attach the API's last `lines` lines to a failed step (0: none). */
  lines: number;
  /** The journey's module: a step built by a helper elsewhere is placed at its call there. */
  journeyFile?: string | undefined;
}

/**
 * Run one step on a line: its action, then its expectation against what the action returned
 * (or its last response). A step aborted mid-request by fail_fast or Ctrl-C is skipped, even a
 * negative test, since its failure is not the step's fault.
 */
export async function runStep(
  step: StepNode,
  line: JourneyLine,
  abort: RunAbort,
  logs: StepLogs,
): Promise<StepResult> {
  const startedAt = new Date().toISOString();
  const began = performance.now();
  let outcome: { value?: unknown; error?: unknown };
  try {
    outcome = { value: await step.action(line.client, line.ctx) };
  } catch (error) {
    outcome = { error };
  }
  const exchanges = line.client.takeHistory();
  const failure =
    outcome.error !== undefined && abort.aborted
      ? outcome.error
      : await checkStep(step, outcome, exchanges, line.ctx);
  const result: StepResult = {
    kind: 'step',
    name: step.name,
    status: failure === undefined ? 'passed' : 'failed',
    startedAt,
    durationMs: performance.now() - began,
    exchanges,
  };
  const location =
    step.callSites?.find((site) => site.file === logs.journeyFile) ?? step.callSites?.[0];
  if (location) result.location = { ...location };
  if (failure === undefined) return result;
  if (abort.aborted) {
    result.status = 'skipped';
    result.error = { message: abort.reason };
    return result;
  }
  result.error = toErrorInfo(failure);
  if (logs.lines > 0) {
    // The API logs a request after answering it; give that line a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, LOG_SETTLE_MS));
    result.logs = await line.instance.logs(logs.lines).catch(() => []);
  }
  abort.noteFailure();
  return result;
}
