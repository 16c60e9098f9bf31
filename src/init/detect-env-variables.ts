import { isTestFile, type ProjectSnapshot } from './project-snapshot.js';

/** What an environment variable the app reads is for, as far as its name tells. */
export type VariableRole = 'port' | 'database_url' | 'host' | 'database_part' | 'other';

/** One variable the app's source reads, its role, and the first file that reads it. */
export interface EnvVariable {
  readonly name: string;
  readonly role: VariableRole;
  readonly file: string;
}

const READS = [
  /process\.env\.([A-Z_][A-Z0-9_]*)/g,
  /process\.env\[\s*['"`]([A-Z_][A-Z0-9_]*)['"`]\s*\]/g,
  // Prisma's schema: url = env("DATABASE_URL")
  /\benv\(\s*"([A-Z_][A-Z0-9_]*)"\s*\)/g,
];
/** `const { PORT, DATABASE_URL = '…' } = process.env` */
const DESTRUCTURED = /\{([^{}]*)\}\s*=\s*process\.env\b/g;

/** Set by Node, npm, CI or the shell, not by whoever runs the API. */
const AMBIENT = /^(NODE_ENV|NODE_OPTIONS|CI|DEBUG|HOME|PATH|PWD|TZ|LANG|USER|SHELL|TERM|npm_.*)$/;
const SERVICES = /(DB|PG|POSTGRES|DATABASE|REDIS|MYSQL|MONGO|SMTP|MAIL|AMQP|RABBIT|KAFKA|ELASTIC)/;

/** Sort a variable name into the role venomqa can fill in. */
export function variableRole(name: string): VariableRole {
  if (/^(PORT|(HTTP|APP|SERVER|API|LISTEN|WEB)_PORT)$/.test(name)) return 'port';
  if (/_PORT$/.test(name) && !SERVICES.test(name)) return 'port';
  if (/^(HOST|BIND|(HTTP|APP|SERVER|API|LISTEN|BIND|WEB)_HOST)$/.test(name)) return 'host';
  if (
    /^(DATABASE|DB|POSTGRES|POSTGRESQL|PG)_(URL|URI|CONNECTION_STRING)$/.test(name) ||
    (/(DATABASE|POSTGRES|DB)_(URL|URI)$/.test(name) && !/SHADOW|DIRECT|TEST/.test(name))
  ) {
    return 'database_url';
  }
  if (
    /^PG(HOST|PORT|USER|PASSWORD|DATABASE)$/.test(name) ||
    /^(DB|DATABASE|POSTGRES|PG)_(HOST|PORT|USER|USERNAME|PASSWORD|PASS|NAME|DATABASE)$/.test(name)
  ) {
    return 'database_part';
  }
  return 'other';
}

/**
 * The environment variables the app's source reads (`process.env.X`, `process.env['X']`,
 * destructuring from `process.env`, Prisma's `env("X")`), in the order first found, each with
 * its role. Test files and variables Node, npm or CI set are left out.
 */
export function detectEnvVariables(project: ProjectSnapshot): EnvVariable[] {
  const found = new Map<string, EnvVariable>();
  const add = (name: string, file: string) => {
    if (!AMBIENT.test(name) && !found.has(name)) {
      found.set(name, { name, role: variableRole(name), file });
    }
  };
  for (const [file, text] of project.sources) {
    if (isTestFile(file) || file.endsWith('.json')) continue;
    for (const pattern of READS)
      for (const match of text.matchAll(pattern)) add(match[1] ?? '', file);
    for (const match of text.matchAll(DESTRUCTURED)) {
      for (const part of (match[1] ?? '').split(',')) {
        const name = /^\s*([A-Z_][A-Z0-9_]*)/.exec(part)?.[1];
        if (name !== undefined) add(name, file);
      }
    }
  }
  return [...found.values()];
}
