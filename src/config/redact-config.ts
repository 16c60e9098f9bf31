import { REDACTED, isSecretEnvName, redactText, redactUrlsIn } from '../redaction/index.js';
import { deepFreeze } from './deep-freeze.js';
import type { ResolvedConfig } from './schema.js';

/**
 * A copy of `config` safe to print: every URL without its password (`db_url`, `base_url`, URLs
 * inside `api.env` or `api.command`), `server.password` as `***`, and every `api.env` value
 * whose name looks secret (`pass`, `secret`, `token`, `key`) masked. The known passwords
 * (`server.password`, the one in `db_url`) are also removed from `api.env` values and
 * `api.command`, where an API's own settings tend to repeat them.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(redactConfig(config), null, 2));
 * ```
 */
export function redactConfig(config: ResolvedConfig): ResolvedConfig {
  const secrets: string[] = [];
  if (config.server.password !== null) secrets.push(config.server.password);
  const dbPassword = config.db_url === null ? '' : passwordOf(config.db_url);
  if (dbPassword !== '') secrets.push(dbPassword);

  // Only URLs are rewritten elsewhere: replacing a short password everywhere would also
  // mangle image names and database names that happen to contain it.
  const copy = mapStrings(config, redactUrlsIn) as {
    server: { password: string | null };
    api: { env: Record<string, string>; command: string | string[] | null };
  };
  if (copy.server.password !== null) copy.server.password = REDACTED;
  for (const [name, value] of Object.entries(copy.api.env)) {
    copy.api.env[name] = isSecretEnvName(name) ? REDACTED : redactText(value, secrets);
  }
  copy.api.command = mapStrings(copy.api.command, (text) => redactText(text, secrets)) as
    string | string[] | null;
  return deepFreeze(copy as unknown as ResolvedConfig);
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item: unknown) => mapStrings(item, map));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, mapStrings(child, map)]),
    );
  }
  return value;
}
