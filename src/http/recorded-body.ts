import { redactJson, redactText } from '../redaction/index.js';

/** Longest body text kept in an exchange record, in UTF-16 code units (64 Ki). */
export const MAX_RECORDED_BODY_CHARS = 64 * 1024;

// Redaction runs on a little more than is kept, so a URL cut at the bound is still seen whole
// by the URL pattern before the cut.
const REDACTION_MARGIN = 1024;

/** True for `application/json`, `application/problem+json`, `text/json` and the like. */
export function isJsonContentType(contentType: string | null | undefined): boolean {
  return /^\s*(?:application|text)\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType ?? '');
}

/**
 * What a body looks like in an exchange record: parsed and redacted JSON when `json` is true
 * and the text parses, otherwise the redacted text; anything longer than
 * {@link MAX_RECORDED_BODY_CHARS} becomes its text cut at that bound with a marker saying so.
 */
export function recordedBody(text: string, json: boolean): unknown {
  if (json) {
    const parsed = parseJson(text);
    if (parsed.ok) {
      const redacted = redactJson(parsed.value);
      const serialized = JSON.stringify(redacted);
      // A cut JSON document no longer parses, so a long one is kept as text.
      return serialized.length > MAX_RECORDED_BODY_CHARS ? cut(serialized) : redacted;
    }
  }
  const head =
    text.length > MAX_RECORDED_BODY_CHARS + REDACTION_MARGIN
      ? text.slice(0, MAX_RECORDED_BODY_CHARS + REDACTION_MARGIN)
      : text;
  const redacted = redactText(head);
  return redacted.length > MAX_RECORDED_BODY_CHARS || head !== text
    ? cut(redacted, text.length)
    : redacted;
}

function cut(text: string, totalChars = text.length): string {
  let end = Math.min(MAX_RECORDED_BODY_CHARS, text.length);
  // Never keep half of a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}\n…[venomqa: body cut at ${end} of ${totalChars} characters]`;
}

type ParseResult = { ok: true; value: unknown } | { ok: false };

function parseJson(text: string): ParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
