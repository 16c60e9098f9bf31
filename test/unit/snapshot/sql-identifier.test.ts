import { describe, expect, it } from 'vitest';
import { InvalidNameError } from '../../../src/snapshot/snapshot-errors.js';
import { ident, literal } from '../../../src/snapshot/sql-identifier.js';

describe('ident', () => {
  it('quotes every identifier, keeping case and doubling embedded quotes', () => {
    expect(ident('shop')).toBe('"shop"');
    expect(ident('Order')).toBe('"Order"');
    expect(ident('a"b')).toBe('"a""b"');
    expect(ident('x"; drop database postgres; --')).toBe('"x""; drop database postgres; --"');
    expect(ident('café')).toBe('"café"');
  });

  it('rejects a NUL byte, at which PostgreSQL would cut the name', () => {
    expect(() => ident('vqa_s\0postgres')).toThrow(InvalidNameError);
    expect(() => ident('vqa_s\0postgres')).toThrow('Identifier contains a NUL byte');
  });
});

describe('literal', () => {
  it('quotes a string for COMMENT ON, doubling quotes and escaping backslashes', () => {
    expect(literal('{"v":1}')).toBe(`'{"v":1}'`);
    expect(literal("it's")).toBe("'it''s'");
    expect(literal('a\\b')).toBe(" E'a\\\\b'");
  });

  it('rejects a NUL byte', () => {
    expect(() => literal('a\0b')).toThrow('Literal contains a NUL byte');
  });
});
