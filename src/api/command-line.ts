import { redactText } from '../redaction/index.js';
import { TargetConfigError } from './target-errors.js';

// Outside quotes these mean something only to a shell, which venomqa does not use.
const SHELL_OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')', '`', '$']);
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

const SHELL_HINT =
  'venomqa runs api.command without a shell. Write {port}, {database_url} or {host} where the ' +
  'value is needed (they are also in $PORT and $DATABASE_URL), put variables in api.env, or ' +
  'give a list such as [sh, -c, "…"] when you really need a shell.';

/**
 * Split `api.command` into arguments the way a shell splits words, without running one: blanks
 * separate words, `'…'` is literal, `"…"` keeps blanks and honours `\"` and `\\`, and `\x`
 * outside quotes is `x`. A list is taken as it is.
 *
 * A shell would also expand `$PORT`, run pipes and apply `VAR=value` prefixes; silently passing
 * those through as literal text would start the API wrongly and fail much later, so they are
 * rejected with {@link TargetConfigError} saying what to write instead.
 *
 * @example
 * ```ts
 * commandArgv(`node server.js --name 'my api'`); // ['node', 'server.js', '--name', 'my api']
 * ```
 */
export function commandArgv(command: string | readonly string[]): string[] {
  if (typeof command !== 'string') {
    if (command.length === 0 || command[0] === '') {
      throw new TargetConfigError('api.command is an empty list', { hint: SHELL_HINT });
    }
    return [...command];
  }
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i] as string;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && (command[i + 1] === '"' || command[i + 1] === '\\')) {
        word += command[++i];
      } else if (char === '$' || char === '`') {
        throw shellSyntax(command, char);
      } else word += char;
      continue;
    }
    if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (char === "'" || char === '"') quote = char;
    else if (char === '\\') {
      if (i + 1 < command.length) word += command[++i];
    } else if (SHELL_OPERATORS.has(char)) throw shellSyntax(command, char);
    else word += char;
  }
  if (quote !== undefined) {
    throw new TargetConfigError(
      `api.command has an unclosed ${quote} quote: ${redactText(command)}`,
    );
  }
  if (inWord) words.push(word);
  if (words.length === 0) throw new TargetConfigError('api.command is empty');
  const first = words[0] as string;
  if (ENV_ASSIGNMENT.test(first)) {
    throw new TargetConfigError(
      `api.command starts with a variable assignment (${first.split('=')[0]}=…), which only a shell understands`,
      { hint: SHELL_HINT },
    );
  }
  return words;
}

function shellSyntax(command: string, char: string): TargetConfigError {
  return new TargetConfigError(`api.command uses shell syntax (${char}): ${redactText(command)}`, {
    hint: SHELL_HINT,
  });
}
