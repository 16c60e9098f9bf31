import type { StateBackendInfo, StateBackendSource } from './state-backend.js';

/** Stronger sources win a name: code > `state_backends` in venomqa.yaml > built-in > package. */
const SOURCE_RANK: Readonly<Record<StateBackendSource, number>> = {
  package: 0,
  builtin: 1,
  config: 2,
  code: 3,
};

/**
 * Whether a new registration replaces the one already holding its name. A weaker source never
 * does; neither does a second installed package, because packages are found nearest
 * `node_modules` first and the first one found keeps the name (as Node resolves).
 */
export function replaces(incoming: StateBackendInfo, existing: StateBackendInfo): boolean {
  if (existing.source === 'package' && incoming.source === 'package') return false;
  return SOURCE_RANK[incoming.source] >= SOURCE_RANK[existing.source];
}
