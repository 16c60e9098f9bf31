import type { SnapshotEngine } from '../snapshot/snapshot-engine.js';
import type { SnapshotRef } from '../snapshot/snapshot-types.js';
import type { StateManager } from '../state/state-manager.js';
import type { BranchingStateFactory } from './branching-state.js';

/** Runs one journey with the state manager it gets, and cleans up after it. */
export type JourneyState = (
  run: (state: StateManager | undefined) => Promise<void>,
) => Promise<void>;

/** The user's database (`db_url`): checkpoints copy it, and it is put back after each journey. */
export function onUserDatabase(url: string, makeState: BranchingStateFactory): JourneyState {
  return async (run) => {
    const state = await makeState(url);
    await state.connect();
    try {
      await run(state);
      await state.reset();
    } finally {
      await state.disconnect();
    }
  };
}

/**
 * A new run-owned database per journey, dropped after it: a clone of the setup template when
 * there is one (the migrated schema), else empty.
 */
export function onFreshDatabase(
  engine: SnapshotEngine,
  makeState: BranchingStateFactory,
  template?: SnapshotRef,
): JourneyState {
  return async (run) => {
    const working = template ? await engine.createClone(template) : await engine.createEmpty();
    let state: StateManager | undefined;
    try {
      state = await makeState(working.url);
      await state.connect();
      await run(state);
    } finally {
      try {
        await state?.disconnect();
      } finally {
        await working.drop();
      }
    }
  };
}

/** The shared API's own database (or none), reset after each journey. */
export function resettingAfter(state: StateManager | undefined): JourneyState {
  return async (run) => {
    await run(state);
    await state?.reset();
  };
}
