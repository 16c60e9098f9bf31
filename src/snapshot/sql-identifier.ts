import pg from 'pg';
import { InvalidNameError } from './snapshot-errors.js';

/** Quote an identifier for SQL. Every database name reaches SQL through here, and only here. */
export function ident(name: string): string {
  // escapeIdentifier would pass a NUL through, and PostgreSQL would cut the name at it.
  if (name.includes('\0')) throw new InvalidNameError('Identifier contains a NUL byte');
  return pg.escapeIdentifier(name);
}

/** A string literal for the few statements that take no parameters (COMMENT ON). */
export function literal(value: string): string {
  if (value.includes('\0')) throw new InvalidNameError('Literal contains a NUL byte');
  return pg.escapeLiteral(value);
}
