/**
 * venomqa: stateful API testing with PostgreSQL database branching.
 *
 * The root holds what journeys, scripts and reports are written with, and imports light (no
 * database, Docker or config-file libraries until something needs them). Everything else has
 * its own entry: `venomqa/state` (state backends and their registry), `venomqa/snapshot`,
 * `venomqa/server`, `venomqa/config`, `venomqa/api`, `venomqa/docker`, `venomqa/report`,
 * `venomqa/http`, `venomqa/journey`, `venomqa/runner`, `venomqa/run`, `venomqa/errors`.
 *
 * @example
 * import { Journey, Step } from 'venomqa';
 * export default Journey({
 *   name: 'health',
 *   steps: [Step({ name: 'ping', action: (api) => api.get('/health'), expect: { status: 200 } })],
 * });
 */

// Journeys
export { Branch, Checkpoint, Journey, Path, Step, type StepOptions } from './journey/index.js';
export type {
  JourneyContext,
  JourneyItem,
  JourneyNode,
  StepAction,
  StepNode,
} from './journey/index.js';
export {
  HttpClient,
  // VenomQA's name for it: `new JourneyRunner({ client: new Client({ baseUrl }), stateManager })`.
  HttpClient as Client,
  HttpResponse,
  type HttpClientOptions,
  type RequestOptions,
} from './http/index.js';

// Running them
export { JourneyRunner, type JourneyRunnerOptions, type RunnerEvent } from './runner/index.js';
export {
  loadJourneys,
  runJourneys,
  type LoadedJourney,
  type RunJourneysOptions,
} from './run/index.js';
export type { QAConfig, ResolvedConfig } from './config/index.js';

// Results
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
} from './runner/index.js';

// Errors
export { ExitCode, VenomQAError, isVenomQAError } from './errors/index.js';
