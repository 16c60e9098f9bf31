import { createHmac } from 'node:crypto';
import { Step, type HttpClient, type JourneyContext, type StepNode } from 'venomqa';

/**
 * What the blog journeys share (a file starting with `_` is a helper, not a journey module):
 * the API's shapes, signing up, reading the whole visible state of the blog, and steps that
 * compare it with the state stored at a checkpoint. Comparing everything, not only what a
 * path touched, is what proves paths do not leak into each other: a favorite or comment made
 * by another path would show up in the counts, the counters or the lists.
 */

export interface Article {
  slug: string;
  title: string;
  description: string;
  body: string;
  tags: string[];
  author: { username: string };
  favorited: boolean;
  favorites_count: number;
  comments_count: number;
  created_at: string;
  updated_at: string;
}

export interface Comment {
  id: number;
  body: string;
  author: { username: string };
  created_at: string;
}

export interface Stats {
  users: number;
  articles: number;
  comments: number;
  favorites: number;
}

/** Everything a client can see: row counts, every article (counters included), every comment. */
export interface BlogState {
  stats: Stats;
  articles: Article[];
  comments: Record<string, Comment[]>;
}

/**
 * The JWT_SECRET that venomqa.yaml gives the API. Journeys need it only to forge an expired
 * token, which cannot be had otherwise without waiting an hour.
 */
export const EXAMPLE_JWT_SECRET = 'blog-example-jwt-secret';

export const PASSWORD = 'correct horse battery';

export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Headers that make one request as `user` (whose token a step stored with {@link signUp}). */
export function as(ctx: JourneyContext, user: string): Record<string, string> {
  return { authorization: `Bearer ${ctx.require<string>(`token:${user}`)}` };
}

/** Registers `username` and logs in; the token goes into ctx for {@link as}. */
export async function signUp(api: HttpClient, ctx: JourneyContext, username: string) {
  const email = `${username}@example.test`;
  const registered = await api.post('/users', {
    json: { username, email, password: PASSWORD },
  });
  assertEqual(registered.status, 201, `registering ${username}`);
  const login = await api.post('/users/login', { json: { email, password: PASSWORD } });
  assertEqual(login.status, 200, `logging in ${username}`);
  ctx.set(`token:${username}`, login.json<{ token: string }>().token);
  return login;
}

/** The blog as the client's own user sees it (`favorited` is that user's). */
export async function readState(api: HttpClient): Promise<BlogState> {
  const stats = (await api.get('/stats')).json<Stats>();
  const { articles } = (await api.get('/articles', { query: { limit: 100 } })).json<{
    articles: Article[];
  }>();
  const comments: Record<string, Comment[]> = {};
  for (const article of articles) {
    const listed = await api.get(`/articles/${article.slug}/comments`);
    comments[article.slug] = listed.json<{ comments: Comment[] }>().comments;
  }
  return { stats, articles, comments };
}

/** A step that stores the current state under `key`, for the steps below to compare with. */
export function rememberState(key: string): StepNode {
  return Step({
    name: `remember_state_${key}`,
    action: async (api, ctx) => {
      ctx.set(`state:${key}`, await readState(api));
    },
  });
}

/**
 * A step that passes when the state is the one stored under `key`, changed by `change` (which
 * edits a copy of it in place): `expectState('x', 'published', (s) => { s.stats.users += 1; })`.
 * `change` also gets the actual state, to take values no path can know, such as a new
 * `updated_at`, from it.
 */
export function expectState(
  name: string,
  key: string,
  change: (expected: BlogState, actual: BlogState) => void = () => undefined,
): StepNode {
  return Step({
    name,
    action: async (api, ctx) => {
      const expected = structuredClone(ctx.require<BlogState>(`state:${key}`));
      const actual = await readState(api);
      change(expected, actual);
      assertEqual(actual.stats, expected.stats, 'row counts');
      assertEqual(actual.articles, expected.articles, 'articles');
      assertEqual(actual.comments, expected.comments, 'comments');
    },
  });
}

/** The first step of every path: it sees exactly the checkpoint's state, nothing else. */
export const seesCheckpointState = (key: string): StepNode =>
  expectState('sees_the_checkpoint_state', key);

/** The article with `slug` in a state, to change it in an {@link expectState} callback. */
export function articleIn(state: BlogState, slug: string): Article {
  const article = state.articles.find((a) => a.slug === slug);
  if (!article) throw new Error(`no article '${slug}' in the expected state`);
  return article;
}

/** A token signed like the API's own (HS256), with any payload: expired, for someone else. */
export function forgeToken(payload: Record<string, unknown>, secret = EXAMPLE_JWT_SECRET): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}
