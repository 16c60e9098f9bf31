import type { ServerKind } from './connection-errors.js';

/** What went wrong, as far as a connection error's code tells. */
export type Situation =
  | 'refused'
  | 'dns'
  | 'unreachable'
  | 'timeout'
  | 'auth'
  | 'not-allowed'
  | 'missing-database'
  | 'tls'
  | 'too-many'
  | 'permission'
  | 'not-ready';

export interface Address {
  host: string;
  port: string;
  database: string;
  user: string;
}

export function addressOf(url: string, kind: ServerKind): Address {
  const defaults = { postgres: '5432', mysql: '3306', redis: '6379' } as const;
  try {
    const parsed = new URL(url);
    return {
      host: parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost',
      port: parsed.port || defaults[kind],
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
      user: decodeURIComponent(parsed.username),
    };
  } catch {
    return { host: '?', port: defaults[kind], database: '', user: '' };
  }
}

const SERVER_NAME: Readonly<Record<ServerKind, string>> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL/MariaDB',
  redis: 'Redis',
};

/** The next command to start a server of that kind. */
function startHint(kind: ServerKind, at: Address): string {
  switch (kind) {
    case 'postgres':
      return (
        'Start PostgreSQL: `venomqa db up` (a managed server), or `docker compose -f docker-compose.qa.yml up -d db` ' +
        '(the dev loop); or fix the host and port in db_url (VENOMQA_DB_URL).'
      );
    case 'mysql':
      return `Start MySQL/MariaDB on ${at.host}:${at.port} (e.g. \`docker compose up -d db\` or \`systemctl start mariadb\`), or fix the host and port in connection_url.`;
    case 'redis':
      return `Start Redis on ${at.host}:${at.port} (e.g. \`redis-server --port ${at.port}\` or \`docker compose up -d redis\`), or fix the host and port in connection_url.`;
  }
}

/** What to put in the message and the hint for one situation. */
export function describeFailure(
  situation: Situation,
  kind: ServerKind,
  at: Address,
  redacted: string,
): { headline: string; detail: string; hint: string } {
  const server = SERVER_NAME[kind];
  const urlKey = kind === 'postgres' ? 'db_url (VENOMQA_DB_URL)' : 'connection_url';
  switch (situation) {
    case 'refused':
      return {
        headline: `Connection refused to ${redacted}`,
        detail: `nothing accepts connections on ${at.host}:${at.port}`,
        hint: startHint(kind, at),
      };
    case 'dns':
      return {
        headline: `Host not found for ${redacted}`,
        detail: `'${at.host}' does not resolve`,
        hint: `Fix the host in ${urlKey}; \`getent hosts ${at.host}\` shows whether it resolves here (a compose service name resolves only inside its network: use 127.0.0.1 and the published port).`,
      };
    case 'unreachable':
      return {
        headline: `Host unreachable for ${redacted}`,
        detail: `no route to ${at.host}:${at.port}`,
        hint: `Check the network path to ${at.host} (VPN, firewall) or fix the host in ${urlKey}.`,
      };
    case 'timeout':
      return {
        headline: `Connection timed out to ${redacted}`,
        detail: `${at.host}:${at.port} did not answer in time`,
        hint:
          kind === 'postgres'
            ? `Check that the server answers (\`pg_isready -h ${at.host} -p ${at.port}\`) and that no firewall drops the packets; a server still starting answers once it is up.`
            : `Check that ${server} answers on ${at.host}:${at.port} and that no firewall drops the packets.`,
      };
    case 'auth':
      return {
        headline: `Authentication failed for ${redacted}`,
        detail: `${server} rejected the password of user '${at.user}'`,
        hint:
          kind === 'postgres'
            ? 'Fix the user and password in db_url (VENOMQA_DB_URL); for the managed server, `venomqa db url --show-password` prints the right URL.'
            : `Fix the user and password in ${urlKey}.`,
      };
    case 'not-allowed':
      return {
        headline: `Connection not allowed to ${redacted}`,
        detail:
          kind === 'postgres'
            ? `the server's pg_hba.conf (or the role's LOGIN attribute) rejects user '${at.user}' on database '${at.database}' from this host`
            : `${server} does not let user '${at.user}' connect from this host`,
        hint:
          kind === 'postgres'
            ? 'Allow it in pg_hba.conf (then `select pg_reload_conf()`); a server that accepts only TLS (hostssl) needs ?sslmode=require in db_url.'
            : `Grant user '${at.user}' access from this host, or connect as another user.`,
      };
    case 'missing-database':
      return {
        headline: `Database '${at.database}' does not exist at ${redacted}`,
        detail: `the server has no database '${at.database}'`,
        hint:
          kind === 'postgres'
            ? `Create it (\`createdb -h ${at.host} -p ${at.port} -U ${at.user || 'postgres'} ${at.database}\`) or fix the database in db_url (VENOMQA_DB_URL); \`venomqa db up\` starts a server with its database made.`
            : `Create it (\`CREATE DATABASE ${at.database}\`) or fix the database in ${urlKey}.`,
      };
    case 'tls':
      return {
        headline: `TLS failed for ${redacted}`,
        detail:
          'the server offers no TLS, or its certificate could not be verified against the CA given',
        hint:
          kind === 'postgres'
            ? 'Use ?sslmode=require to encrypt without verifying the certificate (as libpq does), add sslrootcert=/path/to/ca.pem for verify-ca/verify-full, or sslmode=disable when the server has no TLS.'
            : `Check the TLS settings of ${urlKey} against the server's certificate.`,
      };
    case 'too-many':
      return {
        headline: `Too many connections to ${redacted}`,
        detail: `${server} has no connection slot left`,
        hint:
          kind === 'postgres'
            ? 'Close idle clients (`select pid, usename, application_name, state from pg_stat_activity`), raise max_connections, or lower parallel_paths: venomqa opens about parallel_paths + 3 connections plus one per API instance.'
            : `Close idle clients or raise the server's connection limit (max_connections).`,
      };
    case 'permission':
      return {
        headline: `Permission denied connecting to ${redacted}`,
        detail: `user '${at.user}' may not connect to database '${at.database}'`,
        hint:
          kind === 'postgres'
            ? `Grant it: \`GRANT CONNECT ON DATABASE "${at.database}" TO "${at.user}"\`, or connect as a role that may.`
            : `Grant it: \`GRANT ALL ON \\\`${at.database}\\\`.* TO '${at.user}'\`, or check that the database exists.`,
      };
    case 'not-ready':
      return {
        headline: `${server} at ${redacted} is not accepting connections yet`,
        detail: 'the server is starting up or shutting down',
        hint: 'Wait for it to finish starting (`venomqa db status` for the managed server) and try again.',
      };
  }
}
