import Fastify, { LogController } from 'fastify';
import { registerAuth } from './auth.js';
import { HttpError, isDatabaseUnavailable, isUniqueViolation } from './errors.js';
import articleRoutes from './routes/articles.js';
import commentRoutes from './routes/comments.js';
import favoriteRoutes from './routes/favorites.js';
import healthRoutes from './routes/health.js';
import userRoutes from './routes/users.js';

/** One log line per request, `POST /articles 201`, instead of Fastify's two. */
class OneLinePerRequest extends LogController {
  incomingRequest() {}

  requestCompleted(error, request, reply) {
    const line = `${request.method} ${request.url} ${reply.statusCode}`;
    const fields = { ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...fields, err: error }, line);
    else reply.log.info(fields, line);
  }
}

/**
 * The blog API as a Fastify instance on a Knex handle `db`, which it destroys on close. Every
 * error is JSON `{"error": message}`: 400 for input the schemas reject, 401 for a missing or bad
 * token, 403, 404, 409 from the routes, 503 while the database cannot be reached, else 500.
 */
export async function buildApp({ db, jwtSecret, logLevel = 'info' }) {
  const app = Fastify({
    logger: { level: logLevel },
    logController: new OneLinePerRequest(),
  });

  app.setErrorHandler(async (error, request, reply) => {
    if (error.validation) {
      return reply.code(400).send({ error: error.message });
    }
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send({ error: error.message });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ code: error.code }, `database unavailable: ${error.message}`);
      return reply.code(503).send({ error: 'the database is unavailable, try again' });
    }
    if (isUniqueViolation(error)) {
      return reply.code(409).send({ error: 'a concurrent request created the same thing' });
    }
    // Fastify's and @fastify/jwt's own errors (bad JSON, no or bad token) carry their status.
    if (error.statusCode >= 400 && error.statusCode < 500) {
      if (error.statusCode === 401) reply.header('www-authenticate', 'Bearer');
      return reply.code(error.statusCode).send({ error: error.message });
    }
    request.log.error(error);
    return reply.code(500).send({ error: 'internal server error' });
  });

  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({ error: `no route ${request.method} ${request.url}` }),
  );

  app.addHook('onClose', async () => {
    await db.destroy();
  });

  await registerAuth(app, { secret: jwtSecret });
  for (const routes of [healthRoutes, userRoutes, articleRoutes, commentRoutes, favoriteRoutes]) {
    await app.register(routes, { db });
  }
  return app;
}
