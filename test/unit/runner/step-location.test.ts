import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Journey } from '../../../src/journey/journey-builders.js';
import type { StepResult } from '../../../src/result/run-result.js';
import { FakeRig } from './fake-rig.js';

const THIS_FILE = fileURLToPath(import.meta.url);

describe('a step result says where the step was written', () => {
  it("prefers the journey's own module over the helper that built the step", async () => {
    const rig = new FakeRig('per-path');
    const journey = Journey({
      name: 'located',
      steps: [
        rig.put('base', 'base'),
        rig.fails('breaks'), // line 16: the helper in fake-rig.ts called Step() for this line
      ],
    });
    const result = await rig.runner({ parallelPaths: 1 }).run(journey);
    const failed = result.items.find((item) => item.status === 'failed') as StepResult;
    expect(failed.name).toBe('breaks');
    expect(failed.location).toMatchObject({ file: THIS_FILE, line: 16 });
  });
});
