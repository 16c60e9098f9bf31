import { detectEnvVariables, type EnvVariable } from './detect-env-variables.js';
import { detectHealthPath } from './detect-health-path.js';
import { detectMigrationTools } from './detect-migration-tool.js';
import { detectStartCommand } from './detect-start-command.js';
import type { MigrationToolGuess } from './migration-tools.js';
import { dependsOn, firstFile, type ProjectSnapshot } from './project-snapshot.js';

/** What `venomqa init` will write, and what it guessed to get there. */
export interface InitPlan {
  readonly api: {
    readonly command: readonly string[];
    /** `api.env`: the app's own variable names mapped to `{port}`, `{database_url}`, `{host}`. */
    readonly env: Readonly<Record<string, string>>;
    readonly health: string;
  };
  /** `setup:` for the migrations; undefined when no migration tool was found. */
  readonly setup:
    { readonly command: readonly string[]; readonly inputs: readonly string[] } | undefined;
  /** The migration tool used for `setup`, and others found beside it. */
  readonly migrationTool: MigrationToolGuess | undefined;
  readonly otherMigrationTools: readonly MigrationToolGuess[];
  /** Variables the app reads that venomqa cannot fill in (secrets, other services). */
  readonly otherVariables: readonly EnvVariable[];
  /** The example journey, relative to the project (`journeys/example.journey.mjs`). */
  readonly journeyFile: string;
  /** One line per guess: what init decided and from what. */
  readonly guessed: readonly string[];
  /** One line per thing the user should check or change. */
  readonly checks: readonly string[];
}

/** Choices that replace a guess (from the CLI's questions or flags). */
export interface InitChoices {
  readonly command?: readonly string[];
  readonly health?: string;
}

/**
 * Decide what to write from what the project shows: the start command, the variables the app
 * reads for its port, database and address, its health route and its migration tool.
 */
export function planInit(project: ProjectSnapshot, choices: InitChoices = {}): InitPlan {
  const guessed: string[] = [];
  const checks: string[] = [];

  const start = detectStartCommand(project);
  const command = choices.command ?? start.command;
  guessed.push(
    `api.command: ${command.join(' ')} (${choices.command ? 'your answer' : `from ${start.source}`})`,
  );
  if (!choices.command) checks.push(...start.notes);

  const variables = detectEnvVariables(project);
  const env: Record<string, string> = {};
  const fill = (role: EnvVariable['role'], placeholder: string, fallback: string | undefined) => {
    const names = variables.filter((v) => v.role === role);
    for (const v of names) {
      env[v.name] = placeholder;
      guessed.push(`api.env.${v.name}: '${placeholder}' (read in ${v.file})`);
    }
    if (names.length === 0 && fallback !== undefined) {
      env[fallback] = placeholder;
      checks.push(
        `no ${role === 'port' ? 'port' : 'database URL'} variable found in the source: venomqa sets ${fallback}; make the app ${role === 'port' ? 'listen on it' : 'connect to it'}`,
      );
    }
  };
  fill('port', '{port}', 'PORT');
  fill('database_url', '{database_url}', 'DATABASE_URL');
  fill('host', '{host}', undefined);
  const parts = variables.filter((v) => v.role === 'database_part');
  if (parts.length > 0) {
    checks.push(
      `the app reads ${parts.map((v) => v.name).join(', ')}: venomqa gives each API instance its own database as one URL ({database_url}); make the app use a URL variable when one is set`,
    );
  }
  const otherVariables = variables.filter((v) => v.role === 'other');
  if (otherVariables.length > 0) {
    checks.push(
      `the app also reads ${otherVariables.map((v) => v.name).join(', ')}: set the ones it needs under api.env (they are listed there, commented out)`,
    );
  }

  const health = choices.health ?? detectHealthPath(project);
  const healthPath = typeof health === 'string' ? health : health.path;
  if (typeof health === 'string') guessed.push(`api.health: ${healthPath} (your answer)`);
  else if (health.file !== undefined)
    guessed.push(`api.health: ${healthPath} (a route in ${health.file})`);
  else {
    checks.push(
      'no health route found: api.health is /, which the example journey also GETs; point both at a route that answers 200 once the app is ready',
    );
  }

  const [tool, ...others] = detectMigrationTools(project);
  if (tool === undefined) {
    checks.push(
      'no migration tool found: set setup.command to what creates your schema in an empty database, or remove setup:',
    );
  } else {
    guessed.push(
      `setup.command: ${tool.command.join(' ')} (${tool.tool}: ${tool.evidence.join(', ')})`,
    );
    checks.push(...tool.notes);
    if (others.length > 0) {
      checks.push(
        `also found ${others.map((o) => o.tool).join(', ')}: setup runs ${tool.tool} only`,
      );
    }
  }

  const typescript =
    dependsOn(project, 'typescript') || firstFile(project, ['tsconfig.json']) !== undefined;
  return {
    api: { command, env, health: healthPath },
    setup: tool === undefined ? undefined : { command: tool.command, inputs: tool.inputs },
    migrationTool: tool,
    otherMigrationTools: others,
    otherVariables,
    journeyFile: `journeys/example.journey.${typescript ? 'ts' : 'mjs'}`,
    guessed,
    checks,
  };
}
