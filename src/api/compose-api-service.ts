import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { EnvRecord } from '../config/interpolate.js';
import { redactText } from '../redaction/index.js';
import { TargetConfigError } from './target-errors.js';

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
  /**
   * `environment` (a list or a mapping), variables substituted, minus the per-path ones
   * (DATABASE_URL and PORT dropped, HOST as `{host}`). Build arguments are not read: the
   * docker target passes `BASE_IMAGE` from `server.base_image` itself.
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
 * dockerfile}`) and its `environment`. Only those keys are read; networking, ports, health
 * checks and `depends_on` are the docker target's business per path.
 *
 * Returns undefined when the file does not exist or has no `api` service. A file that is not
 * valid YAML, or whose `api` service has values of the wrong shape, is a
 * {@link TargetConfigError} naming the file, the line and the key.
 *
 * @example
 * ```ts
 * const api = await readComposeApiService('/repo/docker-compose.qa.yml', { env: process.env });
 * // { image: 'venomqa/shop-api:latest', build: '/repo/examples/shop',
 * //   dockerfile: '/repo/images/shop/Dockerfile', env: { HOST: '{host}' }, file: … }
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
  if (!isMapping(root)) return malformed([], 'the top level must be a mapping');
  const services = root.services;
  if (services === undefined || services === null) return undefined;
  if (!isMapping(services)) return malformed(['services'], 'services must be a mapping');
  const service = services[COMPOSE_API_SERVICE];
  if (service === undefined) return undefined;
  const key = (...rest: string[]): string[] => ['services', COMPOSE_API_SERVICE, ...rest];
  if (!isMapping(service)) {
    return malformed(key(), `services.${COMPOSE_API_SERVICE} must be a mapping`);
  }

  const directory = path.dirname(absolute);
  const substitute = (value: string, at: readonly string[]): string => {
    const result = substituteComposeVariables(value, env);
    if (result.problem !== undefined) malformed(at, `${at.join('.')}: ${result.problem}`);
    return result.value;
  };

  const { build, dockerfile } = readBuild(service.build, directory, key('build'), {
    substitute,
    malformed,
  });

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
    env: readEnvironment(service.environment, env, key('environment'), { substitute, malformed }),
  };
}

interface Readers {
  substitute: (value: string, at: readonly string[]) => string;
  malformed: (key: readonly string[], problem: string) => never;
}

function readBuild(
  value: unknown,
  directory: string,
  at: readonly string[],
  { substitute, malformed }: Readers,
): { build: string | null; dockerfile: string | null } {
  if (value === undefined || value === null) return { build: null, dockerfile: null };
  const name = at.join('.');
  let context: string;
  let contextAt = at;
  let dockerfile: string | null = null;
  if (typeof value === 'string') {
    context = substitute(value, at);
  } else if (isMapping(value)) {
    const rawContext = value.context ?? '.';
    contextAt = [...at, 'context'];
    if (typeof rawContext !== 'string')
      return malformed(contextAt, `${name}.context must be a path`);
    context = substitute(rawContext, contextAt);
    if (value.dockerfile !== undefined && value.dockerfile !== null) {
      if (typeof value.dockerfile !== 'string') {
        return malformed([...at, 'dockerfile'], `${name}.dockerfile must be a path`);
      }
      dockerfile = substitute(value.dockerfile, [...at, 'dockerfile']);
    }
  } else {
    return malformed(at, `${name} must be a path or a mapping with context and dockerfile`);
  }
  // The docker target sends a local folder to the daemon; it cannot fetch a Git repository.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@')) {
    return malformed(
      contextAt,
      `${contextAt.join('.')} is a remote context (${redactText(context)}); venomqa builds only local folders`,
    );
  }
  const absoluteContext = path.resolve(directory, context === '' ? '.' : context);
  return {
    build: absoluteContext,
    // Compose resolves the Dockerfile against the context, not against the compose file.
    dockerfile: dockerfile === null ? null : path.resolve(absoluteContext, dockerfile),
  };
}

function readEnvironment(
  value: unknown,
  env: EnvRecord,
  at: readonly string[],
  { substitute, malformed }: Readers,
): Record<string, string> {
  const result: Record<string, string> = {};
  const name = at.join('.');
  const put = (variable: string, raw: string | undefined): void => {
    if (Object.hasOwn(PER_PATH_VARIABLES, variable)) {
      const perPath = PER_PATH_VARIABLES[variable];
      if (perPath !== null && perPath !== undefined) result[variable] = perPath;
      return;
    }
    // `KEY` with no value passes the variable through from venomqa's environment, as compose
    // does from the shell's; unset there, it is left out.
    const text = raw ?? env[variable];
    if (text !== undefined) result[variable] = text;
  };
  if (value === undefined || value === null) return result;
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) {
      if (typeof entry !== 'string') {
        return malformed([...at, String(index)], `${name} entries must be strings (KEY=value)`);
      }
      const text = substitute(entry, [...at, String(index)]);
      const equals = text.indexOf('=');
      put(
        equals === -1 ? text : text.slice(0, equals),
        equals === -1 ? undefined : text.slice(equals + 1),
      );
    }
    return result;
  }
  if (!isMapping(value)) return malformed(at, `${name} must be a list of KEY=value or a mapping`);
  for (const [variable, raw] of Object.entries(value)) {
    if (raw === null || raw === undefined) {
      put(variable, undefined);
    } else if (typeof raw === 'string') {
      put(variable, substitute(raw, [...at, variable]));
    } else if (typeof raw === 'number' || typeof raw === 'boolean') {
      put(variable, String(raw));
    } else {
      return malformed(
        [...at, variable],
        `${name}.${variable} must be a string, number or boolean`,
      );
    }
  }
  return result;
}

/** Docker Compose's project name: `name:`, else COMPOSE_PROJECT_NAME, else the folder's name. */
function projectName(
  declared: unknown,
  env: EnvRecord,
  directory: string,
  substitute: Readers['substitute'],
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

interface Substituted {
  value: string;
  /** `${VAR:?message}` with VAR unset, or a `${` that does not close. */
  problem?: string;
}

const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([\s\S]*))?$/;

/**
 * Compose's interpolation: `${VAR}` and `$VAR` (unset gives ''), `${VAR:-default}` (unset or
 * empty), `${VAR-default}` (unset), `${VAR:?error}` / `${VAR?error}`, and `$$` for a literal `$`.
 */
export function substituteComposeVariables(text: string, env: EnvRecord): Substituted {
  let value = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      value += text.slice(index);
      break;
    }
    value += text.slice(index, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      value += '$';
      index = dollar + 2;
    } else if (next === '{') {
      const end = text.indexOf('}', dollar + 2);
      const match = end === -1 ? null : BRACED.exec(text.slice(dollar + 2, end));
      const variable = match?.[1];
      if (match === null || variable === undefined) {
        return {
          value,
          problem: `'${text.slice(dollar, end === -1 ? undefined : end + 1)}' is not a valid substitution (write $$ for a literal $)`,
        };
      }
      const [, , operator, argument = ''] = match;
      const current = env[variable];
      const missing = operator?.startsWith(':')
        ? current === undefined || current === ''
        : current === undefined;
      if (operator !== undefined && operator.endsWith('?') && missing) {
        return {
          value,
          problem: `variable ${variable} is required${argument === '' ? '' : `: ${argument}`}`,
        };
      }
      value +=
        operator !== undefined && operator.endsWith('-') && missing ? argument : (current ?? '');
      index = end + 1;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(dollar + 1))?.[0];
      if (name === undefined) {
        value += '$';
        index = dollar + 1;
      } else {
        value += env[name] ?? '';
        index = dollar + 1 + name.length;
      }
    }
  }
  return { value };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
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
