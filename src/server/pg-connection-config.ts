import { readFileSync } from 'node:fs';
import { connect as connectSocket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type pg from 'pg';
import { redactUrl } from '../redaction/index.js';
import { ConnectionUrlError, type ConnectionTarget } from './connection-errors.js';
import { connectionTimeout, tlsUnavailable } from './connection-failure.js';

/** libpq's sslmode values. */
export const SSL_MODES = [
  'disable',
  'allow',
  'prefer',
  'require',
  'verify-ca',
  'verify-full',
] as const;
export type SslMode = (typeof SSL_MODES)[number];

/**
 * URL parameters venomqa reads itself and takes out of the URL before node-postgres sees it
 * (node-postgres would otherwise override the `ssl` option with its own reading of them).
 */
const SSL_PARAMETERS = [
  'sslmode',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'ssl',
  'uselibpqcompat',
  'sslnegotiation',
];

export interface PgConnectionOptions {
  /** Shown in `pg_stat_activity.application_name`. */
  applicationName?: string;
  /**
   * Connect timeout, returned as `connectionTimeoutMillis` (and used for the TLS question);
   * a `connect_timeout` in the URL (seconds, as libpq reads it) or `PGCONNECT_TIMEOUT` wins.
   */
  connectTimeoutMs?: number;
  /** What the connection is for, named in errors. */
  purpose?: string;
  /** `PGSSLMODE`, read when the URL has no sslmode (as libpq does). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The node-postgres config for a URL, with `sslmode` read as libpq reads it (node-postgres
 * alone reads `require` as verify-full, so a self-signed server fails):
 *
 * - `disable`: no TLS. `allow`: no TLS either (libpq would retry with TLS when the server
 *   refuses plain connections; node-postgres cannot retry, so use `prefer` or `require` for
 *   such servers).
 * - `prefer`: venomqa asks the server first (the SSLRequest libpq sends): TLS without
 *   certificate verification when it says yes, plain otherwise.
 * - `require`: TLS, the certificate not verified; with `sslrootcert`, verified as `verify-ca`
 *   (libpq's rule). A server that offers no TLS is a {@link TlsConnectionError}.
 * - `verify-ca`: the chain is verified (against `sslrootcert`, else the system CAs), the host
 *   name is not. `verify-full`: both are.
 *
 * A URL without `sslmode` uses `PGSSLMODE`, else connects without TLS (node-postgres' default;
 * libpq's is `prefer`). `sslcert` / `sslkey` give a client certificate. Unix socket hosts never
 * use TLS. The answer to the TLS question is remembered per host and port for the process.
 *
 * @example
 * ```ts
 * const config = await pgConnectionConfig('postgresql://qa:pw@db.example:5432/app?sslmode=require');
 * const client = new pg.Client(config); // TLS, certificate not verified
 * ```
 */
export async function pgConnectionConfig(
  url: string,
  options: PgConnectionOptions = {},
): Promise<pg.ClientConfig> {
  const target: ConnectionTarget = { url, kind: 'postgres', purpose: options.purpose };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new ConnectionUrlError(`'${redactUrl(url)}' is not a valid PostgreSQL URL`, {
      cause: error,
      hint: 'Use the form postgresql://user:password@host:5432/database',
    });
  }
  const params = parsed.searchParams;
  const env = options.env ?? process.env;
  const mode = sslModeOf(params, env, url);
  // libpq's connect_timeout (seconds; 0 or unset: the caller's default).
  const timeoutSeconds = Number(params.get('connect_timeout') ?? env.PGCONNECT_TIMEOUT ?? 0);
  const connectTimeoutMs =
    Number.isFinite(timeoutSeconds) && timeoutSeconds > 0
      ? timeoutSeconds * 1000
      : options.connectTimeoutMs;
  const files = {
    ca: readSslFile(params.get('sslrootcert'), 'sslrootcert', url),
    cert: readSslFile(params.get('sslcert'), 'sslcert', url),
    key: readSslFile(params.get('sslkey'), 'sslkey', url),
  };
  for (const name of SSL_PARAMETERS) params.delete(name);
  const config: pg.ClientConfig = {
    connectionString: parsed.toString(),
    ...(connectTimeoutMs === undefined ? {} : { connectionTimeoutMillis: connectTimeoutMs }),
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
  };
  const host = params.get('host') ?? parsed.hostname;
  if (mode === 'disable' || mode === 'allow' || host.startsWith('/') || host.startsWith('%2F')) {
    return { ...config, ssl: false };
  }
  const port = Number(params.get('port') ?? (parsed.port || 5432));
  const answer = await serverOffersTls(
    parsed.hostname.replace(/^\[|\]$/g, ''),
    port,
    connectTimeoutMs ?? 5000,
  );
  if (answer === 'timeout') throw connectionTimeout(target);
  if (answer === 'no') {
    if (mode === 'prefer') return { ...config, ssl: false };
    throw tlsUnavailable(target, mode);
  }
  // 'unknown' (the probe could not connect): let the client connect and report why.
  return { ...config, ssl: tlsOptions(mode, files) };
}

function sslModeOf(
  params: URLSearchParams,
  env: Readonly<Record<string, string | undefined>>,
  url: string,
): SslMode {
  const given = params.get('sslmode') ?? undefined;
  if (given !== undefined) return checkMode(given, `sslmode=${given} in ${redactUrl(url)}`);
  // node-postgres' own `ssl=true` means TLS with verification; `ssl=0/false` means none.
  const ssl = params.get('ssl');
  if (ssl === 'true' || ssl === '1') return 'verify-full';
  if (ssl === 'false' || ssl === '0') return 'disable';
  const fromEnv = env.PGSSLMODE;
  if (fromEnv !== undefined && fromEnv !== '') return checkMode(fromEnv, `PGSSLMODE=${fromEnv}`);
  return 'disable';
}

function checkMode(value: string, where: string): SslMode {
  // node-postgres' own spelling of "encrypt, do not verify".
  if (value === 'no-verify') return 'require';
  if ((SSL_MODES as readonly string[]).includes(value)) return value as SslMode;
  throw new ConnectionUrlError(`Unknown sslmode in ${where}`, {
    hint: `Use one of ${SSL_MODES.join(', ')}.`,
  });
}

function readSslFile(file: string | null, parameter: string, url: string): string | undefined {
  // libpq's sslrootcert=system: the system's CAs, which is also Node's default.
  if (file === null || file === '' || (parameter === 'sslrootcert' && file === 'system')) {
    return undefined;
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConnectionUrlError(
      `Cannot read ${parameter}=${file} of ${redactUrl(url)}: ${(error as NodeJS.ErrnoException).code ?? 'read failed'}`,
      { cause: error, hint: `Fix the path in ${parameter}, or leave it out.` },
    );
  }
}

function tlsOptions(
  mode: Exclude<SslMode, 'disable' | 'allow'>,
  files: { ca: string | undefined; cert: string | undefined; key: string | undefined },
): ConnectionOptions {
  const client = {
    ...(files.cert === undefined ? {} : { cert: files.cert }),
    ...(files.key === undefined ? {} : { key: files.key }),
  };
  const ca = files.ca === undefined ? {} : { ca: files.ca };
  const verifyCa = mode === 'verify-ca' || (mode === 'require' && files.ca !== undefined);
  if (verifyCa) return { ...client, ...ca, checkServerIdentity: () => undefined };
  if (mode === 'verify-full') return { ...client, ...ca };
  // prefer, require: encrypted, the certificate taken as it is.
  return { ...client, rejectUnauthorized: false };
}

type TlsAnswer = 'yes' | 'no' | 'timeout' | 'unknown';

const answers = new Map<string, Promise<TlsAnswer>>();

/**
 * Sends PostgreSQL's SSLRequest (what libpq sends first) and reads the one-byte answer: 'S'
 * when the server offers TLS, 'N' when not. Remembered per host and port; a probe that could
 * not connect is not remembered.
 */
function serverOffersTls(host: string, port: number, timeoutMs: number): Promise<TlsAnswer> {
  const key = `${host}:${port}`;
  const known = answers.get(key);
  if (known !== undefined) return known;
  const probe = new Promise<TlsAnswer>((resolve) => {
    const socket = connectSocket({ host, port });
    const finish = (answer: TlsAnswer): void => {
      clearTimeout(timer);
      socket.destroy();
      if (answer === 'unknown' || answer === 'timeout') answers.delete(key);
      resolve(answer);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.once('error', () => finish('unknown'));
    socket.once('close', () => finish('unknown'));
    socket.once('connect', () => {
      // Int32 length 8, then the SSLRequest code 80877103.
      socket.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]));
    });
    socket.once('data', (data) => finish(data[0] === 0x53 ? 'yes' : 'no'));
  });
  answers.set(key, probe);
  return probe;
}
