import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The bench scripts import the built package (../dist/…), which no other test loads: a name
// moved or made internal broke them silently once. Each import is checked against the source
// module the dist file is built from.
const benchDir = fileURLToPath(new URL('../../../bench/', import.meta.url));
const srcDir = fileURLToPath(new URL('../../../src/', import.meta.url));
const IMPORT = /import\s*\{([^}]*)\}\s*from\s*'\.\.\/dist\/([^']+)\.js'/g;
// `const { a, b } = await import(`${dist}/x/index.js`)`: a bench that can load another build.
const DYNAMIC_IMPORT = /const\s*\{([^}]*)\}\s*=\s*await import\(\s*`\$\{dist\}\/([^`]+)\.js`\s*\)/g;

describe('bench scripts', () => {
  const scripts = readdirSync(benchDir).filter((file) => file.endsWith('.mjs'));

  it.each(scripts)('%s imports only names the package exports', async (script) => {
    const source = readFileSync(`${benchDir}${script}`, 'utf8');
    const missing: string[] = [];
    for (const [, names = '', modulePath = ''] of [
      ...source.matchAll(IMPORT),
      ...source.matchAll(DYNAMIC_IMPORT),
    ]) {
      const module = (await import(`${srcDir}${modulePath}.ts`)) as Record<string, unknown>;
      for (const name of names.split(',').map((n) => n.trim().replace(/^type\s+/, ''))) {
        if (name && !(name in module)) missing.push(`${name} from dist/${modulePath}.js`);
      }
    }
    expect(missing).toEqual([]);
  });
});
