const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML element content or a quoted attribute value: markup can never start. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * An element id for a journey's item (`p-0-add_item-pay`): letters, digits, `-` and `_` only,
 * with the journey's index first so two journeys' paths of one name never collide.
 */
export function anchorId(prefix: string, journeyIndex: number, name: string): string {
  const slug = name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${prefix}-${journeyIndex}-${slug || 'x'}`;
}

/** Width in pixels of `text` in the report's SVG font (monospace 12 px: 7.3 px a character). */
export function textWidth(text: string, size = 12): number {
  return Math.ceil([...text].length * size * 0.61);
}

/** A number for an SVG attribute: at most one decimal, no `-0`. */
export function px(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}
