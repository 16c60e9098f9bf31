import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const env = { PATH: process.env.PATH, HOME: process.env.HOME };

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'venomqa-config-code-'));
  await chmod(dir, 0o755);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('venomqa.config.ts through the built CLI', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("is found like venomqa.yaml, imports 'venomqa' without it being installed there, and takes camelCase", async () => {
    const dir = await project({
      'package.json': '{ "type": "module" }\n',
      'venomqa.config.ts': [
        "import { defineConfig } from 'venomqa/config';",
        'export default defineConfig({',
        "  baseUrl: 'http://127.0.0.1:8000',",
        '  parallelPaths: 3,',
        "  reportDir: 'out',",
        '  api: { startupTimeout: 5 },',
        '});',
        '',
      ].join('\n'),
    });
    dirs.push(dir);
    const result = await runCli(['config', '--json'], dir, env);
    expect(result.exitCode, result.stderr).toBe(0);
    const config = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(config).toMatchObject({
      config_file: join(dir, 'venomqa.config.ts'),
      base_url: 'http://127.0.0.1:8000',
      parallel_paths: 3,
      report_dir: join(dir, 'out'),
      api: { startup_timeout: 5 },
    });
  });

  it('wins over venomqa.yaml in the same folder, with a warning that says so', async () => {
    const dir = await project({
      'venomqa.yaml': 'parallel_paths: 2\n',
      'venomqa.config.mjs':
        "import { QAConfig } from 'venomqa/config';\nexport default new QAConfig({ parallelPaths: 4 });\n",
    });
    dirs.push(dir);
    const result = await runCli(['config', '--json'], dir, env);
    expect(result.exitCode, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { parallel_paths: number }).parallel_paths).toBe(4);
    expect(result.stderr).toContain(
      'warning: using venomqa.config.mjs; venomqa.yaml in the same folder is ignored',
    );
  });

  it('an error names the file and the key, exit 2', async () => {
    const dir = await project({
      'package.json': '{ "type": "module" }\n',
      'venomqa.config.ts':
        "import { defineConfig } from 'venomqa/config';\nexport default defineConfig({ parallelPaths: 0 });\n",
    });
    dirs.push(dir);
    const result = await runCli(['config'], dir, env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      "error VENOMQA_CONFIG_INVALID: venomqa.config.ts: 'parallel_paths' must be an integer >= 1, got 0",
    );
    expect(result.stderr).not.toContain('internal error');
  });
});
