import { isTestFile, type ProjectSnapshot } from './project-snapshot.js';

/** Health routes by how surely they mean "the API is up", most sure first. */
const HEALTH_PATHS = [
  '/health',
  '/healthz',
  '/healthcheck',
  '/health-check',
  '/api/health',
  '/api/healthz',
  '/_health',
  '/livez',
  '/readyz',
  '/ping',
  '/status',
  '/api/status',
];

/** A health route the app's source defines, and the file it is in. */
export interface HealthPathGuess {
  readonly path: string;
  /** undefined when no route was found and `/` is the fallback. */
  readonly file: string | undefined;
}

/**
 * The app's health route: the surest of the usual names found as a string literal in its
 * source (`app.get('/health', …)`; tests and journeys left out), else `/`.
 */
export function detectHealthPath(project: ProjectSnapshot): HealthPathGuess {
  for (const candidate of HEALTH_PATHS) {
    const literal = new RegExp(`['"\`]${candidate.replace(/[/-]/g, '\\$&')}['"\`]`);
    for (const [file, text] of project.sources) {
      if (!file.endsWith('.json') && !isTestFile(file) && literal.test(text))
        return { path: candidate, file };
    }
  }
  return { path: '/', file: undefined };
}
