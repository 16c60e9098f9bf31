/* global URL */
/** A setting the API cannot start without is missing or malformed. */
export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

// For running the example by hand. A real deployment sets JWT_SECRET; venomqa.yaml does.
const DEVELOPMENT_JWT_SECRET = 'blog-example-development-secret';

function parsePort(raw) {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    throw new ConfigError(`PORT must be a TCP port number (0-65535), got ${JSON.stringify(raw)}`);
  }
  return port;
}

/** The API's settings, read from environment variables. */
export function readConfig(env) {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (!databaseUrl) {
    throw new ConfigError(
      'DATABASE_URL is not set: point it at a PostgreSQL database migrated with ' +
        '`npx knex migrate:latest`, e.g. DATABASE_URL=postgres://user:password@127.0.0.1:5432/blog',
    );
  }
  const jwtSecret = env.JWT_SECRET?.trim() || DEVELOPMENT_JWT_SECRET;
  return Object.freeze({
    databaseUrl,
    port: parsePort(env.PORT?.trim() || '3000'),
    host: env.HOST?.trim() || '127.0.0.1',
    jwtSecret,
    usingDevelopmentSecret: jwtSecret === DEVELOPMENT_JWT_SECRET,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
  });
}

/** `url` with its password replaced, safe to print. */
export function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    // A keyword/value connection string may hold a password anywhere: show none of it.
    return '(connection string hidden)';
  }
}
