import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { qaConfigSchema } from '../../../src/config/schema.js';
import {
  detectHealthPath,
  planInit,
  projectSnapshot,
  readProject,
  renderConfig,
  renderJourney,
} from '../../../src/init/index.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/init/', import.meta.url));

describe('planInit', () => {
  it('maps the app’s own variable names to the placeholders venomqa fills in', () => {
    const plan = planInit(
      projectSnapshot({
        packageJson: { scripts: { start: 'node app.js' }, dependencies: { knex: '^3' } },
        files: {
          'app.js':
            "app.listen(process.env.APP_PORT, process.env.HOST); app.get('/healthz', h); const s = process.env.JWT_SECRET;",
          'knexfile.js': 'module.exports = { connection: process.env.DB_URL };',
        },
      }),
    );
    expect(plan.api).toEqual({
      command: ['node', 'app.js'],
      env: { APP_PORT: '{port}', DB_URL: '{database_url}', HOST: '{host}' },
      health: '/healthz',
    });
    expect(plan.setup).toEqual({ command: ['knex', 'migrate:latest'], inputs: ['knexfile.js'] });
    expect(plan.checks.join('\n')).toMatch(/also reads JWT_SECRET/);
    expect(plan.journeyFile).toBe('journeys/example.journey.mjs');
  });

  it('says what to check when it finds no port, database, health route or migrations', () => {
    const plan = planInit(
      projectSnapshot({ packageJson: { dependencies: { typescript: '^5' } }, files: {} }),
    );
    expect(plan.api.env).toEqual({ PORT: '{port}', DATABASE_URL: '{database_url}' });
    expect(plan.setup).toBeUndefined();
    const checks = plan.checks.join('\n');
    expect(checks).toMatch(/no port variable/);
    expect(checks).toMatch(/no database URL variable/);
    expect(checks).toMatch(/no health route/);
    expect(checks).toMatch(/no migration tool/);
    expect(plan.journeyFile).toBe('journeys/example.journey.ts');
  });

  it('takes the user’s answers over its guesses', () => {
    const plan = planInit(projectSnapshot({ packageJson: {} }), {
      command: ['node', 'main.js'],
      health: '/up',
    });
    expect(plan.api.command).toEqual(['node', 'main.js']);
    expect(plan.api.health).toBe('/up');
  });

  it.each(['knex', 'node-pg-migrate', 'sequelize'])(
    'writes a venomqa.yaml for the %s fixture that the config schema accepts',
    async (tool) => {
      const plan = planInit(await readProject(`${FIXTURES}${tool}`));
      const config = qaConfigSchema.parse(parse(renderConfig(plan)));
      expect(config.api).toMatchObject({ mode: 'process', command: ['node', 'server.js'] });
      expect(config.setup.command).toEqual(plan.setup?.command);
      expect(Object.values(config.api.env).sort()).toEqual(['{database_url}', '{port}']);
      expect(renderJourney(plan)).toContain(`api.get('${plan.api.health}')`);
    },
  );

  it('comments out the variables it cannot fill in, so the file stays valid', () => {
    const plan = planInit(
      projectSnapshot({ packageJson: {}, files: { 'a.js': 'process.env.STRIPE_KEY' } }),
    );
    const text = renderConfig(plan);
    expect(text).toContain("# STRIPE_KEY: ''");
    expect(() => qaConfigSchema.parse(parse(text))).not.toThrow();
  });
});

describe('detectHealthPath', () => {
  it('takes the surest route name of the app, not one its tests or journeys request', () => {
    const project = projectSnapshot({
      packageJson: {},
      files: {
        'journeys/example.journey.mjs': "api.get('/health')",
        'test/app.test.js': "request('/healthz')",
        'src/routes.js': "router.get('/ping', pong); router.get('/status', status);",
      },
    });
    expect(detectHealthPath(project)).toEqual({ path: '/ping', file: 'src/routes.js' });
  });
});
