import { describe, expect, it } from 'vitest';

import { ConfigError, displayPath, formatConfigIssue } from '../../../src/config/config-errors.js';
import { ExitCode } from '../../../src/errors/exit-code.js';
import { isVenomQAError } from '../../../src/errors/venomqa-error.js';

describe('ConfigError', () => {
  it('is a usage error with a stable code', () => {
    const error = new ConfigError({ message: 'x', fromCode: true });
    expect(isVenomQAError(error)).toBe(true);
    expect(error.code).toBe('VENOMQA_CONFIG_INVALID');
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.name).toBe('ConfigError');
  });

  it('puts one issue per line, first issue first, and exposes the first one', () => {
    const error = new ConfigError(
      [
        {
          file: '/repo/venomqa.yaml',
          line: 3,
          column: 1,
          key: 'paralel_paths',
          suggestion: 'parallel_paths',
          message: "unknown key 'paralel_paths'; did you mean 'parallel_paths'?",
        },
        { variable: 'VENOMQA_TIMEOUT', key: 'timeout', message: 'must be a number' },
        { flag: '--parallel', key: 'parallel_paths', message: 'must be an integer' },
        { fromCode: true, key: 'verbose', message: "'verbose' must be true or false" },
      ],
      { cwd: '/repo' },
    );
    expect(error.message.split('\n')).toEqual([
      "venomqa.yaml:3:1: unknown key 'paralel_paths'; did you mean 'parallel_paths'?",
      'VENOMQA_TIMEOUT: must be a number',
      '--parallel: must be an integer',
      "code: 'verbose' must be true or false",
    ]);
    expect(error).toMatchObject({
      file: '/repo/venomqa.yaml',
      line: 3,
      column: 1,
      key: 'paralel_paths',
      suggestion: 'parallel_paths',
    });
    expect(error.issues).toHaveLength(4);
  });

  it('shows a file outside cwd by its absolute path', () => {
    expect(formatConfigIssue({ file: '/etc/venomqa.yaml', line: 2, message: 'bad' }, '/repo')).toBe(
      '/etc/venomqa.yaml:2: bad',
    );
  });
});

describe('displayPath', () => {
  it('is relative inside cwd and absolute outside it', () => {
    expect(displayPath('/repo/qa/venomqa.yaml', '/repo')).toBe('qa/venomqa.yaml');
    expect(displayPath('/repository/venomqa.yaml', '/repo')).toBe('/repository/venomqa.yaml');
    expect(displayPath('/repo/..venomqa.yaml', '/repo')).toBe('..venomqa.yaml');
  });
});
