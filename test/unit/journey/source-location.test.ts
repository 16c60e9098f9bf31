import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Journey, Step } from '../../../src/journey/index.js';
import { parseFrame } from '../../../src/journey/source-location.js';

const THIS_FILE = fileURLToPath(import.meta.url);

/** A helper in the style of a journeys' `_helpers.ts`: builds a step for its caller. */
function healthStep(name: string) {
  return Step({ name, action: (api) => api.get('/health') });
}

describe('where a step was written', () => {
  it('records the line of the Step() call, then the helper’s caller', () => {
    const direct = Step({ name: 'direct', action: () => undefined }); // line 15
    expect(direct.callSites?.[0]).toMatchObject({ file: THIS_FILE, line: 15 });
    const viaHelper = healthStep('via_helper'); // line 17
    expect(viaHelper.callSites?.map((s) => s.line).slice(0, 2)).toEqual([10, 17]);
  });

  it('records the module a journey was built in', () => {
    const journey = Journey({ name: 'j', steps: [] });
    expect(journey.callSite?.file).toBe(THIS_FILE);
  });

  it('reads the frame forms Node prints, and skips Node’s internals', () => {
    expect(parseFrame('    at fn (/app/journeys/a.ts:3:10)')).toEqual({
      file: '/app/journeys/a.ts',
      line: 3,
      column: 10,
    });
    expect(parseFrame('    at file:///app/journeys/b.mts:12:5')).toEqual({
      file: '/app/journeys/b.mts',
      line: 12,
      column: 5,
    });
    expect(parseFrame('    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)')).toBe(
      undefined,
    );
    // tsx runs a CommonJS-mode .ts module from a data: URL: the file is known, its line is not.
    expect(
      parseFrame(
        '    at f (data:text/javascript,__filename%3D...?filePath=%2Fapp%2Fj%2Fa.ts%3Fnamespace%3D92:2:855)',
      ),
    ).toEqual({ file: '/app/j/a.ts' });
  });
});
