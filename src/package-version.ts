import { readFileSync } from 'node:fs';

let version: string | undefined;

/** venomqa's own version, from its package.json (one level up from both `src/` and `dist/`). */
export function packageVersion(): string {
  if (version === undefined) {
    const raw = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    version = (JSON.parse(raw) as { version: string }).version;
  }
  return version;
}
