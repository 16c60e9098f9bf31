import { describe, expect, it } from 'vitest';
import { detectEnvVariables, projectSnapshot, variableRole } from '../../../src/init/index.js';

describe('variableRole', () => {
  it.each([
    ['PORT', 'port'],
    ['HTTP_PORT', 'port'],
    ['DB_PORT', 'database_part'],
    ['REDIS_PORT', 'other'],
    ['DATABASE_URL', 'database_url'],
    ['POSTGRES_URL', 'database_url'],
    ['PG_CONNECTION_STRING', 'database_url'],
    ['SHADOW_DATABASE_URL', 'other'],
    ['HOST', 'host'],
    ['PGHOST', 'database_part'],
    ['DB_PASSWORD', 'database_part'],
    ['JWT_SECRET', 'other'],
  ])('%s is %s', (name, role) => {
    expect(variableRole(name)).toBe(role);
  });
});

describe('detectEnvVariables', () => {
  it('finds reads by property, by index, by destructuring and in a Prisma schema, once each', () => {
    const variables = detectEnvVariables(
      projectSnapshot({
        packageJson: {},
        files: {
          'src/server.ts':
            "const port = Number(process.env.PORT ?? 3000);\nconst secret = process.env['JWT_SECRET'];\nif (process.env.NODE_ENV === 'production') {}",
          'src/db.ts':
            'const { PGHOST, PGUSER = "app" } = process.env;\nconsole.log(process.env.PORT);',
          'prisma/schema.prisma': 'url = env("DATABASE_URL")',
          'test/app.test.ts': 'process.env.TEST_ONLY = "1";',
        },
      }),
    );
    expect(variables).toEqual([
      { name: 'PORT', role: 'port', file: 'src/server.ts' },
      { name: 'JWT_SECRET', role: 'other', file: 'src/server.ts' },
      { name: 'PGHOST', role: 'database_part', file: 'src/db.ts' },
      { name: 'PGUSER', role: 'database_part', file: 'src/db.ts' },
      { name: 'DATABASE_URL', role: 'database_url', file: 'prisma/schema.prisma' },
    ]);
  });
});
