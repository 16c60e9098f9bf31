export { Journey, Step, Checkpoint, Branch, Path, type StepOptions } from './journey-builders.js';
export type {
  BranchNode,
  CheckpointNode,
  JourneyItem,
  JourneyNode,
  PathNode,
  StepAction,
  StepCheck,
  StepExpectation,
  StepNode,
} from './journey-nodes.js';
export { isJourney } from './journey-nodes.js';
export { JourneyContext, ContextKeyMissingError } from './journey-context.js';
export { JourneyDefinitionError } from './journey-errors.js';
