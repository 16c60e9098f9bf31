import type { SnapshotEngine } from '../snapshot/snapshot-engine.js';
import type { SnapshotRef } from '../snapshot/snapshot-types.js';
import type { StateManager } from '../state/state-manager.js';
import { TemplateStateManager } from '../state/template-state-manager.js';

/** Runs one journey with the state manager it gets, and cleans up after it. */
export type JourneyState = (
  run: (state: StateManager | undefined) => Promise<void>,
) => Promise<void>;

/** The user's database (`db_url`): checkpoints copy it, and it is put back after each journey. */
export function onUserDatabase(url: string, allowRemote: boolean): JourneyState {
  return async (run) => {
    const state = new TemplateStateManager({ connection_url: url, allow_remote: allowRemote });
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
export function onFreshDatabase(engine: SnapshotEngine, template?: SnapshotRef): JourneyState {
  return async (run) => {
    const working = template ? await engine.createClone(template) : await engine.createEmpty();
    const state = new TemplateStateManager({ connection_url: working.url });
    try {
      await state.connect();
      await run(state);
    } finally {
      try {
        await state.disconnect();
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
