/**
 * Formatters for the parts of error messages that several layers share, so a "no such X"
 * error or a server's log tail reads the same wherever it comes from.
 */

/** `'a', 'b'` (each name quoted), or `none`. */
export function quotedList(names: readonly string[], none = 'none'): string {
  return names.length === 0 ? none : names.map((name) => `'${name}'`).join(', ');
}

/**
 * The first line of a "no such X" error: what was asked for, what exists, and the nearest
 * name when one is a plausible typo (see `closestName`).
 *
 * @example
 * ```ts
 * notFoundText({ kind: 'Snapshot', name: 'ordr', existing: ['order'], existingAs: 'existing snapshots', suggestion: 'order' });
 * // "Snapshot 'ordr' not found; existing snapshots: 'order'; did you mean 'order'?"
 * ```
 */
export function notFoundText(options: {
  /** What was looked for, capitalised: `Snapshot`, `Checkpoint`, `State backend`. */
  kind: string;
  name: string;
  existing: readonly string[];
  /** How the existing ones are introduced: `existing snapshots`, `registered backends`. */
  existingAs: string;
  suggestion?: string | undefined;
}): string {
  const { kind, name, existing, existingAs, suggestion } = options;
  return (
    `${kind} '${name}' not found; ${existingAs}: ${quotedList(existing)}` +
    (suggestion === undefined ? '' : `; did you mean '${suggestion}'?`)
  );
}

/**
 * The tail of a process's output appended to a message: `\nLast log lines:\n  …`, one
 * indented line each; `empty` (default nothing) when there are none.
 */
export function logTailText(
  lines: readonly string[],
  options: { heading?: string; empty?: string } = {},
): string {
  if (lines.length === 0) return options.empty ?? '';
  const heading = options.heading ?? 'Last log lines';
  return `\n${heading}:\n${lines.map((line) => `  ${line}`).join('\n')}`;
}
