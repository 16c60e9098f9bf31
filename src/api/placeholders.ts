/** What `{database_url}`, `{port}` and `{host}` stand for in `api.env` values and `api.command`. */
export interface PlaceholderValues {
  /** The database URL of this instance (its own clone). */
  database_url: string;
  /** The port the API must listen on. */
  port: string;
  /** The address the API must listen on: 127.0.0.1, or 0.0.0.0 inside a bridge container. */
  host: string;
}

const PLACEHOLDER = /\{(database_url|port|host)\}/g;

/**
 * Replace `{database_url}`, `{port}` and `{host}` in one string. Any other `{…}` is left as
 * written, so JSON in an environment value survives.
 *
 * @example
 * ```ts
 * substitutePlaceholders('--listen={host}:{port}', { database_url: '…', port: '4100', host: '127.0.0.1' });
 * // '--listen=127.0.0.1:4100'
 * ```
 */
export function substitutePlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER, (_match, name: keyof PlaceholderValues) => values[name]);
}

/**
 * The environment of one API instance: `DATABASE_URL` and `PORT` (unless `api.env` sets them,
 * for an API that reads other names or wants a fixed value), then `api.env` with placeholders
 * replaced.
 */
export function instanceEnvironment(
  apiEnv: Readonly<Record<string, string>>,
  values: PlaceholderValues,
): Record<string, string> {
  const env: Record<string, string> = { DATABASE_URL: values.database_url, PORT: values.port };
  for (const [name, value] of Object.entries(apiEnv)) {
    env[name] = substitutePlaceholders(value, values);
  }
  return env;
}

/**
 * The password of a database URL in the forms it may be printed in, for `redactText`: an API
 * that logs its settings must not put it in an error or a report.
 */
export function secretsOf(databaseUrl: string): string[] {
  try {
    const password = new URL(databaseUrl).password;
    if (password === '') return [];
    try {
      return [password, decodeURIComponent(password)];
    } catch {
      return [password];
    }
  } catch {
    return [];
  }
}
