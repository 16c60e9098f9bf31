// venomqa/journey: the journey DSL and the tree it builds.
export { Branch, Checkpoint, Journey, Path, Step, type StepOptions } from './journey-builders.js';
export {
  isJourney,
  type BranchNode,
  type CheckpointNode,
  type JourneyItem,
  type JourneyNode,
  type PathNode,
  type StepAction,
  type StepCheck,
  type StepExpectation,
  type StepNode,
} from './journey-nodes.js';
export { JourneyContext } from './journey-context.js';
export { ContextKeyMissingError, JourneyDefinitionError } from './journey-errors.js';
export type { SourceLocation } from './source-location.js';
