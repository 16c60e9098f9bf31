import { Branch, Checkpoint, Journey, Path, Step, type HttpClient } from 'venomqa';
import {
  articleIn,
  as,
  assertEqual,
  expectState,
  rememberState,
  seesCheckpointState,
  signUp,
  type Article,
  type BlogState,
  type Comment,
} from './_blog.js';

/**
 * alice publishes three articles, bob comments on one and favorites another → checkpoint
 * `published` → 13 paths from that same state: favorites and their conflicts, counters after
 * several users, comments (with a nested branch after a new comment), edits and deletes by the
 * author and refused to others, listing pages and filters, bad input and missing things. Every
 * path first checks that it sees exactly the checkpoint's state and ends by comparing the whole
 * blog with that state plus its own changes, so a write leaking in from another path fails it.
 */

const BRANCHING = 'branching-databases-for-tests';
const FASTIFY = 'fastify-in-production';
const KNEX = 'knex-migrations-in-files';

const ARTICLES = [
  {
    title: 'Branching databases for tests',
    description: 'Clones instead of savepoints',
    body: 'CREATE DATABASE … TEMPLATE gives every path its own copy.',
    tags: ['testing', 'postgres'],
  },
  {
    title: 'Fastify in production',
    description: 'Plugins, hooks and a clean shutdown',
    body: 'Close the server, then the pool.',
    tags: ['node'],
  },
  {
    title: 'Knex migrations in files',
    description: 'One file per change',
    body: 'npx knex migrate:latest, before the app starts.',
    tags: ['postgres', 'node'],
  },
];

const article = async (api: HttpClient, slug: string) =>
  (await api.get(`/articles/${slug}`)).json<{ article: Article }>().article;

const favorite = (name: string, slug: string, user: string, status = 200) =>
  Step({
    name,
    action: (api, ctx) => api.post(`/articles/${slug}/favorite`, { headers: as(ctx, user) }),
    expect: { status },
  });

const unfavorite = (name: string, slug: string, user: string, status = 200) =>
  Step({
    name,
    action: (api, ctx) => api.delete(`/articles/${slug}/favorite`, { headers: as(ctx, user) }),
    expect: { status },
  });

const deleteComment = (name: string, slug: string, key: string, user: string, status: number) =>
  Step({
    name,
    action: (api, ctx) =>
      api.delete(`/articles/${slug}/comments/${ctx.require<number>(key)}`, {
        headers: as(ctx, user),
      }),
    expect: { status },
  });

const signUpStep = (username: string) =>
  Step({ name: `sign_up_${username}`, action: (api, ctx) => signUp(api, ctx, username) });

/** The slugs a listing returns, in its order, and its total. */
const listing = (
  name: string,
  query: Record<string, string | number>,
  slugs: string[],
  total = slugs.length,
) =>
  Step({
    name,
    action: async (api) => {
      const res = await api.get('/articles', { query });
      const body = res.json<{ articles: Article[]; articles_count: number }>();
      assertEqual(
        { slugs: body.articles.map((a) => a.slug), total: body.articles_count },
        { slugs, total },
        `GET /articles with ${JSON.stringify(query)}`,
      );
      return res;
    },
    expect: { status: 200 },
  });

/** After bob's second comment (on the Knex article): four ways to go on. */
const afterSecondComment = Branch({
  checkpointName: 'commented',
  paths: [
    Path({
      name: 'commenter_deletes_it',
      steps: [
        seesCheckpointState('commented'),
        deleteComment('bob_deletes_his_comment', KNEX, 'new_comment', 'bob', 204),
        expectState('comment_and_counter_gone', 'commented', (s) => {
          s.stats.comments -= 1;
          articleIn(s, KNEX).comments_count -= 1;
          s.comments[KNEX] = [];
        }),
      ],
    }),
    Path({
      name: 'article_author_deletes_it',
      steps: [
        seesCheckpointState('commented'),
        deleteComment('alice_deletes_bobs_comment', KNEX, 'new_comment', 'alice', 204),
        expectState('comment_and_counter_gone', 'commented', (s) => {
          s.stats.comments -= 1;
          articleIn(s, KNEX).comments_count -= 1;
          s.comments[KNEX] = [];
        }),
      ],
    }),
    Path({
      name: 'stranger_may_not_delete_it',
      steps: [
        seesCheckpointState('commented'),
        signUpStep('carol'),
        deleteComment('carol_deletes_bobs_comment', KNEX, 'new_comment', 'carol', 403),
        expectState('comment_kept', 'commented', (s) => {
          s.stats.users += 1;
        }),
      ],
    }),
    Path({
      name: 'deleting_the_article_deletes_its_comments',
      steps: [
        seesCheckpointState('commented'),
        Step({
          name: 'alice_deletes_the_article',
          action: (api) => api.delete(`/articles/${KNEX}`),
          expect: { status: 204 },
        }),
        Step({
          name: 'its_comments_are_gone',
          action: (api) => api.get(`/articles/${KNEX}/comments`),
          expect: { status: 404 },
        }),
        expectState('article_and_comment_gone', 'commented', (s) => {
          s.stats.articles -= 1;
          s.stats.comments -= 1;
          s.articles = s.articles.filter((a) => a.slug !== KNEX);
          delete s.comments[KNEX];
        }),
      ],
    }),
  ],
});

export default Journey({
  name: 'articles',
  description:
    'Articles with favorites and comments whose counters the API keeps in step, from one published state.',
  steps: [
    Step({
      name: 'sign_up_alice',
      action: async (api, ctx) => {
        const login = await signUp(api, ctx, 'alice');
        // alice is the client's own user in every path; others send their token per request.
        api.setBearerToken(ctx.require<string>('token:alice'));
        return login;
      },
    }),
    signUpStep('bob'),
    Step({
      name: 'alice_publishes_three_articles',
      action: async (api) => {
        for (const json of ARTICLES) {
          const res = await api.post('/articles', { json });
          assertEqual(res.status, 201, `publishing '${json.title}'`);
        }
      },
    }),
    Step({
      name: 'bob_comments_on_branching',
      action: (api, ctx) =>
        api.post(`/articles/${BRANCHING}/comments`, {
          headers: as(ctx, 'bob'),
          json: { body: 'Which PostgreSQL version do I need?' },
        }),
      expect: { status: 201 },
    }),
    favorite('bob_favorites_fastify', FASTIFY, 'bob'),
    rememberState('published'),
    Checkpoint({ name: 'published' }),
    Branch({
      checkpointName: 'published',
      paths: [
        Path({
          name: 'favorite',
          steps: [
            seesCheckpointState('published'),
            favorite('alice_favorites_branching', BRANCHING, 'alice'),
            expectState('counter_and_flag_updated', 'published', (s) => {
              s.stats.favorites += 1;
              Object.assign(articleIn(s, BRANCHING), { favorited: true, favorites_count: 1 });
            }),
          ],
        }),
        Path({
          name: 'favorite_twice_is_a_conflict',
          steps: [
            seesCheckpointState('published'),
            favorite('bob_favorites_fastify_again', FASTIFY, 'bob', 409),
            expectState('nothing_changed', 'published'),
          ],
        }),
        Path({
          name: 'unfavorite_twice_is_a_conflict',
          steps: [
            seesCheckpointState('published'),
            unfavorite('bob_unfavorites_fastify', FASTIFY, 'bob'),
            unfavorite('bob_unfavorites_fastify_again', FASTIFY, 'bob', 409),
            expectState('counter_back_to_zero', 'published', (s) => {
              s.stats.favorites -= 1;
              articleIn(s, FASTIFY).favorites_count = 0;
            }),
          ],
        }),
        Path({
          name: 'counters_after_several_favorites',
          steps: [
            seesCheckpointState('published'),
            signUpStep('carol'),
            signUpStep('dave'),
            favorite('alice_favorites_knex', KNEX, 'alice'),
            favorite('bob_favorites_knex', KNEX, 'bob'),
            favorite('carol_favorites_knex', KNEX, 'carol'),
            favorite('dave_favorites_knex', KNEX, 'dave'),
            Step({
              name: 'four_favorites',
              action: async (api) =>
                assertEqual((await article(api, KNEX)).favorites_count, 4, 'favorites_count'),
            }),
            unfavorite('bob_unfavorites_knex', KNEX, 'bob'),
            listing('favorited_by_carol', { favorited: 'carol' }, [KNEX]),
            listing('favorited_by_bob', { favorited: 'bob' }, [FASTIFY]),
            expectState('three_favorites_left', 'published', (s) => {
              s.stats.users += 2;
              s.stats.favorites += 3;
              Object.assign(articleIn(s, KNEX), { favorited: true, favorites_count: 3 });
            }),
          ],
        }),
        Path({
          name: 'comment',
          steps: [
            seesCheckpointState('published'),
            Step({
              name: 'bob_comments_on_knex',
              action: async (api, ctx) => {
                const res = await api.post(`/articles/${KNEX}/comments`, {
                  headers: as(ctx, 'bob'),
                  json: { body: 'Do you run them in CI?' },
                });
                ctx.set('new_comment', res.json<{ comment: Comment }>().comment.id);
                return res;
              },
              expect: { status: 201 },
            }),
            Step({
              name: 'the_counter_follows',
              action: async (api) => {
                assertEqual((await article(api, KNEX)).comments_count, 1, 'comments_count');
                const { comments } = (await api.get(`/articles/${KNEX}/comments`)).json<{
                  comments: Comment[];
                }>();
                assertEqual(
                  comments.map((c) => [c.author.username, c.body]),
                  [['bob', 'Do you run them in CI?']],
                  'comments on the Knex article',
                );
              },
            }),
            rememberState('commented'),
            Checkpoint({ name: 'commented' }),
            afterSecondComment,
          ],
        }),
        Path({
          name: 'delete_comment',
          steps: [
            seesCheckpointState('published'),
            Step({
              name: 'find_bobs_comment',
              action: async (api, ctx) => {
                const res = await api.get(`/articles/${BRANCHING}/comments`);
                ctx.set('old_comment', res.json<{ comments: Comment[] }>().comments[0]?.id);
                return res;
              },
            }),
            deleteComment('bob_deletes_his_comment', BRANCHING, 'old_comment', 'bob', 204),
            deleteComment('deleting_it_again_is_404', BRANCHING, 'old_comment', 'bob', 404),
            expectState('comment_and_counter_gone', 'published', (s) => {
              s.stats.comments -= 1;
              articleIn(s, BRANCHING).comments_count = 0;
              s.comments[BRANCHING] = [];
            }),
          ],
        }),
        Path({
          name: 'edit_by_author',
          steps: [
            seesCheckpointState('published'),
            Step({
              name: 'alice_edits_title_and_tags',
              action: (api) =>
                api.put(`/articles/${BRANCHING}`, {
                  json: { title: 'Branching PostgreSQL for tests', tags: ['postgres', 'ci'] },
                }),
              expect: { status: 200 },
            }),
            Step({
              name: 'tags_follow_the_edit',
              action: async (api) => {
                const tags = (await api.get('/tags')).json<{ tags: string[] }>().tags;
                assertEqual(tags, ['ci', 'node', 'postgres'], 'GET /tags');
              },
            }),
            listing('tagged_ci', { tag: 'ci' }, [BRANCHING]),
            listing('tagged_testing', { tag: 'testing' }, []),
            Step({
              name: 'updated_at_moves_on',
              action: async (api, ctx) => {
                const before = articleIn(ctx.require<BlogState>('state:published'), BRANCHING);
                const after = await article(api, BRANCHING);
                if (!(Date.parse(after.updated_at) > Date.parse(before.updated_at))) {
                  throw new Error(
                    `updated_at ${after.updated_at} is not after ${before.updated_at}`,
                  );
                }
              },
            }),
            expectState('article_edited_in_place', 'published', (s, actual) => {
              // Same slug (links keep working), new title and tags.
              Object.assign(articleIn(s, BRANCHING), {
                title: 'Branching PostgreSQL for tests',
                tags: ['ci', 'postgres'],
                updated_at: articleIn(actual, BRANCHING).updated_at,
              });
            }),
          ],
        }),
        Path({
          name: 'edit_by_another_user_is_forbidden',
          steps: [
            seesCheckpointState('published'),
            Step({
              name: 'bob_edits_alices_article',
              action: (api, ctx) =>
                api.put(`/articles/${BRANCHING}`, {
                  headers: as(ctx, 'bob'),
                  json: { title: 'Mine now' },
                }),
              expect: { status: 403 },
            }),
            Step({
              name: 'bob_deletes_alices_article',
              action: (api, ctx) =>
                api.delete(`/articles/${BRANCHING}`, { headers: as(ctx, 'bob') }),
              expect: { status: 403 },
            }),
            expectState('nothing_changed', 'published'),
          ],
        }),
        Path({
          name: 'delete_article',
          steps: [
            seesCheckpointState('published'),
            Step({
              name: 'alice_deletes_fastify',
              action: (api) => api.delete(`/articles/${FASTIFY}`),
              expect: { status: 204 },
            }),
            Step({
              name: 'it_is_gone',
              action: (api) => api.get(`/articles/${FASTIFY}`),
              expect: { status: 404 },
            }),
            favorite('favoriting_it_is_404', FASTIFY, 'bob', 404),
            expectState('article_and_its_favorite_gone', 'published', (s) => {
              s.stats.articles -= 1;
              s.stats.favorites -= 1;
              s.articles = s.articles.filter((a) => a.slug !== FASTIFY);
              delete s.comments[FASTIFY];
            }),
          ],
        }),
        Path({
          name: 'pages',
          steps: [
            seesCheckpointState('published'),
            listing('first_page', { limit: 2 }, [KNEX, FASTIFY], 3),
            listing('second_page', { limit: 2, offset: 2 }, [BRANCHING], 3),
            listing('past_the_end', { limit: 2, offset: 3 }, [], 3),
            Step({
              name: 'limit_0_is_400',
              action: (api) => api.get('/articles', { query: { limit: 0 } }),
              expect: { status: 400 },
            }),
            Step({
              name: 'limit_101_is_400',
              action: (api) => api.get('/articles', { query: { limit: 101 } }),
              expect: { status: 400 },
            }),
          ],
        }),
        Path({
          name: 'filters',
          steps: [
            seesCheckpointState('published'),
            listing('tagged_postgres', { tag: 'postgres' }, [KNEX, BRANCHING]),
            listing('tagged_node', { tag: 'node' }, [KNEX, FASTIFY]),
            listing('tagged_nothing', { tag: 'cobol' }, []),
            listing('by_alice', { author: 'alice' }, [KNEX, FASTIFY, BRANCHING]),
            listing('by_bob', { author: 'bob' }, []),
            listing('favorited_by_bob', { favorited: 'bob' }, [FASTIFY]),
            listing('tag_and_author', { tag: 'node', author: 'alice', limit: 1 }, [KNEX], 2),
            Step({
              name: 'all_tags',
              action: async (api) => {
                const res = await api.get('/tags');
                assertEqual(
                  res.json<{ tags: string[] }>().tags,
                  ['node', 'postgres', 'testing'],
                  'GET /tags',
                );
                return res;
              },
            }),
          ],
        }),
        Path({
          name: 'bad_input_and_conflicts',
          steps: [
            seesCheckpointState('published'),
            Step({
              name: 'empty_title_is_400',
              action: (api) => api.post('/articles', { json: { title: '', body: 'x' } }),
              expect: { status: 400 },
            }),
            Step({
              name: 'unknown_tag_format_is_400',
              action: (api) =>
                api.post('/articles', { json: { title: 'Tags', body: 'x', tags: ['Not OK'] } }),
              expect: { status: 400 },
            }),
            Step({
              name: 'same_title_is_409',
              action: (api) =>
                api.post('/articles', { json: { title: 'Fastify in production', body: 'again' } }),
              expect: { status: 409 },
            }),
            Step({
              name: 'empty_comment_is_400',
              action: (api) => api.post(`/articles/${KNEX}/comments`, { json: { body: '' } }),
              expect: { status: 400 },
            }),
            expectState('nothing_changed', 'published'),
          ],
        }),
        Path({
          name: 'missing_things_are_404',
          steps: [
            seesCheckpointState('published'),
            Step({
              name: 'no_such_article',
              action: (api) => api.get('/articles/no-such-article'),
              expect: { status: 404 },
            }),
            Step({
              name: 'comment_on_no_such_article',
              action: (api) =>
                api.post('/articles/no-such-article/comments', { json: { body: 'hello' } }),
              expect: { status: 404 },
            }),
            Step({
              name: 'no_such_comment',
              action: (api) => api.delete(`/articles/${BRANCHING}/comments/999999`),
              expect: { status: 404 },
            }),
            Step({
              name: 'no_such_route',
              action: (api) => api.get('/nowhere'),
              expect: { status: 404 },
            }),
            expectState('nothing_changed', 'published'),
          ],
        }),
      ],
    }),
  ],
});
