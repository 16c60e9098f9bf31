/**
 * Articles and their tags. favorites_count and comments_count are denormalised counters the
 * API keeps in step with the favorites and comments tables inside the same transaction; the
 * checks make a counter that would go negative fail the transaction instead.
 */
export async function up(knex) {
  await knex.schema.createTable('articles', (table) => {
    table.increments('id');
    table.string('slug', 80).notNullable().unique();
    table.integer('author_id').notNullable().references('users.id').onDelete('CASCADE');
    table.string('title', 200).notNullable();
    table.string('description', 500).notNullable().defaultTo('');
    table.text('body').notNullable();
    table.integer('favorites_count').notNullable().defaultTo(0);
    table.integer('comments_count').notNullable().defaultTo(0);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['author_id']);
    table.index(['created_at', 'id']);
    table.check('?? >= 0', ['favorites_count'], 'articles_favorites_count_not_negative');
    table.check('?? >= 0', ['comments_count'], 'articles_comments_count_not_negative');
  });
  await knex.schema.createTable('article_tags', (table) => {
    table.integer('article_id').notNullable().references('articles.id').onDelete('CASCADE');
    table.string('tag', 32).notNullable();
    table.primary(['article_id', 'tag']);
    table.index(['tag']);
  });
}

export async function down(knex) {
  await knex.schema.dropTable('article_tags');
  await knex.schema.dropTable('articles');
}
