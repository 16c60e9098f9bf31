import { describe, expect, it } from 'vitest';

import {
  escapeMarkdownInline,
  fencedBlock,
  inlineCode,
} from '../../../src/report/markdown-text.js';
import { formatDuration } from '../../../src/report/report-text.js';
import {
  escapeXmlAttribute,
  escapeXmlText,
  removeInvalidXmlChars,
} from '../../../src/report/xml-text.js';

describe('markdown text', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(fencedBlock('a')).toBe('```\na\n```');
    expect(fencedBlock('```js\nx\n```', 'md')).toBe('````md\n```js\nx\n```\n````');
    expect(fencedBlock('`````')).toBe('``````\n`````\n``````');
  });

  it('makes inline code that survives backticks and line breaks', () => {
    expect(inlineCode('vqa_1')).toBe('`vqa_1`');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`x`')).toBe('`` `x` ``');
    expect(inlineCode('a\nb')).toBe('`a b`');
  });

  it('escapes markup in inline text and joins lines', () => {
    expect(escapeMarkdownInline('*a* _b_ [c](d) <e> `f` |g| ~h~ &amp; \\')).toBe(
      '\\*a\\* \\_b\\_ \\[c\\](d) \\<e\\> \\`f\\` \\|g\\| \\~h\\~ \\&amp; \\\\',
    );
    expect(escapeMarkdownInline('one\r\ntwo\nthree')).toBe('one two three');
  });
});

describe('xml text', () => {
  it('escapes markup in text and attributes', () => {
    expect(escapeXmlText(`a & b < c > d "e" 'f' ]]>\n`)).toBe(
      'a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos; ]]&gt;\n',
    );
    expect(escapeXmlAttribute('a\tb\nc\rd"')).toBe('a&#9;b&#10;c&#13;d&quot;');
  });

  it('removes characters XML 1.0 forbids and keeps the rest', () => {
    expect(removeInvalidXmlChars('a\u0000b\u0001\u0008\u000B\u000C\u001F\uFFFE\uFFFFc')).toBe(
      'abc',
    );
    expect(removeInvalidXmlChars('x\uD800y\uDC00z')).toBe('xyz');
    expect(removeInvalidXmlChars('\t\n\r é 😀 \u007F \uFFFD')).toBe('\t\n\r é 😀 \u007F \uFFFD');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [999.4, '999 ms'],
    [999.6, '1.00 s'],
    [59_996, '1 min 00.0 s'],
    [119_990, '2 min 00.0 s'],
    [1234, '1.23 s'],
    [59_990, '59.99 s'],
    [185_100, '3 min 05.1 s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
