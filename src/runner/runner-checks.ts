import type { Target } from '../api/target.js';
import { takesCheckpoints, type JourneyNode } from '../journey/journey-nodes.js';
import { isBranchingStateManager, type StateManager } from '../state/state-manager.js';
import { RunnerConfigError, SavepointWithExternalApiError } from './runner-errors.js';

export interface RunnerCombination {
  target: Target;
  state: StateManager | undefined;
  parallelPaths: number;
  apiSharesConnection: boolean;
}

/**
 * Refuse, before anything starts, settings that cannot work together: parallel paths against
 * one shared API, per-path APIs without a backend that clones databases, and SAVEPOINTs with an
 * API that writes through connections of its own (DESIGN point 4: its writes would never be
 * rolled back, and every later path would silently see them).
 */
export function checkRunnerCombination(combination: RunnerCombination): void {
  const { target, state, parallelPaths } = combination;
  if (target.isolation === 'shared' && parallelPaths > 1) {
    throw new RunnerConfigError(
      `parallel_paths is ${parallelPaths}, but api.mode '${target.mode}' has one API for every path, so paths must run one after another`,
      {
        hint: 'Set api.mode to process (with api.command) or docker (with api.image): each path then gets its own database and API, and paths run at once. Or set parallel_paths: 1.',
      },
    );
  }
  if (target.isolation === 'per-path' && (!state || !isBranchingStateManager(state))) {
    throw new RunnerConfigError(
      `api.mode '${target.mode}' gives every path its own database clone, which needs the template-clone backend`,
      {
        hint: 'Use db_backend: postgresql with strategy: template (SAVEPOINTs cannot give each path its own database), or api.mode: shared.',
      },
    );
  }
  if (
    target.isolation === 'shared' &&
    state?.rollbackReach === 'own-connection' &&
    !combination.apiSharesConnection
  ) {
    throw new SavepointWithExternalApiError();
  }
}

/** A journey that takes checkpoints needs a state manager. */
export function checkJourney(journey: JourneyNode, state: StateManager | undefined): void {
  if (!state && takesCheckpoints(journey)) {
    throw new RunnerConfigError(
      `Journey '${journey.name}' takes checkpoints, but the runner has no state manager`,
      { hint: 'Pass stateManager (for example new TemplateStateManager({ connection_url })).' },
    );
  }
}
