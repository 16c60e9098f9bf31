import { articleJson, findArticle, listArticles, slugify } from '../articles.js';
import { optionalUser, requireUser, viewerId } from '../auth.js';
import { badRequest, conflict, forbidden, isUniqueViolation } from '../errors.js';

const tagsSchema = {
  type: 'array',
  maxItems: 10,
  uniqueItems: true,
  items: { type: 'string', pattern: '^[a-z0-9-]{1,32}$' },
};
const slugParams = {
  type: 'object',
  properties: { slug: { type: 'string', maxLength: 80 } },
};

const listSchema = {
  querystring: {
    type: 'object',
    properties: {
      tag: { type: 'string', maxLength: 32 },
      author: { type: 'string', maxLength: 32 },
      favorited: { type: 'string', maxLength: 32 },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      offset: { type: 'integer', minimum: 0, default: 0 },
    },
  },
};

const createSchema = {
  body: {
    type: 'object',
    required: ['title', 'body'],
    properties: {
      title: { type: 'string', minLength: 1, maxLength: 200 },
      description: { type: 'string', maxLength: 500 },
      body: { type: 'string', minLength: 1, maxLength: 20000 },
      tags: tagsSchema,
    },
  },
};

const updateSchema = {
  params: slugParams,
  body: {
    type: 'object',
    minProperties: 1,
    properties: {
      title: { type: 'string', minLength: 1, maxLength: 200 },
      description: { type: 'string', maxLength: 500 },
      body: { type: 'string', minLength: 1, maxLength: 20000 },
      tags: tagsSchema,
    },
  },
};

function assertAuthor(article, request, action) {
  if (article.author_id !== viewerId(request)) {
    throw forbidden(`only ${article.author}, the author, may ${action} this article`);
  }
}

async function replaceTags(trx, articleId, tags) {
  await trx('article_tags').where('article_id', articleId).delete();
  if (tags.length > 0) {
    await trx('article_tags').insert(tags.map((tag) => ({ article_id: articleId, tag })));
  }
}

/** Articles: list (filters, pages), read, write, edit and delete by their author; tags. */
export default async function articleRoutes(app, { db }) {
  app.get('/articles', { schema: listSchema, preHandler: optionalUser }, async (request) =>
    listArticles(db, request.query, viewerId(request)),
  );

  app.get('/tags', async () => {
    const rows = await db('article_tags').distinct('tag').orderBy('tag');
    return { tags: rows.map((row) => row.tag) };
  });

  app.post(
    '/articles',
    { schema: createSchema, preHandler: requireUser },
    async (request, reply) => {
      const { title, description = '', body, tags = [] } = request.body;
      const slug = slugify(title);
      if (slug === '') throw badRequest('body/title must contain a letter or a digit');
      const viewer = viewerId(request);
      try {
        const article = await db.transaction(async (trx) => {
          const [{ id }] = await trx('articles')
            .insert({ slug, author_id: viewer, title, description, body })
            .returning('id');
          await replaceTags(trx, id, tags);
          return findArticle(trx, slug, viewer);
        });
        return reply.code(201).send({ article: articleJson(article) });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw conflict(`an article with the slug '${slug}' exists already: change the title`);
        }
        throw error;
      }
    },
  );

  app.get(
    '/articles/:slug',
    { schema: { params: slugParams }, preHandler: optionalUser },
    async (request) => ({
      article: articleJson(await findArticle(db, request.params.slug, viewerId(request))),
    }),
  );

  // The slug stays what it was when the title changes, so links to the article keep working.
  app.put('/articles/:slug', { schema: updateSchema, preHandler: requireUser }, async (request) => {
    const viewer = viewerId(request);
    const { tags, ...fields } = request.body;
    const article = await db.transaction(async (trx) => {
      const current = await findArticle(trx, request.params.slug, viewer, { forUpdate: true });
      assertAuthor(current, request, 'edit');
      await trx('articles')
        .where('id', current.id)
        .update({ ...fields, updated_at: trx.fn.now() });
      if (tags !== undefined) await replaceTags(trx, current.id, tags);
      return findArticle(trx, current.slug, viewer);
    });
    return { article: articleJson(article) };
  });

  app.delete(
    '/articles/:slug',
    { schema: { params: slugParams }, preHandler: requireUser },
    async (request, reply) => {
      await db.transaction(async (trx) => {
        const current = await findArticle(trx, request.params.slug, viewerId(request), {
          forUpdate: true,
        });
        assertAuthor(current, request, 'delete');
        // Its tags, comments and favorites go with it (ON DELETE CASCADE).
        await trx('articles').where('id', current.id).delete();
      });
      return reply.code(204).send();
    },
  );
}
