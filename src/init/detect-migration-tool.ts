import { MIGRATION_DETECTORS, type MigrationToolGuess } from './migration-tools.js';
import type { ProjectSnapshot } from './project-snapshot.js';

/**
 * The migration tools the project uses, most likely first: a tool a package.json script calls
 * (`"migrate": "knex migrate:latest"`) ranks above one that is only a dependency, then more
 * evidence (config files) above less. Empty when none is found.
 */
export function detectMigrationTools(project: ProjectSnapshot): MigrationToolGuess[] {
  const scripts = Object.values(project.packageJson.scripts);
  const scored = MIGRATION_DETECTORS.flatMap((detect, order) => {
    const guess = detect(project);
    if (guess === undefined) return [];
    const called = scripts.some((s) => new RegExp(`(^|[\\s/])${guess.bin}(\\s|$)`).test(s));
    return [{ guess, score: (called ? 100 : 0) + guess.evidence.length, order }];
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.map(({ guess }) => guess);
}
