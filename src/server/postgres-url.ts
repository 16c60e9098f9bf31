import { randomBytes } from 'node:crypto';

export interface PostgresAddress {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Build a `postgresql://` URL; user, password and database are percent-encoded. */
export function formatPostgresUrl(address: PostgresAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return (
    `postgresql://${encodeURIComponent(address.user)}:${encodeURIComponent(address.password)}` +
    `@${host}:${address.port}/${encodeURIComponent(address.database)}`
  );
}

/** The same server URL pointing at another database; query options are kept. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export function parsePostgresUrl(url: string): PostgresAddress {
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
  };
}

/** A password for a server we start: URL-safe, no shell metacharacters. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
