import { requireUser, signToken, viewerId } from '../auth.js';
import { conflict, isUniqueViolation, unauthorized } from '../errors.js';
import { hashPassword, verifyPassword } from '../passwords.js';

const userJson = (row) => ({ id: row.id, username: row.username, email: row.email, bio: row.bio });

const registerSchema = {
  body: {
    type: 'object',
    required: ['username', 'email', 'password'],
    properties: {
      username: { type: 'string', pattern: '^[A-Za-z0-9_-]{3,32}$' },
      email: { type: 'string', format: 'email', maxLength: 254 },
      password: { type: 'string', minLength: 8, maxLength: 200 },
      bio: { type: 'string', maxLength: 500 },
    },
  },
};

const loginSchema = {
  body: {
    type: 'object',
    required: ['email', 'password'],
    properties: {
      email: { type: 'string', maxLength: 254 },
      password: { type: 'string', maxLength: 200 },
    },
  },
};

/** Accounts: register, log in (a bearer token), and who am I. */
export default async function userRoutes(app, { db }) {
  app.post('/users', { schema: registerSchema }, async (request, reply) => {
    const { username, password, bio = '' } = request.body;
    const email = request.body.email.toLowerCase();
    const taken = await db('users')
      .where('email', email)
      .orWhere('username', username)
      .first('email', 'username');
    if (taken) {
      throw conflict(
        taken.email === email
          ? `the email ${email} is already registered`
          : `the username ${username} is taken`,
      );
    }
    const passwordHash = await hashPassword(password);
    try {
      const [user] = await db('users')
        .insert({ username, email, password_hash: passwordHash, bio })
        .returning(['id', 'username', 'email', 'bio']);
      return reply.code(201).send({ user: userJson(user) });
    } catch (error) {
      // Two registrations of one name at once: the check above let both through.
      if (isUniqueViolation(error)) throw conflict('the username or email is already registered');
      throw error;
    }
  });

  app.post('/users/login', { schema: loginSchema }, async (request) => {
    const user = await db('users').where('email', request.body.email.toLowerCase()).first();
    if (!user || !(await verifyPassword(request.body.password, user.password_hash))) {
      throw unauthorized('wrong email or password');
    }
    return { user: userJson(user), token: signToken(app, user) };
  });

  app.get('/user', { preHandler: requireUser }, async (request) => {
    const user = await db('users').where('id', viewerId(request)).first();
    if (!user) throw unauthorized('the account of this token no longer exists');
    return { user: userJson(user) };
  });
}
