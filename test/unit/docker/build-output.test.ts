import { describe, expect, it } from 'vitest';
import {
  BUILD_TAIL_LINES,
  BuildOutput,
  STEP_LINE_CHARS,
} from '../../../src/docker/build-output.js';

describe('BuildOutput', () => {
  it('gives a line per BuildKit step, its errors and the context sent; keeps a tail without sha256 noise', () => {
    const steps: string[] = [];
    const output = new BuildOutput((line) => steps.push(line));
    output.push(
      [
        '#1 [internal] load build definition from Dockerfile',
        '#1 sha256:a5e94ba0c1c95239e8931a0be60dfdf4cd7b2c5ccb5a96745be2743aef734ba9',
        '#1 DONE 0.0s',
        '#2 [internal] load .dockerignore',
        '#2 transferring context: 34B done',
        '#5 [internal] load build context',
        '#5 transferring context: 1.23MB 0.2s',
        '#5 transferring context: 2.45MB 0.4s done',
        '#6 [2/3] RUN --mount=type=cache,target=/root/.npm npm ci',
        '#6 0.512 added 10 packages',
        '#6 [2/3] RUN --mount=type=cache,target=/root/.npm npm ci',
        '#6 ERROR: executor failed running [/bin/sh -c npm ci]: exit code: 1',
        '',
      ].join('\n'),
    );
    expect(steps).toEqual([
      '  context sent to the builder: 2.45MB 0.4s',
      '  [2/3] RUN --mount=type=cache,target=/root/.npm npm ci',
      '  ERROR: executor failed running [/bin/sh -c npm ci]: exit code: 1',
    ]);
    expect(output.tail()).not.toContain(
      '#1 sha256:a5e94ba0c1c95239e8931a0be60dfdf4cd7b2c5ccb5a96745be2743aef734ba9',
    );
    expect(output.tail().at(-1)).toContain('exit code: 1');
  });

  it('cuts a long step to one readable line; the tail keeps it whole', () => {
    const steps: string[] = [];
    const output = new BuildOutput((line) => steps.push(line));
    const script = `RUN set -eux;     apt-get update;     ${'x'.repeat(300)}`;
    output.push(`#4 [2/7] ${script}`);
    expect(steps).toEqual([
      expect.stringMatching(/^ {2}\[2\/7\] RUN set -eux; apt-get update; x+…$/),
    ]);
    expect(steps[0]).toHaveLength(STEP_LINE_CHARS);
    expect(output.tail()).toEqual([`#4 [2/7] ${script}`]);
  });

  it("gives the classic builder's Step lines, and keeps only the last lines", () => {
    const steps: string[] = [];
    const output = new BuildOutput((line) => steps.push(line));
    output.push(
      'Step 1/2 : FROM debian\n ---> 1dac325c5d63\nStep 2/2 : LABEL dev.venomqa.managed=true\n',
    );
    for (let i = 0; i < 100; i++) output.push(`output ${i}`);
    expect(steps).toEqual(['  Step 1/2 : FROM debian']);
    expect(output.tail()).toHaveLength(BUILD_TAIL_LINES);
    expect(output.tail().at(-1)).toBe('output 99');
  });
});
