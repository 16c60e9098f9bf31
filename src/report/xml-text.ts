// Characters XML 1.0 does not allow anywhere, even escaped: C0 controls other than tab, line
// feed and carriage return, U+FFFE, U+FFFF, and surrogates that are not part of a pair (with
// the `u` flag a pair is one code point, so \p{Cs} matches only lone halves).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML_CHARS = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\p{Cs}]/gu;

/**
 * `text` without the characters XML 1.0 forbids. Reports pass their whole output through it:
 * besides making JUnit files parse, it keeps NUL bytes and lone surrogates (which UTF-8 cannot
 * encode) out of the markdown.
 */
export function removeInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, '');
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Text for an attribute value: markup escaped, and tab and line breaks kept as references. */
export function escapeXmlAttribute(text: string): string {
  return text.replace(/[&<>"'\t\n\r]/g, (char) => ESCAPES[char] ?? char);
}

/** Text for element content: markup escaped (`]]>` can no longer end anything). */
export function escapeXmlText(text: string): string {
  return text.replace(/[&<>"'\r]/g, (char) => ESCAPES[char] ?? char);
}
