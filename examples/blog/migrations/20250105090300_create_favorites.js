/** Who favorited what: one row per user and article, so a second favorite is a conflict. */
export function up(knex) {
  return knex.schema.createTable('favorites', (table) => {
    table.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    table.integer('article_id').notNullable().references('articles.id').onDelete('CASCADE');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['user_id', 'article_id']);
    table.index(['article_id']);
  });
}

export function down(knex) {
  return knex.schema.dropTable('favorites');
}
