import { redactText } from '../../redaction/index.js';

/**
 * How pg_dump and pg_restore reach one database: a connection URI with no password in it (it
 * goes on the command line, which `ps` shows to every user), and the password in `PGPASSWORD`.
 */
export interface ToolConnection {
  /** `--dbname` value: the URL without its password; host, port, user, query options kept. */
  readonly dbname: string;
  /** The database's name, for messages. */
  readonly database: string;
  /** Environment for the tool: `PGPASSWORD` when the URL has one, and a connect timeout. */
  readonly env: Readonly<Record<string, string>>;
  /** Everything to mask in the tool's output. */
  readonly secrets: readonly string[];
}

export function toolConnection(url: string): ToolConnection {
  const parsed = new URL(url);
  const password =
    decodeURIComponent(parsed.password) || (parsed.searchParams.get('password') ?? '');
  parsed.password = '';
  parsed.searchParams.delete('password');
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return {
    dbname: parsed.toString(),
    database,
    env: {
      ...(password ? { PGPASSWORD: password } : {}),
      // A server that does not answer should fail the export, not hang it.
      PGCONNECT_TIMEOUT: '15',
    },
    secrets: password ? [password] : [],
  };
}

/** The last `count` non-empty lines of a tool's stderr, with every secret masked. */
export function stderrTail(
  stderr: string,
  connection: ToolConnection,
  count = 12,
): readonly string[] {
  return redactText(stderr, connection.secrets)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0)
    .slice(-count);
}
