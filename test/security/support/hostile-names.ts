/**
 * Names an attacker or an unlucky user could give a snapshot, checkpoint, journey or path:
 * SQL quoting and comment syntax, LIKE wildcards, unicode that changes length or direction,
 * names around PostgreSQL's 63-byte identifier limit, control characters, reserved words and
 * names that imitate venomqa's own physical names. The list is deterministic (a seeded
 * generator), so a failure names a name that can be replayed.
 */

/** Names every generated list starts with: each hostile case on its own. */
export const BASE_NAMES: readonly string[] = [
  '',
  ' ',
  '\t',
  '\0',
  'a\0b',
  'snap\0; drop database app',
  "'",
  '"',
  '`',
  "a'b",
  'a"b',
  "'; drop database app; --",
  '"; drop database app; --',
  'x" with is_template false --',
  "x' or '1'='1",
  'a;b',
  ';',
  '--',
  'a--b',
  '/* c */',
  '\\',
  'a\\b',
  "\\'; drop database app; --",
  '$$',
  '$1',
  'é',
  'café',
  'cafe\u0301',
  '日本語',
  '🐍',
  'a\u200bb',
  'a\u202eb',
  'a\u0085b',
  'clear\u009b2J',
  'a\u2028b',
  'a\ud800b',
  'a\ufffeb',
  '\ufeffbom',
  'Ω≈ç√∫',
  'x'.repeat(63),
  'x'.repeat(64),
  'x'.repeat(65),
  `${'x'.repeat(61)}é`, // 63 bytes, 62 characters
  `${'x'.repeat(62)}é`, // 64 bytes, 63 characters: fits by characters, not by bytes
  `${'x'.repeat(63)}é`, // 65 bytes
  `${'x'.repeat(59)}🐍`, // 63 bytes
  `${'x'.repeat(60)}🐍`, // 64 bytes
  'é'.repeat(32), // 64 bytes, 32 characters
  'x'.repeat(51),
  'x'.repeat(52),
  'x'.repeat(59),
  'x'.repeat(60),
  'select',
  'SELECT',
  'table',
  'user',
  'current_user',
  'default',
  'null',
  'NULL',
  'all',
  'postgres',
  'template0',
  'template1',
  'venomqa',
  'App',
  '%',
  '_',
  '%%',
  'a%b',
  'a_b',
  '_a',
  'vqa_%',
  'vqa_',
  'vqa',
  'vqa_s_%',
  'vqa_s_0123456789abcdef0123',
  'vqa_c_deadbeef_0123456789',
  '.',
  '..',
  '../../etc/passwd',
  'a/b',
  'a\nb',
  'a\rb',
  '\u007f',
  'a b',
  ' lead',
  'trail ',
  '-dash',
  '.dot',
  'ok',
  'ok.v1-2',
  'Snap_2025.01-a',
  '<script>alert(1)</script>',
  ']]>',
  '&amp;',
  '${HOME}',
  '{database_url}',
  '| rm -rf /',
  '$(id)',
];

/** Pieces the generator joins into more names. */
const PIECES: readonly string[] = [
  'a',
  'Z',
  '9',
  'snap',
  'order_created',
  '_',
  '.',
  '-',
  '%',
  "'",
  '"',
  '`',
  ';',
  '--',
  '\\',
  ' ',
  '\0',
  '\n',
  '\t',
  'é',
  '日',
  '🐍',
  '\u200b',
  '\u202e',
  '\u009b',
  '\u2028',
  '\udc00',
  '\uffff',
  'drop database app',
  'select',
  'vqa_',
  'postgres',
  '/',
  '..',
  '$',
  '<',
  '&',
  ']]>',
];

/** mulberry32: a small seeded generator, so the same seed gives the same names. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` names: the base cases, then generated ones (pieces joined, some padded to the
 * 63-byte limit and one past it). Duplicates are possible and intended: a second create of an
 * accepted name must be the typed "exists" error, not a SQL one.
 */
export function hostileNames(count: number, seed = 12): string[] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const names = BASE_NAMES.slice(0, count);
  while (names.length < count) {
    const parts = 1 + Math.floor(random() * 4);
    let name = Array.from({ length: parts }, () => pick(PIECES)).join('');
    const roll = random();
    if (roll < 0.15) {
      // Around the identifier limit: pad with ASCII to 62-65 bytes.
      const target = 62 + Math.floor(random() * 4);
      const pad = target - Buffer.byteLength(name, 'utf8');
      if (pad > 0) name = `${'n'.repeat(pad)}${name}`;
    } else if (roll < 0.35) {
      // Plain names that should pass, with a counter so most are distinct.
      name = `${pick(['s', 'snap', 'Q', '0'])}${pick(['', '_', '.', '-'])}${names.length}`;
    }
    names.push(name);
  }
  return names;
}

/** UTF-8 length, the measure PostgreSQL truncates identifiers by. */
export function utf8Bytes(name: string): number {
  return Buffer.byteLength(name, 'utf8');
}
