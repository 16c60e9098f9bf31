import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

// The project's own eslint.config.js; type-aware rules are off because the fixtures are linted
// under a path in src/ where no file exists (the layer rules read import paths only).
const eslint = new ESLint({ cwd: REPO, overrideConfig: tseslint.configs.disableTypeChecked });

/** Lint a fixture as if it were the file `asFile` (relative to the repository). */
async function lintAs(fixture: string, asFile: string): Promise<{ rule: string; text: string }[]> {
  const code = readFileSync(path.join(FIXTURES, fixture), 'utf8');
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO, asFile) });
  return (result?.messages ?? []).map((m) => ({ rule: m.ruleId ?? '', text: m.message }));
}

// ESLint takes seconds to load its plugins on a busy machine.
describe('the layer rules of eslint.config.js', { timeout: 60_000 }, () => {
  it('fail an import that points up the layer table', async () => {
    const problems = await lintAs(
      'journey-imports-runner.ts',
      'src/journey/journey-imports-runner.ts',
    );
    expect(problems).toEqual([
      {
        rule: '@typescript-eslint/no-restricted-imports',
        text: expect.stringMatching(
          /'\.\.\/runner\/journey-runner\.js' import is restricted.*journey\/ may import only from .*dependencies point down/,
        ) as string,
      },
    ]);
  });

  it('pass the same kind of import pointing down', async () => {
    expect(
      await lintAs('runner-imports-journey.ts', 'src/runner/runner-imports-journey.ts'),
    ).toEqual([]);
  });

  it('allow types but not values where the table says types', async () => {
    const problems = await lintAs(
      'journey-imports-http-types.ts',
      'src/journey/journey-imports-http-types.ts',
    );
    expect(problems.map((p) => p.text)).toEqual([
      expect.stringMatching(/http-response\.js.*journey\/ may import only types from http/),
    ]);
  });

  it('keep the CLI on the public API: subpath index files only', async () => {
    const problems = await lintAs(
      'cli-imports-internal.ts',
      'src/cli/commands/cli-imports-internal.ts',
    );
    expect(problems.map((p) => p.text)).toEqual([
      expect.stringMatching(/snapshot-engine\.js.*cli\/ uses only the public API/),
    ]);
  });

  it('fail a wrong-direction import made dynamic, which the import rule cannot see', async () => {
    const problems = await lintAs(
      'state-imports-runner-lazily.ts',
      'src/state/state-imports-runner-lazily.ts',
    );
    expect(problems.map((p) => p.rule)).toEqual(['no-restricted-syntax']);
  });
});
