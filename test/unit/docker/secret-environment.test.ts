import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  SECRET_ENV_FILE,
  secretEnvironmentFor,
  shellQuote,
} from '../../../src/docker/secret-environment.js';

describe('secret environment of a container', () => {
  it('quotes any value so that sh reads it back unchanged', () => {
    for (const value of [`p@ss:w/rd?#%&=+ "'\\`, "it's", '$(id) `id` $HOME', 'a\nb', '']) {
      const echoed = execFileSync('sh', ['-c', `v=${shellQuote(value)}; printf %s "$v"`], {
        encoding: 'utf8',
      });
      expect(echoed).toBe(value);
    }
  });

  it('keeps secret variables out of Env and wraps the command in a loader', () => {
    const plan = secretEnvironmentFor(
      { PORT: '8080' },
      { DATABASE_URL: 'postgresql://u:pw@h/db', 'not.a.shell.name': 'x' },
      ['node', 'server.js'],
    );
    expect(plan.create.Env).toEqual(['PORT=8080', 'not.a.shell.name=x']);
    expect(plan.create.Entrypoint?.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(plan.create.Entrypoint?.[2]).toContain(SECRET_ENV_FILE);
    expect(plan.create.Cmd).toEqual(['node', 'server.js']);
    expect(JSON.stringify(plan.create)).not.toContain('pw@');
  });
});
