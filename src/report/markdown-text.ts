// Punctuation that can start markup inside a line (emphasis, code, links, HTML, tables,
// strikethrough, entities). Line-start markers (`#`, `-`, `1.`) cannot occur: inline text
// always follows a list marker or a label.
const MARKDOWN_INLINE_SPECIAL = /[\\`*_[\]<>|~&]/g;

/** Text placed inside a markdown line, shown literally. */
export function escapeMarkdownInline(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(MARKDOWN_INLINE_SPECIAL, (char) => `\\${char}`);
}

/**
 * A fenced code block holding `content` verbatim: the fence is one backtick longer than the
 * longest backtick run inside, so no line of the content can close it (CommonMark).
 */
export function fencedBlock(content: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(content) + 1));
  return `${fence}${info}\n${content}\n${fence}`;
}

/** Inline code holding `text` verbatim (same backtick rule as {@link fencedBlock}). */
export function inlineCode(text: string): string {
  const single = text.replace(/\r?\n|\r/g, ' ');
  const ticks = '`'.repeat(longestBacktickRun(single) + 1);
  // A space on each side lets content start or end with a backtick.
  const pad = single.startsWith('`') || single.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${single}${pad}${ticks}`;
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}
