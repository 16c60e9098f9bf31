import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { copyInitFixture } from '../support/init-fixtures.js';
import { runCli } from '../support/run-cli.js';

const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
  // Embedded PostgreSQL: these suites need neither Docker nor a server of their own.
  VENOMQA_SERVER_PROVIDER: 'embedded',
};

interface WrittenConfig {
  setup: { command: string[]; inputs: string[] };
  api: { command: string[]; health: string; env: Record<string, string> };
}

describe('venomqa init on existing API projects, then venomqa run of what it wrote', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    {
      tool: 'knex',
      setup: ['knex', 'migrate:latest'],
      env: { PORT: '{port}', DATABASE_URL: '{database_url}' },
      health: '/health',
    },
    {
      // Listens on HTTP_PORT and answers /healthz: init must read both from the source.
      tool: 'node-pg-migrate',
      setup: ['node-pg-migrate', 'up'],
      env: { HTTP_PORT: '{port}', DATABASE_URL: '{database_url}' },
      health: '/healthz',
    },
    {
      tool: 'typeorm',
      setup: ['typeorm', 'migration:run', '-d', 'data-source.js'],
      env: { PORT: '{port}', DATABASE_URL: '{database_url}' },
      health: '/health',
    },
    {
      tool: 'sequelize',
      setup: ['sequelize-cli', 'db:migrate'],
      env: { PORT: '{port}', DATABASE_URL: '{database_url}' },
      health: '/health',
    },
  ])('$tool: init --yes guesses start, migrations, port and health; run passes', async (c) => {
    const dir = await copyInitFixture(c.tool);
    dirs.push(dir);
    const init = await runCli(['init', '--yes'], dir, env);
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toContain('wrote venomqa.yaml, journeys/example.journey.mjs');
    expect(init.stdout).toContain(`setup.command: ${c.setup.join(' ')} (${c.tool}:`);
    expect(init.stdout).toContain('next: npx venomqa run');

    const config = parse(await readFile(join(dir, 'venomqa.yaml'), 'utf8')) as WrittenConfig;
    expect(config.setup.command).toEqual(c.setup);
    expect(config.setup.inputs[0]).toBe('migrations');
    expect(config.api).toMatchObject({ command: ['node', 'server.js'], health: c.health });
    expect(config.api.env).toEqual(c.env);

    // The fixture's health route reads the migrated table: passing proves setup ran.
    const run = await runCli(['run'], dir, env);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^1 journey passed, 0 failed/);
    expect(run.stderr).toContain(`setup: running \`${c.setup.join(' ')}\``);
    expect(run.stderr).toMatch(/✓ example › first/);
    expect(run.stderr).toMatch(/✓ example › second/);
  });

  it('refuses to overwrite without --force and asks nothing when stdin is not a terminal', async () => {
    const dir = await copyInitFixture('knex');
    dirs.push(dir);
    await writeFile(join(dir, 'venomqa.yaml'), 'parallel_paths: 3\n');
    // No --yes: stdin is a pipe here, so init must not wait for answers.
    const refused = await runCli(['init'], dir, env);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('error VENOMQA_INIT_FILE_EXISTS');
    expect(refused.stderr).toContain('init --force');
    expect(await readFile(join(dir, 'venomqa.yaml'), 'utf8')).toBe('parallel_paths: 3\n');

    // Still no --yes: it writes what it guessed instead of asking.
    const forced = await runCli(['init', '--force'], dir, env);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('wrote venomqa.yaml');
    expect(await readFile(join(dir, 'venomqa.yaml'), 'utf8')).toContain('mode: process');

    const json = await runCli(['init', '--force', '--json'], dir, env);
    expect(json.exitCode, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as { files: string[]; migrationTool: string };
    expect(result).toMatchObject({
      files: ['venomqa.yaml', 'journeys/example.journey.mjs'],
      migrationTool: 'knex',
    });
  });

  it('names the missing package.json', async () => {
    const dir = await copyInitFixture('knex');
    dirs.push(dir);
    await rm(join(dir, 'package.json'));
    const result = await runCli(['init', '--yes'], dir, env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error VENOMQA_INIT_NO_PROJECT: No package.json in ${dir}`);
  });
});
