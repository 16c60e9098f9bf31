/**
 * The configuration files of a PgBouncer venomqa starts in front of a PostgreSQL server: every
 * database name is forwarded to the same name on the server (`*`), clients log in with the
 * server's own user and password, and pooling is per transaction, because only then can
 * `PAUSE <db>` complete while an app's pool keeps its connections open (in session pooling
 * PAUSE waits until every client disconnects, which a long-lived pool never does).
 */
export interface PgBouncerSettings {
  /** Where PgBouncer listens (loopback only). */
  listenPort: number;
  /** The PostgreSQL server it forwards to. */
  serverHost: string;
  serverPort: number;
  user: string;
  /** Path of the auth file (see {@link renderAuthFile}). */
  authFile: string;
  /** Server connections per database; the apps' own pools share them per transaction. */
  poolSize: number;
  maxClientConnections: number;
}

/** `pgbouncer.ini` for {@link PgBouncerSettings}. */
export function renderPgBouncerIni(settings: PgBouncerSettings): string {
  for (const [key, value] of Object.entries(settings)) {
    if (typeof value === 'string' && /[\n\r]/.test(value)) {
      throw new Error(`PgBouncer setting ${key} must be one line`);
    }
  }
  return [
    '; Written by venomqa for one run; removed when the run ends.',
    '[databases]',
    `* = host=${settings.serverHost} port=${settings.serverPort}`,
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${settings.listenPort}`,
    '; no Unix socket: nothing but the TCP port, so runs never collide on /tmp',
    'unix_socket_dir =',
    'auth_type = scram-sha-256',
    `auth_file = ${settings.authFile}`,
    `admin_users = ${settings.user}`,
    'pool_mode = transaction',
    `default_pool_size = ${settings.poolSize}`,
    `max_client_conn = ${settings.maxClientConnections}`,
    '; JDBC and some drivers send it; PgBouncer would refuse the login otherwise',
    'ignore_startup_parameters = extra_float_digits',
    '; a swap refuses logins for a few milliseconds: retry soon, not after the default 15 s',
    'server_login_retry = 0.05',
    'log_connections = 0',
    'log_disconnections = 0',
    '',
  ].join('\n');
}

/** The auth file: the one user and its password, in PgBouncer's quoting. */
export function renderAuthFile(user: string, password: string): string {
  const quote = (value: string): string => `"${value.replaceAll('"', '""')}"`;
  return `${quote(user)} ${quote(password)}\n`;
}
