import { describe, expect, it } from 'vitest';

import {
  MAX_RECORDED_BODY_CHARS,
  isJsonContentType,
  recordedBody,
} from '../../../src/http/recorded-body.js';

describe('recordedBody', () => {
  it('parses JSON and redacts it', () => {
    expect(recordedBody('{"a":1,"password":"x"}', true)).toEqual({ a: 1, password: '***' });
  });

  it('keeps JSON that does not parse as text', () => {
    expect(recordedBody('{"a":', true)).toBe('{"a":');
  });

  it('keeps a long JSON document as cut text, redacted before the cut', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ i, token: `secret-${i}` }));
    const body = recordedBody(JSON.stringify(items), true);
    expect(typeof body).toBe('string');
    expect(body).not.toContain('secret-');
    expect(body).toMatch(/^\[\{"i":0,"token":"\*\*\*"\}/);
    expect(body).toMatch(/\n…\[venomqa: body cut at 65536 of \d+ characters\]$/);
  });

  it('never cuts a surrogate pair in half', () => {
    const text = `${'a'.repeat(MAX_RECORDED_BODY_CHARS - 1)}😀tail`;
    const body = recordedBody(text, false) as string;
    expect(body.startsWith(`${'a'.repeat(MAX_RECORDED_BODY_CHARS - 1)}\n…`)).toBe(true);
    expect(body).toContain(`cut at ${MAX_RECORDED_BODY_CHARS - 1} of ${text.length}`);
  });

  it('redacts a URL that straddles the cut', () => {
    const text = `${'a '.repeat(MAX_RECORDED_BODY_CHARS / 2 - 10)}postgresql://qa:hunter2@db/app`;
    expect(recordedBody(text, false)).not.toContain('hunter');
  });
});

describe('isJsonContentType', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['application/problem+json', true],
    ['application/vnd.api+json', true],
    ['text/json', true],
    ['text/plain', false],
    ['application/jsonl', false],
    [null, false],
  ])('%s → %s', (contentType, expected) => {
    expect(isJsonContentType(contentType)).toBe(expected);
  });
});
