import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { EnvRecord } from '../config/interpolate.js';
import { redactText } from '../redaction/index.js';
import {
  isComposeMapping,
  readComposeBuild,
  readKeyValues,
  type ComposeReaders,
} from './compose-build.js';
import { substituteComposeVariables } from './compose-variables.js';
import { TargetConfigError } from './target-errors.js';

export { substituteComposeVariables } from './compose-variables.js';

/** The compose service `api.mode: docker` starts per path when `api.image` is not set. */
export const COMPOSE_API_SERVICE = 'api';

/**
 * Variables of the compose service that venomqa sets per path, so the dev loop's values (its
 * one database, its fixed port) never reach a path's container. DATABASE_URL and PORT are
 * dropped: the docker target always sets them. HOST becomes `{host}` (127.0.0.1 with host
 * networking, 0.0.0.0 in a bridge), so an API told where to listen keeps listening on loopback
 * instead of falling back to its image's default.
 */
const PER_PATH_VARIABLES: Readonly<Record<string, string | null>> = {
  DATABASE_URL: null,
  PORT: null,
  HOST: '{host}',
};

/** What the `api` service of a compose file says about starting the API. */
export interface ComposeApiService {
  /** The compose file, absolute. */
  file: string;
  /**
   * `image`, or when the service only has `build`, the name Docker Compose v2 gives its image
   * (`<project>-api`), so an image built by `docker compose build` is reused.
   */
  image: string;
  /** The build context, absolute (relative contexts are relative to the compose file). */
  build: string | null;
  /** `build.dockerfile`, absolute (compose resolves it against the context). */
  dockerfile: string | null;
  /** `build.args`, variables substituted (see {@link readComposeBuild}). */
  buildArgs: Record<string, string>;
  /** `build.target`: the stage `docker compose build` builds. */
  target: string | null;
  /**
   * `environment` (a list or a mapping), variables substituted, minus the per-path ones
   * (DATABASE_URL and PORT dropped, HOST as `{host}`).
   */
  env: Record<string, string>;
}

export interface ReadComposeApiServiceOptions {
  /**
   * Variables for `${VAR}`, `${VAR:-default}` and `$VAR` in the values read (compose's own
   * rules: unset is empty, `$$` is a literal `$`). Compose's `.env` file is not read.
   */
  env?: EnvRecord;
}

/**
 * Reads the `api` service of a docker compose file (`docker_compose_file`), the way
 * `docker compose` would start it: its `image`, its `build` (a path, or `{context,
 * dockerfile, args, target}`, built as `docker compose build api` would) and its
 * `environment`. Only those keys are read; networking, ports, health checks and `depends_on`
 * are the docker target's business per path.
 *
 * Returns undefined when the file does not exist or has no `api` service. A file that is not
 * valid YAML, or whose `api` service has values of the wrong shape, is a
 * {@link TargetConfigError} naming the file, the line and the key.
 *
 * @example
 * ```ts
 * const api = await readComposeApiService('/repo/docker-compose.qa.yml', { env: process.env });
 * // { image: 'venomqa/shop-api:latest', build: '/repo/examples/shop',
 * //   dockerfile: '/repo/images/shop/Dockerfile', buildArgs: { BASE_IMAGE: 'debian:trixie-slim' },
 * //   target: null, env: { HOST: '{host}' }, file: … }
 * ```
 */
export async function readComposeApiService(
  file: string,
  options: ReadComposeApiServiceOptions = {},
): Promise<ComposeApiService | undefined> {
  const env = options.env ?? process.env;
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new TargetConfigError(
      `Cannot read the docker compose file ${absolute} (${code ?? 'read failed'})`,
      { cause: error, hint: 'Check docker_compose_file in venomqa.yaml, or set api.image.' },
    );
  }

  const lines = new LineCounter();
  // prettyErrors off: the pretty form quotes the source line, which may hold a password.
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const where = (offset: number | undefined): string => {
    if (offset === undefined) return absolute;
    const { line, col } = lines.linePos(offset);
    return `${absolute}:${line}:${col}`;
  };
  const malformed = (key: readonly string[], problem: string, cause?: unknown): never => {
    throw new TargetConfigError(
      `The docker compose file ${where(offsetOf(document, key))} is malformed: ${problem}`,
      {
        ...(cause === undefined ? {} : { cause }),
        hint: `Fix it (\`docker-compose -f ${absolute} config\` checks it), point docker_compose_file elsewhere, or set api.image.`,
      },
    );
  };

  const [syntaxError] = document.errors;
  if (syntaxError !== undefined) {
    throw new TargetConfigError(
      `The docker compose file ${where(syntaxError.pos[0])} is not valid YAML: ${redactText(syntaxError.message)}`,
      { hint: 'Fix the YAML at the position shown, or point docker_compose_file elsewhere.' },
    );
  }
  let root: unknown;
  try {
    root = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return malformed([], `cannot resolve its YAML: ${redactText((error as Error).message)}`, error);
  }
  if (root === null || root === undefined) return undefined;
  if (!isComposeMapping(root)) return malformed([], 'the top level must be a mapping');
  const services = root.services;
  if (services === undefined || services === null) return undefined;
  if (!isComposeMapping(services)) return malformed(['services'], 'services must be a mapping');
  const service = services[COMPOSE_API_SERVICE];
  if (service === undefined) return undefined;
  const key = (...rest: string[]): string[] => ['services', COMPOSE_API_SERVICE, ...rest];
  if (!isComposeMapping(service)) {
    return malformed(key(), `services.${COMPOSE_API_SERVICE} must be a mapping`);
  }

  const directory = path.dirname(absolute);
  const substitute = (value: string, at: readonly string[]): string => {
    const result = substituteComposeVariables(value, env);
    if (result.problem !== undefined) malformed(at, `${at.join('.')}: ${result.problem}`);
    return result.value;
  };

  const { build, dockerfile, buildArgs, target } = readComposeBuild(
    service.build,
    directory,
    key('build'),
    env,
    { substitute, malformed },
  );

  let image: string;
  if (service.image === undefined || service.image === null) {
    if (build === null) {
      return malformed(key(), `services.${COMPOSE_API_SERVICE} has neither image nor build`);
    }
    image = `${projectName(root.name, env, directory, substitute)}-${COMPOSE_API_SERVICE}`;
  } else if (typeof service.image !== 'string') {
    return malformed(key('image'), `services.${COMPOSE_API_SERVICE}.image must be a string`);
  } else {
    image = substitute(service.image, key('image')).trim();
    if (image === '') {
      return malformed(key('image'), `services.${COMPOSE_API_SERVICE}.image is empty`);
    }
  }

  return {
    file: absolute,
    image,
    build,
    dockerfile,
    buildArgs,
    target,
    env: readEnvironment(service.environment, env, key('environment'), { substitute, malformed }),
  };
}

function readEnvironment(
  value: unknown,
  env: EnvRecord,
  at: readonly string[],
  readers: ComposeReaders,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [variable, raw] of readKeyValues(value, at, readers)) {
    if (Object.hasOwn(PER_PATH_VARIABLES, variable)) {
      const perPath = PER_PATH_VARIABLES[variable];
      if (perPath !== null && perPath !== undefined) result[variable] = perPath;
      continue;
    }
    // `KEY` with no value passes the variable through from venomqa's environment, as compose
    // does from the shell's; unset there, it is left out.
    const text = raw ?? env[variable];
    if (text !== undefined) result[variable] = text;
  }
  return result;
}

/** Docker Compose's project name: `name:`, else COMPOSE_PROJECT_NAME, else the folder's name. */
function projectName(
  declared: unknown,
  env: EnvRecord,
  directory: string,
  substitute: ComposeReaders['substitute'],
): string {
  const raw =
    typeof declared === 'string'
      ? substitute(declared, ['name'])
      : (env.COMPOSE_PROJECT_NAME ?? path.basename(directory));
  // The normalisation compose applies: lower case, only letters, digits, '-' and '_'.
  const normalised = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
  return normalised === '' ? 'default' : normalised;
}

/** Where the value at `key` starts in the source, for `file:line:col` in errors. */
function offsetOf(document: Document, key: readonly string[]): number | undefined {
  for (let length = key.length; length >= 0; length--) {
    const node: unknown =
      length === 0 ? document.contents : document.getIn(key.slice(0, length), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range !== undefined) return range[0];
  }
  return undefined;
}
