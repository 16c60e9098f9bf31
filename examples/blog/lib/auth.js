import fastifyJwt from '@fastify/jwt';

/** How long a token from `POST /users/login` is valid. */
export const TOKEN_LIFETIME = '1h';

/**
 * Bearer tokens (HS256 JWTs, `{sub: "<user id>", username}`) through @fastify/jwt. A missing,
 * tampered, unsigned or expired token is a 401 with the library's message; `request.user` is
 * the verified payload.
 */
export async function registerAuth(app, { secret }) {
  await app.register(fastifyJwt, {
    secret,
    sign: { algorithm: 'HS256', expiresIn: TOKEN_LIFETIME },
    verify: { algorithms: ['HS256'] },
  });
}

export function signToken(app, user) {
  return app.jwt.sign({ sub: String(user.id), username: user.username });
}

/** preHandler of routes that need a signed-in user. */
export async function requireUser(request) {
  await request.jwtVerify();
}

/**
 * preHandler of routes that answer anyone but say more to a signed-in user (`favorited`). A
 * token that is sent must still be valid: a client holding an expired one should learn it.
 */
export async function optionalUser(request) {
  if (request.headers.authorization !== undefined) await request.jwtVerify();
}

/** The signed-in user's id, or null for an anonymous request. */
export function viewerId(request) {
  return request.user ? Number(request.user.sub) : null;
}
