import type { EnvRecord } from '../config/interpolate.js';

/** The result of substituting compose variables in one value. */
export interface Substituted {
  value: string;
  /** `${VAR:?message}` with VAR unset, or a `${` that does not close. */
  problem?: string;
}

const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([\s\S]*))?$/;

/**
 * Compose's interpolation: `${VAR}` and `$VAR` (unset gives ''), `${VAR:-default}` (unset or
 * empty), `${VAR-default}` (unset), `${VAR:?error}` / `${VAR?error}`, and `$$` for a literal `$`.
 */
export function substituteComposeVariables(text: string, env: EnvRecord): Substituted {
  let value = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      value += text.slice(index);
      break;
    }
    value += text.slice(index, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      value += '$';
      index = dollar + 2;
    } else if (next === '{') {
      const end = text.indexOf('}', dollar + 2);
      const match = end === -1 ? null : BRACED.exec(text.slice(dollar + 2, end));
      const variable = match?.[1];
      if (match === null || variable === undefined) {
        return {
          value,
          problem: `'${text.slice(dollar, end === -1 ? undefined : end + 1)}' is not a valid substitution (write $$ for a literal $)`,
        };
      }
      const [, , operator, argument = ''] = match;
      const current = env[variable];
      const missing = operator?.startsWith(':')
        ? current === undefined || current === ''
        : current === undefined;
      if (operator !== undefined && operator.endsWith('?') && missing) {
        return {
          value,
          problem: `variable ${variable} is required${argument === '' ? '' : `: ${argument}`}`,
        };
      }
      value +=
        operator !== undefined && operator.endsWith('-') && missing ? argument : (current ?? '');
      index = end + 1;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(dollar + 1))?.[0];
      if (name === undefined) {
        value += '$';
        index = dollar + 1;
      } else {
        value += env[name] ?? '';
        index = dollar + 1 + name.length;
      }
    }
  }
  return { value };
}
