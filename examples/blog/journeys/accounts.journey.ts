import { Branch, Checkpoint, Journey, Path, Step, type HttpClient, type StepAction } from 'venomqa';
import {
  PASSWORD,
  assertEqual,
  expectState,
  forgeToken,
  rememberState,
  seesCheckpointState,
  signUp,
} from './_blog.js';

/**
 * ada registers and logs in → checkpoint `registered` → 5 paths: who a token says you are,
 * wrong credentials, duplicate accounts, invalid registrations, and every kind of bad token
 * (missing, tampered, expired, signed with another secret, unsigned, for a deleted account).
 * The refused requests must change nothing, which each path checks against the checkpoint.
 */

interface User {
  id: number;
  username: string;
  email: string;
  bio: string;
}

const now = () => Math.floor(Date.now() / 1000);

const me = async (api: HttpClient, headers?: Record<string, string>) => {
  const res = await api.get('/user', headers ? { headers } : {});
  return { res, user: res.status === 200 ? res.json<{ user: User }>().user : undefined };
};

const refused = (name: string, status: number, request: StepAction) =>
  Step({ name, action: request, expect: { status } });

const withToken = (token: string) => ({ authorization: `Bearer ${token}` });

export default Journey({
  name: 'accounts',
  description: 'Registration, login and bearer tokens, from one registered user.',
  steps: [
    Step({
      name: 'sign_up_ada',
      action: async (api, ctx) => {
        const login = await signUp(api, ctx, 'ada');
        api.setBearerToken(ctx.require<string>('token:ada'));
        ctx.set('ada', login.json<{ user: User }>().user);
        return login;
      },
    }),
    rememberState('registered'),
    Checkpoint({ name: 'registered' }),
    Branch({
      checkpointName: 'registered',
      paths: [
        Path({
          name: 'who_am_i',
          steps: [
            seesCheckpointState('registered'),
            Step({
              name: 'the_token_is_adas',
              action: async (api, ctx) => {
                const { res, user } = await me(api);
                assertEqual(user, ctx.require<User>('ada'), 'GET /user');
                return res;
              },
            }),
            Step({
              name: 'login_ignores_the_email_case',
              action: (api) =>
                api.post('/users/login', {
                  json: { email: 'ADA@Example.Test', password: PASSWORD },
                }),
              expect: { status: 200 },
            }),
            Step({ name: 'sign_up_ben', action: (api, ctx) => signUp(api, ctx, 'ben') }),
            Step({
              name: 'bens_token_is_bens',
              action: async (api, ctx) => {
                const { res, user } = await me(api, withToken(ctx.require('token:ben')));
                assertEqual(user?.username, 'ben', 'GET /user with the token of ben');
                return res;
              },
            }),
            expectState('one_more_user', 'registered', (s) => {
              s.stats.users += 1;
            }),
          ],
        }),
        Path({
          name: 'wrong_credentials',
          steps: [
            seesCheckpointState('registered'),
            refused('wrong_password', 401, (api) =>
              api.post('/users/login', {
                json: { email: 'ada@example.test', password: 'wrong horse' },
              }),
            ),
            refused('unknown_email', 401, (api) =>
              api.post('/users/login', {
                json: { email: 'nobody@example.test', password: PASSWORD },
              }),
            ),
            refused('no_password', 400, (api) =>
              api.post('/users/login', { json: { email: 'ada@example.test' } }),
            ),
            expectState('nothing_changed', 'registered'),
          ],
        }),
        Path({
          name: 'duplicates_are_conflicts',
          steps: [
            seesCheckpointState('registered'),
            refused('same_email_other_case', 409, (api) =>
              api.post('/users', {
                json: { username: 'ada2', email: 'Ada@Example.TEST', password: PASSWORD },
              }),
            ),
            refused('same_username', 409, (api) =>
              api.post('/users', {
                json: { username: 'ada', email: 'other@example.test', password: PASSWORD },
              }),
            ),
            expectState('nothing_changed', 'registered'),
          ],
        }),
        Path({
          name: 'invalid_registrations',
          steps: [
            seesCheckpointState('registered'),
            refused('bad_email', 400, (api) =>
              api.post('/users', {
                json: { username: 'eve', email: 'not-an-email', password: PASSWORD },
              }),
            ),
            refused('short_password', 400, (api) =>
              api.post('/users', {
                json: { username: 'eve', email: 'eve@example.test', password: 'short' },
              }),
            ),
            refused('bad_username', 400, (api) =>
              api.post('/users', {
                json: { username: 'e v e', email: 'eve@example.test', password: PASSWORD },
              }),
            ),
            refused('not_json', 400, (api) =>
              api.post('/users', {
                body: '{"username":',
                headers: { 'content-type': 'application/json' },
              }),
            ),
            expectState('nothing_changed', 'registered'),
          ],
        }),
        Path({
          name: 'bad_tokens_are_rejected',
          steps: [
            seesCheckpointState('registered'),
            refused('no_token', 401, async (api, ctx) => {
              api.removeHeader('authorization');
              try {
                return await api.post('/articles', { json: { title: 'Anonymous', body: 'x' } });
              } finally {
                api.setBearerToken(ctx.require<string>('token:ada'));
              }
            }),
            refused('tampered_token', 401, (api, ctx) => {
              // Another user id in the payload, the signature left as it was.
              const [header, , signature] = ctx.require<string>('token:ada').split('.');
              const payload = Buffer.from(JSON.stringify({ sub: '2', username: 'x' })).toString(
                'base64url',
              );
              return api.get('/user', {
                headers: withToken(`${header}.${payload}.${signature}`),
              });
            }),
            Step({
              name: 'expired_token',
              action: async (api, ctx) => {
                const ada = ctx.require<User>('ada');
                const token = forgeToken({
                  sub: String(ada.id),
                  username: ada.username,
                  iat: now() - 7200,
                  exp: now() - 3600,
                });
                const res = await api.get('/user', { headers: withToken(token) });
                assertEqual(
                  res.json<{ error: string }>().error,
                  'Authorization token expired',
                  'the error of an expired token',
                );
                return res;
              },
              expect: { status: 401 },
            }),
            refused('token_signed_with_another_secret', 401, (api, ctx) =>
              api.get('/user', {
                headers: withToken(
                  forgeToken({ sub: String(ctx.require<User>('ada').id) }, 'another secret'),
                ),
              }),
            ),
            refused('unsigned_token', 401, (api, ctx) => {
              const encode = (value: unknown) =>
                Buffer.from(JSON.stringify(value)).toString('base64url');
              const sub = String(ctx.require<User>('ada').id);
              return api.get('/user', {
                headers: withToken(`${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub })}.`),
              });
            }),
            refused('token_of_an_account_that_does_not_exist', 401, (api) =>
              api.get('/user', {
                headers: withToken(forgeToken({ sub: '999999', exp: now() + 600 })),
              }),
            ),
            expectState('nothing_changed', 'registered'),
          ],
        }),
      ],
    }),
  ],
});
