import type { HttpClient } from '../http/http-client.js';
import type { JourneyContext } from './journey-context.js';
import type { SourceLocation } from './source-location.js';

/**
 * The journey DSL's building blocks, as plain frozen objects so journeys can be built in any
 * module and inspected by the runner and reports. Build them with the functions in
 * `journey-builders.ts` (`Journey`, `Step`, `Checkpoint`, `Branch`, `Path`), which validate.
 */

/** Makes the step's HTTP calls; may store values in `ctx` for later steps. */
export type StepAction = (client: HttpClient, ctx: JourneyContext) => unknown;

/**
 * What a step must see. Without one, the step fails when its action throws or when the last
 * response it received has a status of 400 or more.
 */
export interface StepExpectation {
  /** The status (or one of the statuses) the step's last response must have. */
  status?: number | readonly number[];
  /** The step is meant to fail (a negative test): it passes when it would otherwise fail. */
  fails?: boolean;
}

/** A check of the action's return value, run after the action; throw to fail the step. */
export type StepCheck = (value: unknown, ctx: JourneyContext) => unknown;

export interface StepNode {
  readonly kind: 'step';
  readonly name: string;
  readonly action: StepAction;
  readonly expect?: StepExpectation | StepCheck;
  readonly description?: string;
  /** Where `Step()` was called, innermost user frame first (for annotations on failure). */
  readonly callSites?: readonly SourceLocation[];
}

export interface CheckpointNode {
  readonly kind: 'checkpoint';
  readonly name: string;
}

export interface BranchNode {
  readonly kind: 'branch';
  readonly checkpointName: string;
  readonly paths: readonly PathNode[];
}

export interface PathNode {
  readonly kind: 'path';
  readonly name: string;
  readonly steps: readonly JourneyItem[];
  readonly description?: string;
}

export type JourneyItem = StepNode | CheckpointNode | BranchNode;

export interface JourneyNode {
  readonly kind: 'journey';
  readonly name: string;
  readonly steps: readonly JourneyItem[];
  readonly description?: string;
  readonly tags?: readonly string[];
  /** Where `Journey()` was called: its module, whose lines a failed step's annotation prefers. */
  readonly callSite?: SourceLocation;
}

export function isJourney(value: unknown): value is JourneyNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'journey' &&
    Array.isArray((value as { steps?: unknown }).steps)
  );
}

/** True when the journey takes checkpoints or branches, so it needs a state manager. */
export function takesCheckpoints(journey: JourneyNode): boolean {
  return journey.steps.some((item) => item.kind !== 'step');
}
