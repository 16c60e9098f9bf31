import { findArticle } from '../articles.js';
import { requireUser, viewerId } from '../auth.js';
import { forbidden, notFound } from '../errors.js';

const commentJson = (row) => ({
  id: row.id,
  body: row.body,
  author: { username: row.author },
  created_at: row.created_at,
});

const slugParams = {
  type: 'object',
  properties: { slug: { type: 'string', maxLength: 80 } },
};

const createSchema = {
  params: slugParams,
  body: {
    type: 'object',
    required: ['body'],
    properties: { body: { type: 'string', minLength: 1, maxLength: 5000 } },
  },
};

const deleteSchema = {
  params: {
    type: 'object',
    properties: {
      slug: { type: 'string', maxLength: 80 },
      id: { type: 'integer', minimum: 1, maximum: 2147483647 },
    },
  },
};

function commentsOf(db, articleId) {
  return db('comments as c')
    .join('users as u', 'u.id', 'c.author_id')
    .where('c.article_id', articleId)
    .select('c.id', 'c.body', 'c.author_id', 'u.username as author', 'c.created_at')
    .orderBy('c.id');
}

/**
 * Comments, oldest first. Adding or deleting one changes the article's comments_count in the
 * same transaction, with the article's row locked, so the counter always equals the rows.
 */
export default async function commentRoutes(app, { db }) {
  app.get('/articles/:slug/comments', { schema: { params: slugParams } }, async (request) => {
    const article = await findArticle(db, request.params.slug, null);
    return { comments: (await commentsOf(db, article.id)).map(commentJson) };
  });

  app.post(
    '/articles/:slug/comments',
    { schema: createSchema, preHandler: requireUser },
    async (request, reply) => {
      const viewer = viewerId(request);
      const comment = await db.transaction(async (trx) => {
        const article = await findArticle(trx, request.params.slug, viewer, { forUpdate: true });
        const [{ id }] = await trx('comments')
          .insert({ article_id: article.id, author_id: viewer, body: request.body.body })
          .returning('id');
        await trx('articles').where('id', article.id).increment('comments_count', 1);
        return commentsOf(trx, article.id).where('c.id', id).first();
      });
      return reply.code(201).send({ comment: commentJson(comment) });
    },
  );

  // The comment's author or the article's author may delete a comment.
  app.delete(
    '/articles/:slug/comments/:id',
    { schema: deleteSchema, preHandler: requireUser },
    async (request, reply) => {
      const viewer = viewerId(request);
      await db.transaction(async (trx) => {
        const article = await findArticle(trx, request.params.slug, viewer, { forUpdate: true });
        const comment = await commentsOf(trx, article.id).where('c.id', request.params.id).first();
        if (!comment) {
          throw notFound(`no comment ${request.params.id} on the article '${article.slug}'`);
        }
        if (comment.author_id !== viewer && article.author_id !== viewer) {
          throw forbidden(
            `only ${comment.author}, who wrote the comment, or ${article.author}, ` +
              'who wrote the article, may delete it',
          );
        }
        await trx('comments').where('id', comment.id).delete();
        await trx('articles').where('id', article.id).decrement('comments_count', 1);
      });
      return reply.code(204).send();
    },
  );
}
