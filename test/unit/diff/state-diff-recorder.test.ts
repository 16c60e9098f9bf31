import { describe, expect, it } from 'vitest';
import { StateDiffRecorder } from '../../../src/diff/state-diff-recorder.js';

// Nothing here reaches a server: the URLs point at a closed port, so any read would fail, and
// the checkpoint copies fail before a database is made. What is checked is when the recorder
// reads: never at checkpoint time with `failed`, once per checkpoint for all its paths.

const NOWHERE = 'postgres://venomqa@127.0.0.1:1/nowhere';
const limits = { rowLimit: 20, maxRows: 100_000 };

describe('StateDiffRecorder', () => {
  it('with failed, reads no checkpoint when it is taken', async () => {
    const recorder = new StateDiffRecorder({ paths: 'failed', ...limits });
    await expect(recorder.checkpointTaken('order_created', NOWHERE)).resolves.toBe(false);
  });

  it('with failed, reads a checkpoint through one copy for all the paths from it', async () => {
    const recorder = new StateDiffRecorder({ paths: 'failed', ...limits });
    let copies = 0;
    const copy = () => {
      copies += 1;
      return Promise.reject(new Error('clone refused'));
    };
    const first = await recorder.pathDone('order_created', NOWHERE, 'checkout/pay', copy);
    const second = await recorder.pathDone('order_created', NOWHERE, 'checkout/cancel', copy);
    expect(copies).toBe(1);
    expect(first).toMatchObject({ from: 'order_created', to: 'checkout/pay' });
    expect(first.error?.message).toBe('clone refused');
    expect(second.error?.message).toBe('clone refused');
  });

  it('with all, reads the checkpoint when it is taken and keeps a failed read for its diffs', async () => {
    const recorder = new StateDiffRecorder({ paths: 'all', ...limits });
    await expect(recorder.checkpointTaken('order_created', NOWHERE)).resolves.toBe(true);
    const copy = () => Promise.reject(new Error('not asked for'));
    const diff = await recorder.pathDone('order_created', NOWHERE, 'checkout/pay', copy);
    expect(diff.error?.message).not.toBe('not asked for');
    expect(diff.error).toBeDefined();
  });

  it('names the checkpoints it has when a path asks for one it never saw', async () => {
    const recorder = new StateDiffRecorder({ paths: 'all', ...limits });
    await recorder.checkpointTaken('order_created', NOWHERE);
    const diff = await recorder.pathDone('item_added', NOWHERE, 'checkout/add_item/pay');
    expect(diff.error?.code).toBe('VENOMQA_DIFF_BASELINE_MISSING');
    expect(diff.error?.message).toContain('order_created');
  });
});
