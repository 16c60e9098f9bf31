/**
 * Levenshtein edit distance (insertions, deletions, substitutions each cost 1).
 *
 * @example
 * ```ts
 * levenshtein('paralel_paths', 'parallel_paths'); // 1
 * ```
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // One row of the DP table is enough: each cell needs only the row above and its left cell.
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const deletion = (previous[j] ?? 0) + 1;
      const insertion = (current[j - 1] ?? 0) + 1;
      current.push(Math.min(substitution, deletion, insertion));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `input`, or undefined when none is close enough to be a plausible
 * typo. Comparison ignores case and treats `-` as `_`, so `Parallel-Paths` finds
 * `parallel_paths`. "Close enough" is at most one edit per three characters (minimum one):
 * a suggestion that is wrong is worse than none.
 *
 * @example
 * ```ts
 * closestName('provder', ['provider', 'image', 'port']); // 'provider'
 * closestName('colour', ['provider', 'image', 'port']); // undefined
 * ```
 */
export function closestName(input: string, candidates: Iterable<string>): string | undefined {
  const normalise = (text: string): string => text.toLowerCase().replaceAll('-', '_');
  const wanted = normalise(input);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const distance = levenshtein(wanted, normalise(candidate));
    const allowed = Math.max(1, Math.floor(Math.max(wanted.length, candidate.length) / 3));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
