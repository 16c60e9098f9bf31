import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfirmationRequiredError } from '../../../src/cli/cli-errors.js';
import { confirmDestructive, isCi } from '../../../src/cli/confirm-destructive.js';

/** A terminal that types `typed` (or ends, with undefined) once the question was written. */
function terminal(typed: string | undefined) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const stderr = new PassThrough();
  let asked = '';
  stderr.on('data', (chunk: Buffer) => {
    asked += chunk.toString();
    if (typed === undefined) stdin.end();
    else stdin.write(typed);
  });
  return { stdin, stderr, asked: () => asked };
}

const base = { command: 'venomqa snapshot delete keep', what: "deletes snapshot 'keep'" };

describe('confirmDestructive', () => {
  it('goes ahead with --force, terminal or not', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: false });
    await expect(
      confirmDestructive({ ...base, force: true, env: { CI: 'true' }, stdin }),
    ).resolves.toBeUndefined();
  });

  it('refuses without a terminal, naming the command to run instead', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: false });
    const refused = confirmDestructive({ ...base, force: undefined, env: {}, stdin });
    await expect(refused).rejects.toBeInstanceOf(ConfirmationRequiredError);
    await expect(refused).rejects.toMatchObject({
      code: 'VENOMQA_CONFIRMATION_REQUIRED',
      exitCode: 2,
      hint: 'Run `venomqa snapshot delete keep --force` to confirm.',
    });
  });

  it('refuses at a terminal when CI is set, without asking', async () => {
    const tty = terminal('y\n');
    await expect(
      confirmDestructive({ ...base, force: false, env: { CI: '1' }, ...tty }),
    ).rejects.toThrow(/CI is set/);
    expect(tty.asked()).toBe('');
  });

  it('asks at a terminal and goes ahead only on y', async () => {
    const yes = terminal('y\n');
    await confirmDestructive({ ...base, force: undefined, env: { CI: 'false' }, ...yes });
    expect(yes.asked()).toContain("deletes snapshot 'keep'. Go ahead? [y/N]");
    const no = terminal('\n');
    await expect(confirmDestructive({ ...base, force: undefined, env: {}, ...no })).rejects.toThrow(
      /was not confirmed/,
    );
  });

  it('takes a closed terminal (Ctrl-D) as a no', async () => {
    const closed = terminal(undefined);
    await expect(
      confirmDestructive({ ...base, force: undefined, env: {}, ...closed }),
    ).rejects.toThrow(/was not confirmed/);
  });

  it('reads CI as the CI services set it', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({ CI: '0' })).toBe(false);
    expect(isCi({})).toBe(false);
  });
});
