import { firstFile, type ProjectSnapshot } from './project-snapshot.js';
import { scriptArgv } from './script-argv.js';

/** How the API starts, as `api.command`, and why init thinks so. */
export interface StartCommandGuess {
  readonly command: readonly string[];
  /** Where it came from, for the summary: `scripts.start`, `main`, … */
  readonly source: string;
  /** What the user should check. */
  readonly notes: readonly string[];
}

/** Runners that restart on file changes: a test run wants one plain process. */
const WATCHERS = new Set(['nodemon', 'node-dev', 'ts-node-dev', 'tsnd']);

/**
 * `api.command` from package.json: the start script when it is one plain command (run directly,
 * so signals reach the app and no npm sits in between), else `npm start`; without a start
 * script, `node <main>` or a conventional entry file.
 */
export function detectStartCommand(project: ProjectSnapshot): StartCommandGuess {
  const { scripts, main } = project.packageJson;
  const start = scripts.start;
  if (start !== undefined) {
    const argv = scriptArgv(start);
    if (argv === undefined) {
      return {
        command: ['npm', 'start'],
        source: 'scripts.start (needs a shell, so through npm)',
        notes: [
          `package.json's start script \`${start}\` needs a shell: api.command runs it as \`npm start\`; a plain \`node <entry>\` starts faster and stops cleaner`,
        ],
      };
    }
    const [program = ''] = argv;
    if (WATCHERS.has(program)) {
      return {
        command: ['node', ...argv.slice(1)],
        source: `scripts.start without ${program}`,
        notes: [
          `the start script runs ${program}, which restarts on changes: api.command runs the entry with plain node; use tsx or a built file if it is TypeScript`,
        ],
      };
    }
    return { command: argv, source: 'scripts.start', notes: [] };
  }
  if (main !== undefined) {
    return { command: ['node', main], source: 'main', notes: [] };
  }
  const entry = firstFile(project, [
    'server.js',
    'app.js',
    'index.js',
    'src/server.js',
    'src/index.js',
    'src/main.js',
  ]);
  if (entry !== undefined) {
    return {
      command: ['node', entry],
      source: entry,
      notes: ['package.json has no start script: check that api.command starts the API'],
    };
  }
  return {
    command: ['npm', 'start'],
    source: 'nothing found',
    notes: ['no start script, main or server file found: set api.command to what starts the API'],
  };
}
