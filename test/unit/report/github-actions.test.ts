import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendGithubStepSummary,
  renderGithubAnnotations,
} from '../../../src/report/github-actions.js';
import { branch, journey, path, run, step } from './fixtures.js';

let workspace: string;
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'venomqa-gha-'));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('GitHub Actions output', () => {
  it('annotates a failed step at the line it was written, relative to the workspace, escaped', () => {
    const file = join(workspace, 'journeys', 'checkout.journey.ts');
    const failed = step('pay', {
      status: 'failed',
      error: { message: 'POST /orders/1/pay answered 500, expected 201\n100% wrong, a: b' },
      location: { file, line: 42, column: 7 },
    });
    const result = run([
      journey('checkout', [branch('cart', [path('card', [failed], { status: 'failed' })])], {
        status: 'failed',
        file,
      }),
    ]);
    expect(renderGithubAnnotations(result, { workspace })).toEqual([
      "::error file=journeys/checkout.journey.ts,line=42,title=venomqa%3A checkout › card › step 'pay'::POST /orders/1/pay answered 500, expected 201%0A100%25 wrong, a: b",
    ]);
  });

  it('finds the line by the step name when the stack trace had none', async () => {
    const file = join(workspace, 'a.journey.ts');
    await writeFile(file, "import x from 'y';\n\nStep({\n  name: 'login',\n});\n");
    const failed = step('login', {
      status: 'failed',
      error: { message: 'boom' },
      location: { file },
    });
    const result = run([journey('a', [failed], { status: 'failed', file })]);
    expect(renderGithubAnnotations(result, { workspace })[0]).toContain(
      'file=a.journey.ts,line=4,',
    );
  });

  it('writes nothing for a passing run, and appends the markdown report to the step summary', async () => {
    const result = run([journey('ok', [step('ping')])]);
    expect(renderGithubAnnotations(result, { workspace })).toEqual([]);
    const summary = join(workspace, 'summary.md');
    await writeFile(summary, '## earlier step\n');
    await appendGithubStepSummary(result, summary);
    const text = await readFile(summary, 'utf8');
    expect(text.startsWith('## earlier step\n# venomqa report')).toBe(true);
  });
});
