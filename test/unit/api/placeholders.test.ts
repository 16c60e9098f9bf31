import { describe, expect, it } from 'vitest';
import {
  instanceEnvironment,
  secretsOf,
  substitutePlaceholders,
} from '../../../src/api/placeholders.js';
import { reachableFromBridge } from '../../../src/api/docker-target.js';

const values = {
  database_url: 'postgresql://qa:pw@127.0.0.1:5432/c1',
  port: '4100',
  host: '127.0.0.1',
};

describe('placeholders', () => {
  it('replaces {database_url}, {port} and {host}, and leaves other braces alone', () => {
    expect(substitutePlaceholders('{host}:{port} {database_url} {"a":1} {other}', values)).toBe(
      '127.0.0.1:4100 postgresql://qa:pw@127.0.0.1:5432/c1 {"a":1} {other}',
    );
  });

  it('sets DATABASE_URL and PORT unless api.env sets them', () => {
    expect(instanceEnvironment({ DB: '{database_url}' }, values)).toEqual({
      DATABASE_URL: values.database_url,
      PORT: '4100',
      DB: values.database_url,
    });
    expect(instanceEnvironment({ PORT: '8000', DATABASE_URL: 'x' }, values)).toEqual({
      DATABASE_URL: 'x',
      PORT: '8000',
    });
  });

  it('finds the password of a database URL in its encoded and decoded forms', () => {
    expect(secretsOf('postgresql://qa:p%40ss@db/app')).toEqual(['p%40ss', 'p@ss']);
    expect(secretsOf('postgresql://qa@db/app')).toEqual([]);
    expect(secretsOf('not a url')).toEqual([]);
  });

  it('points a loopback database URL at the host gateway for bridge containers', () => {
    expect(reachableFromBridge('postgresql://qa:pw@127.0.0.1:5432/c1')).toBe(
      'postgresql://qa:pw@host.docker.internal:5432/c1',
    );
    expect(reachableFromBridge('postgresql://qa:pw@localhost/c1')).toBe(
      'postgresql://qa:pw@host.docker.internal/c1',
    );
    expect(reachableFromBridge('postgresql://qa:pw@db.internal:5432/c1')).toBe(
      'postgresql://qa:pw@db.internal:5432/c1',
    );
  });
});
