// venomqa/init: what `venomqa init` does, as functions: read an existing Node API project,
// guess how to start, migrate and reach it, and write venomqa.yaml and an example journey.
export { InitFileExistsError, InitProjectError } from './init-errors.js';
export { readProject } from './read-project.js';
export { projectSnapshot, type PackageJson, type ProjectSnapshot } from './project-snapshot.js';
export { detectStartCommand, type StartCommandGuess } from './detect-start-command.js';
export { detectMigrationTools } from './detect-migration-tool.js';
export {
  MIGRATION_TOOLS,
  type MigrationToolGuess,
  type MigrationToolName,
} from './migration-tools.js';
export {
  detectEnvVariables,
  variableRole,
  type EnvVariable,
  type VariableRole,
} from './detect-env-variables.js';
export { detectHealthPath, type HealthPathGuess } from './detect-health-path.js';
export { planInit, type InitChoices, type InitPlan } from './init-plan.js';
export { renderConfig } from './render-config.js';
export { renderJourney } from './render-journey.js';
export {
  existingInitFiles,
  writeInitFiles,
  type WriteInitFilesOptions,
  type WrittenInitFiles,
} from './write-init-files.js';
export { scriptArgv } from './script-argv.js';
