import path from 'node:path';
import type { EnvRecord } from '../config/interpolate.js';
import { redactText } from '../redaction/index.js';

/** How the readers of a compose file substitute variables and report a malformed value. */
export interface ComposeReaders {
  substitute: (value: string, at: readonly string[]) => string;
  malformed: (key: readonly string[], problem: string) => never;
}

/** What a service's `build:` says, as `docker compose build` reads it. */
export interface ComposeBuild {
  /** The context folder, absolute (relative to the compose file); null without `build:`. */
  build: string | null;
  /** `build.dockerfile`, absolute (compose resolves it against the context). */
  dockerfile: string | null;
  /** `build.args`, variables substituted; an arg with no value takes venomqa's environment's. */
  buildArgs: Record<string, string>;
  /** `build.target`: the stage to build. */
  target: string | null;
}

/**
 * Reads a service's `build`: a context path, or a mapping with `context`, `dockerfile`, `args`
 * (a mapping or a list of `KEY=value`; a bare `KEY` passes venomqa's environment through, and
 * is left out when unset there, as compose does with the shell's) and `target`. Other keys
 * (`network`, `labels`, `cache_from`, …) are not read. A remote context (a Git URL) is
 * malformed here: venomqa builds only local folders.
 */
export function readComposeBuild(
  value: unknown,
  directory: string,
  at: readonly string[],
  env: EnvRecord,
  readers: ComposeReaders,
): ComposeBuild {
  const { substitute, malformed } = readers;
  const none: ComposeBuild = { build: null, dockerfile: null, buildArgs: {}, target: null };
  if (value === undefined || value === null) return none;
  const name = at.join('.');
  let context: string;
  let contextAt = at;
  let dockerfile: string | null = null;
  let buildArgs: Record<string, string> = {};
  let target: string | null = null;
  if (typeof value === 'string') {
    context = substitute(value, at);
  } else if (isComposeMapping(value)) {
    const rawContext = value.context ?? '.';
    contextAt = [...at, 'context'];
    if (typeof rawContext !== 'string') {
      return malformed(contextAt, `${name}.context must be a path`);
    }
    context = substitute(rawContext, contextAt);
    dockerfile = optionalString(value.dockerfile, [...at, 'dockerfile'], 'a path', readers);
    target = optionalString(value.target, [...at, 'target'], 'a stage name', readers);
    buildArgs = readArgs(value.args, [...at, 'args'], env, readers);
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
    buildArgs,
    target: target === '' ? null : target,
  };
}

function optionalString(
  value: unknown,
  at: readonly string[],
  what: string,
  { substitute, malformed }: ComposeReaders,
): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return malformed(at, `${at.join('.')} must be ${what}`);
  return substitute(value, at);
}

function readArgs(
  value: unknown,
  at: readonly string[],
  env: EnvRecord,
  readers: ComposeReaders,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, raw] of readKeyValues(value, at, readers)) {
    const text = raw ?? env[name];
    if (text !== undefined) result[name] = text;
  }
  return result;
}

/**
 * The entries of a compose `environment` or `args`: a list of `KEY=value` / `KEY`, or a
 * mapping whose values are strings, numbers, booleans or empty. `undefined` marks a key given
 * without a value (the caller decides where its value comes from).
 */
export function readKeyValues(
  value: unknown,
  at: readonly string[],
  { substitute, malformed }: ComposeReaders,
): [string, string | undefined][] {
  const entries: [string, string | undefined][] = [];
  const name = at.join('.');
  if (value === undefined || value === null) return entries;
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) {
      if (typeof entry !== 'string') {
        return malformed([...at, String(index)], `${name} entries must be strings (KEY=value)`);
      }
      const text = substitute(entry, [...at, String(index)]);
      const equals = text.indexOf('=');
      entries.push(
        equals === -1 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)],
      );
    }
    return entries;
  }
  if (!isComposeMapping(value)) {
    return malformed(at, `${name} must be a list of KEY=value or a mapping`);
  }
  for (const [key, raw] of Object.entries(value)) {
    if (raw === null || raw === undefined) {
      entries.push([key, undefined]);
    } else if (typeof raw === 'string') {
      entries.push([key, substitute(raw, [...at, key])]);
    } else if (typeof raw === 'number' || typeof raw === 'boolean') {
      entries.push([key, String(raw)]);
    } else {
      return malformed([...at, key], `${name}.${key} must be a string, number or boolean`);
    }
  }
  return entries;
}

export function isComposeMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
