import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RunProgress } from '../../../src/cli/run-progress.js';
import type { JourneyResult } from '../../../src/result/run-result.js';
import { branch, checkpoint, journey, path, skippedStep, step } from '../report/fixtures.js';

/** The lines RunProgress writes for a journey's events (not a terminal: no live line). */
function linesFor(result: JourneyResult): string[] {
  const stream = new PassThrough();
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const progress = new RunProgress(stream, false);
  progress.event({ type: 'journey-started', journey: result.name });
  for (const item of result.items) {
    if (item.kind !== 'branch') continue;
    for (const p of item.paths)
      progress.event({ type: 'path-finished', journey: result.name, path: p });
  }
  progress.event({ type: 'journey-finished', journey: result.name, result });
  progress.done();
  return written.trimEnd().split('\n');
}

const statusError = {
  message: 'expected status 201, got 500\nresponse body: {"error":"boom"}',
  name: 'AssertionError',
};

describe('RunProgress: the terminal lines of venomqa run', () => {
  it("says why a step on the journey's main line failed, as a path's line does", () => {
    const result = journey(
      'checkout',
      [
        step('login'),
        step('create_order', { status: 'failed', error: statusError }),
        skippedStep('pay'),
      ],
      { status: 'failed' },
    );
    const lines = linesFor(result);
    expect(lines.at(-1)).toMatch(
      /^✗ journey checkout failed \(\d+\.\d\d s\): create_order: expected status 201, got 500$/,
    );
  });

  it('names the checkpoint that failed, and says nothing more when only a path failed', () => {
    const atCheckpoint = journey(
      'checkout',
      [checkpoint('ordered', { status: 'failed', error: { message: 'disk full' } })],
      { status: 'failed' },
    );
    expect(linesFor(atCheckpoint).at(-1)).toMatch(/: ordered: disk full$/);

    const inPath = journey(
      'checkout',
      [
        checkpoint('ordered'),
        branch('ordered', [
          path('pay', [step('pay', { status: 'failed', error: statusError })], {
            status: 'failed',
          }),
        ]),
      ],
      { status: 'failed' },
    );
    const lines = linesFor(inPath);
    expect(lines).toContainEqual(
      expect.stringMatching(/ ✗ checkout › pay \(.*\): pay: expected status 201, got 500$/),
    );
    expect(lines.at(-1)).toMatch(/^✗ journey checkout failed \(\d+\.\d\d s\)$/);
  });

  it('keeps the whole message of a journey that could not start', () => {
    const result = journey('checkout', [skippedStep('login')], {
      status: 'failed',
      error: { message: 'the API did not start\nLast log lines:\n  boom' },
    });
    expect(linesFor(result).slice(-3)).toEqual([
      expect.stringMatching(/: the API did not start$/),
      'Last log lines:',
      '  boom',
    ]);
  });

  it('passing journeys get no reason', () => {
    expect(linesFor(journey('ok', [step('a')])).at(-1)).toMatch(
      /^✓ journey ok passed \(\d+\.\d\d s\)$/,
    );
  });
});
