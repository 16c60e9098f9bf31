import { describe, expect, it } from 'vitest';
import { detectMigrationTools, projectSnapshot } from '../../../src/init/index.js';

describe('detectMigrationTools', () => {
  it('finds Knex from its dependency and knexfile, with the migrations folder it names', () => {
    const [guess] = detectMigrationTools(
      projectSnapshot({
        packageJson: { dependencies: { knex: '^3.1.0', pg: '^8' } },
        files: {
          'knexfile.js':
            "module.exports = { connection: process.env.DATABASE_URL, migrations: { directory: './db/migrations' } };",
          'db/migrations/001_users.js': '',
        },
      }),
    );
    expect(guess).toMatchObject({
      tool: 'knex',
      command: ['knex', 'migrate:latest'],
      inputs: ['db/migrations', 'knexfile.js'],
      notes: [],
    });
  });

  it('says when a knexfile cannot follow the database venomqa gives', () => {
    const [guess] = detectMigrationTools(
      projectSnapshot({
        packageJson: { dependencies: { knex: '^3' } },
        files: { 'knexfile.js': "module.exports = { connection: 'postgres://localhost/dev' };" },
      }),
    );
    expect(guess?.notes.join('\n')).toMatch(/knexfile\.js does not read process\.env/);
  });

  it('finds Prisma: migrate deploy with migrations, db push without', () => {
    const schema = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}';
    const withMigrations = detectMigrationTools(
      projectSnapshot({
        packageJson: { dependencies: { '@prisma/client': '^6' }, scripts: {} },
        files: {
          'prisma/schema.prisma': schema,
          'prisma/migrations/20260101_init/migration.sql': '',
        },
      }),
    );
    expect(withMigrations[0]).toMatchObject({
      tool: 'prisma',
      command: ['prisma', 'migrate', 'deploy'],
      inputs: ['prisma/schema.prisma', 'prisma/migrations'],
    });
    // Only the client is a dependency: the CLI must be installed.
    expect(withMigrations[0]?.notes.join('\n')).toMatch(/npm i -D prisma/);
    const pushed = detectMigrationTools(
      projectSnapshot({
        packageJson: { dependencies: { prisma: '^6' } },
        files: { 'prisma/schema.prisma': schema },
      }),
    );
    expect(pushed[0]?.command).toEqual(['prisma', 'db', 'push', '--skip-generate']);
  });

  it('finds Drizzle and the out folder of its config', () => {
    const [guess] = detectMigrationTools(
      projectSnapshot({
        packageJson: { dependencies: { 'drizzle-orm': '^0.44', 'drizzle-kit': '^0.31' } },
        files: {
          'drizzle.config.ts':
            "export default defineConfig({ out: './migrations', schema: './src/schema.ts' });",
          'migrations/0000_init.sql': '',
        },
      }),
    );
    expect(guess).toMatchObject({
      tool: 'drizzle',
      command: ['drizzle-kit', 'migrate'],
      inputs: ['migrations', 'drizzle.config.ts'],
      notes: [],
    });
  });

  it('finds TypeORM and its data source, with ts-node for a TypeScript one', () => {
    const [guess] = detectMigrationTools(
      projectSnapshot({
        packageJson: { dependencies: { typeorm: '^0.3', 'reflect-metadata': '^0.2' } },
        files: {
          'src/data-source.ts':
            "export const AppDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, migrations: ['src/migration/*.ts'] });",
          'src/migration/1700000000000-Init.ts': '',
        },
      }),
    );
    expect(guess).toMatchObject({
      tool: 'typeorm',
      command: ['typeorm-ts-node-commonjs', 'migration:run', '-d', 'src/data-source.ts'],
      inputs: ['src/migration', 'src/data-source.ts'],
    });
  });

  it('finds sequelize-cli and warns when its config ignores the environment', () => {
    const [guess] = detectMigrationTools(
      projectSnapshot({
        packageJson: { dependencies: { sequelize: '^6', 'sequelize-cli': '^6' } },
        files: {
          'config/config.json': '{ "development": { "host": "localhost", "dialect": "postgres" } }',
          'migrations/20260101-create.js': '',
        },
      }),
    );
    expect(guess).toMatchObject({
      tool: 'sequelize',
      command: ['sequelize-cli', 'db:migrate'],
      inputs: ['migrations', 'config/config.json'],
    });
    expect(guess?.notes.join('\n')).toMatch(/use_env_variable/);
  });

  it('reads the folders .sequelizerc points sequelize-cli at', () => {
    const [guess] = detectMigrationTools(
      projectSnapshot({
        packageJson: { dependencies: { 'sequelize-cli': '^6' } },
        files: {
          '.sequelizerc':
            "module.exports = { 'config': path.resolve('db/config.js'), 'migrations-path': path.resolve('db/migrations') };",
          'db/config.js': 'module.exports = { development: { use_env_variable: "DATABASE_URL" } };',
          'db/migrations/1-a.js': '',
        },
      }),
    );
    expect(guess?.inputs).toEqual(['db/migrations', 'db/config.js', '.sequelizerc']);
    expect(guess?.notes).toEqual([]);
  });

  it('finds node-pg-migrate with the folder and variable its script passes', () => {
    const [guess] = detectMigrationTools(
      projectSnapshot({
        packageJson: {
          dependencies: { 'node-pg-migrate': '^7' },
          scripts: { migrate: 'node-pg-migrate -m db/migrations -d PG_URL up' },
        },
        files: { 'db/migrations/1_init.js': '' },
      }),
    );
    expect(guess).toMatchObject({
      tool: 'node-pg-migrate',
      command: ['node-pg-migrate', 'up', '-m', 'db/migrations', '-d', 'PG_URL'],
      inputs: ['db/migrations'],
    });
  });

  it('ranks the tool a script calls above one that is only installed', () => {
    const tools = detectMigrationTools(
      projectSnapshot({
        packageJson: {
          dependencies: { knex: '^3', 'node-pg-migrate': '^7' },
          scripts: { 'db:migrate': 'node-pg-migrate up' },
        },
        files: { 'knexfile.js': 'module.exports = { connection: process.env.DATABASE_URL };' },
      }),
    );
    expect(tools.map((t) => t.tool)).toEqual(['node-pg-migrate', 'knex']);
  });

  it('finds nothing in a project without a migration tool', () => {
    expect(
      detectMigrationTools(projectSnapshot({ packageJson: { dependencies: { express: '^5' } } })),
    ).toEqual([]);
  });
});
