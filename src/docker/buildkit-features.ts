/** A Dockerfile construct that only BuildKit builds. */
export interface BuildKitFeature {
  /** What it is, as a user would search for it: `RUN --mount`, `a heredoc (<<EOF)`. */
  readonly feature: string;
  /** 1-based line of the instruction in the Dockerfile. */
  readonly line: number;
}

/** Flags the classic builder rejects ("the --mount option requires BuildKit"), per instruction. */
const BUILDKIT_FLAGS: Readonly<Record<string, readonly string[]>> = {
  RUN: ['mount', 'network', 'security'],
  COPY: ['link', 'chmod', 'parents', 'exclude'],
  ADD: ['link', 'chmod', 'checksum', 'keep-git-dir', 'exclude'],
};

/**
 * The BuildKit-only constructs a Dockerfile uses, in order: `RUN --mount/--network/--security`,
 * `COPY`/`ADD` with `--link`, `--chmod`, `--parents`, `--exclude`, `--checksum` or
 * `--keep-git-dir`, and heredocs (`RUN <<EOF`). The classic builder (the Docker API's own,
 * venomqa's fallback) fails on each of them, so venomqa names them before sending the context.
 *
 * A `# syntax=` line alone is not listed: the classic builder reads it as a comment.
 * Continuation lines (`\`, or the character set by `# escape=`) are joined first.
 *
 * @example
 * ```ts
 * findBuildKitFeatures('FROM node:22\nRUN --mount=type=cache,target=/root/.npm npm ci\n');
 * // [{ feature: 'RUN --mount', line: 2 }]
 * ```
 */
export function findBuildKitFeatures(dockerfile: string): BuildKitFeature[] {
  const found: BuildKitFeature[] = [];
  const lines = dockerfile.split(/\r?\n/);
  for (const { text, line } of instructions(lines)) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/s.exec(text);
    if (match === null) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const rest = match[2] ?? '';
    for (const flag of BUILDKIT_FLAGS[keyword] ?? []) {
      if (new RegExp(`(^|\\s)--${flag}(=|\\s|$)`).test(leadingFlags(rest))) {
        found.push({ feature: `${keyword} --${flag}`, line });
      }
    }
    // `<<EOF` counts only when a later line is `EOF`: a shift in a shell command is not one.
    const word = /<<-?(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(rest)?.[2];
    if (word !== undefined && lines.slice(line).some((l) => l.trim() === word)) {
      found.push({ feature: `a heredoc in ${keyword} (<<${word})`, line });
    }
  }
  return found;
}

/** The `--flag` words before an instruction's arguments (`--mount=… --network=host`). */
function leadingFlags(rest: string): string {
  const words = rest.trim().split(/\s+/);
  const flags: string[] = [];
  for (const word of words) {
    if (!word.startsWith('--')) break;
    flags.push(word);
  }
  return flags.join(' ');
}

/** The Dockerfile's instructions with continuation lines joined; comments and blanks dropped. */
function instructions(lines: readonly string[]): { text: string; line: number }[] {
  const escape = escapeCharacter(lines);
  const result: { text: string; line: number }[] = [];
  let current: { text: string; line: number } | undefined;
  for (const [index, raw] of lines.entries()) {
    if (current === undefined && (/^\s*#/.test(raw) || raw.trim() === '')) continue;
    // Comment lines inside a continued instruction are skipped, as Docker does.
    if (current !== undefined && /^\s*#/.test(raw)) continue;
    const continued = raw.trimEnd().endsWith(escape);
    const text = continued ? raw.trimEnd().slice(0, -1) : raw;
    if (current === undefined) current = { text, line: index + 1 };
    else current.text += ` ${text}`;
    if (!continued) {
      result.push(current);
      current = undefined;
    }
  }
  if (current !== undefined) result.push(current);
  return result;
}

/** `# escape=`` ` `` among the parser directives at the top; `\` otherwise. */
function escapeCharacter(lines: readonly string[]): string {
  for (const line of lines) {
    const directive = /^\s*#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(line);
    if (directive === null) break;
    if ((directive[1] ?? '').toLowerCase() === 'escape') return directive[2] ?? '\\';
  }
  return '\\';
}
