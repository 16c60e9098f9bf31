/* global URL */
import { performance } from 'node:perf_hooks';
import { hashSessionToken } from './credentials.mjs';
import { isDatabaseUnavailable } from './database.mjs';
import { HttpError, readJsonBody, sendJson } from './http.mjs';
import { ROUTES } from './routes.mjs';

function findRoute(method, pathname) {
  const matching = ROUTES.filter((route) => route.path.test(pathname));
  if (matching.length === 0) throw new HttpError(404, `no endpoint ${method} ${pathname}`);
  const route = matching.find((candidate) => candidate.method === method);
  if (!route) {
    const allowed = matching.map((candidate) => candidate.method).join(', ');
    throw new HttpError(405, `${method} is not allowed on ${pathname}; use ${allowed}`, {
      Allow: allowed,
    });
  }
  return { route, params: route.path.exec(pathname).groups ?? {} };
}

async function authenticate(db, req) {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const challenge = { 'WWW-Authenticate': 'Bearer' };
  if (!match) {
    throw new HttpError(
      401,
      'send Authorization: Bearer <token>, with a token from POST /login',
      challenge,
    );
  }
  const { rows } = await db.query('select user_id from sessions where token_hash = $1', [
    hashSessionToken(match[1]),
  ]);
  if (rows.length === 0) throw new HttpError(401, 'unknown token: log in again', challenge);
  return rows[0].user_id;
}

/** The `node:http` request listener: routing, auth, JSON, error mapping and the access log. */
export function createRequestHandler({ db, log }) {
  return (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.on('finish', () => {
      const ms = Math.round(performance.now() - started);
      log.info(`${req.method} ${url.pathname} ${res.statusCode} ${ms}ms`);
    });
    handle(req, res, url, db).catch((error) => {
      if (error instanceof HttpError) {
        sendJson(res, error.status, { error: error.message }, error.headers);
      } else if (isDatabaseUnavailable(error)) {
        log.error(`${req.method} ${url.pathname}: database unavailable: ${error.message}`);
        sendJson(res, 503, { error: `database unavailable: ${error.message}` });
      } else {
        log.error(`${req.method} ${url.pathname} failed: ${error.stack ?? error}`);
        sendJson(res, 500, { error: 'internal error' });
      }
    });
  };
}

async function handle(req, res, url, db) {
  const { route, params } = findRoute(req.method, url.pathname);
  const userId = route.auth ? await authenticate(db, req) : undefined;
  const body = req.method === 'POST' ? await readJsonBody(req) : {};
  const result = await route.handler({ db, body, params, query: url.searchParams, userId });
  sendJson(res, result.status, result.body);
}
