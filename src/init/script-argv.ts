/** Shell syntax venomqa cannot run without a shell (it runs commands as argv lists). */
const SHELL_SYNTAX = /[|&;<>()$`\\"'*?{}[\]~]|^\s*\w+=/;

/**
 * The argv of an npm script that is one plain command (`node server.js --port 3000`), or
 * undefined when it needs a shell (`&&`, pipes, quotes, variables, `VAR=x cmd`).
 *
 * @example
 * ```ts
 * scriptArgv('node server.js'); // ['node', 'server.js']
 * scriptArgv('npm run build && node dist/main.js'); // undefined
 * ```
 */
export function scriptArgv(script: string): string[] | undefined {
  if (SHELL_SYNTAX.test(script)) return undefined;
  const argv = script.trim().split(/\s+/);
  return argv[0] ? argv : undefined;
}
