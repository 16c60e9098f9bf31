import { redactUrl } from '../redaction/index.js';
import { StateConfigError } from './state-errors.js';

/** What a `mysql://` URL says, in the shape `mysql2`'s `createConnection` takes. */
export interface MySQLConnectionSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  charset?: string;
  timezone?: string;
  connectTimeout?: number;
  socketPath?: string;
  ssl?: { rejectUnauthorized: boolean };
}

/** The query options a MySQL/MariaDB URL may carry, and what each sets. */
export const MYSQL_URL_OPTIONS: Readonly<Record<string, string>> = Object.freeze({
  charset: 'connection character set and collation, e.g. utf8mb4 or UTF8MB4_UNICODE_CI',
  timezone: "time zone for DATETIME values: 'local', 'Z' or '+HH:MM'",
  connectTimeout: 'milliseconds to wait for the connection (mysql2 default 10000)',
  socketPath: 'a Unix socket to use instead of host and port',
  ssl: "'true' (verified TLS), 'false' (none) or 'insecure' (TLS without verifying the certificate)",
});

const DEFAULT_PORT = 3306;

/**
 * Parse `mysql://user:password@host:port/database?charset=utf8mb4` (or `mariadb://…`) into
 * connection settings. User, password and database are percent-decoded (a password with `@`
 * is written `%40`); an IPv6 host is written in brackets (`[::1]`). Host defaults to
 * `localhost`, port to 3306. The database is required. An unknown query option is an error
 * listing the supported ones ({@link MYSQL_URL_OPTIONS}), never silently ignored.
 *
 * @example
 * ```ts
 * parseMySQLUrl('mysql://qa:p%40ss@127.0.0.1:3390/app?charset=utf8mb4');
 * // { host: '127.0.0.1', port: 3390, user: 'qa', password: 'p@ss', database: 'app', charset: 'utf8mb4' }
 * ```
 */
export function parseMySQLUrl(url: string): MySQLConnectionSettings {
  if (typeof url !== 'string' || url === '') {
    throw new StateConfigError(
      'The MySQL backend needs connection_url, e.g. mysql://user:password@localhost:3306/app',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new StateConfigError(`connection_url is not a URL: ${redactUrl(url)}`, {
      cause: error,
      hint: 'Percent-encode special characters in the password (@ as %40, / as %2F, # as %23).',
    });
  }
  const shown = redactUrl(url);
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new StateConfigError(
      `connection_url must start with mysql:// or mariadb://, got ${shown}`,
    );
  }
  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part);
    } catch (error) {
      throw new StateConfigError(`connection_url has a badly percent-encoded ${what}: ${shown}`, {
        cause: error,
      });
    }
  };
  const database = decode(parsed.pathname.replace(/^\//, ''), 'database');
  if (database === '' || database.includes('/')) {
    throw new StateConfigError(
      `connection_url must name one database as its path (mysql://host:3306/app), got ${shown}`,
    );
  }
  const port = parsed.port === '' ? DEFAULT_PORT : Number(parsed.port);
  const settings: MySQLConnectionSettings = {
    host: parsed.hostname === '' ? 'localhost' : parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    user: decode(parsed.username, 'user'),
    password: decode(parsed.password, 'password'),
    database,
  };
  for (const [key, value] of parsed.searchParams) {
    switch (key) {
      case 'charset':
      case 'timezone':
      case 'socketPath':
        if (value === '')
          throw new StateConfigError(`connection_url option ${key} is empty: ${shown}`);
        settings[key] = value;
        break;
      case 'connectTimeout': {
        const ms = Number(value);
        if (!Number.isInteger(ms) || ms <= 0) {
          throw new StateConfigError(
            `connection_url option connectTimeout must be a whole number of milliseconds > 0, got ${JSON.stringify(value)}`,
          );
        }
        settings.connectTimeout = ms;
        break;
      }
      case 'ssl':
        if (value === 'true') settings.ssl = { rejectUnauthorized: true };
        else if (value === 'insecure') settings.ssl = { rejectUnauthorized: false };
        else if (value !== 'false') {
          throw new StateConfigError(
            `connection_url option ssl must be true, false or insecure, got ${JSON.stringify(value)}`,
          );
        }
        break;
      default:
        throw new StateConfigError(
          `connection_url has an unknown option '${key}': ${shown}. Supported: ${Object.keys(MYSQL_URL_OPTIONS).join(', ')}`,
        );
    }
  }
  return settings;
}
