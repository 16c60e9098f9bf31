import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

interface Manifest {
  exports: Record<string, { import?: string } | string>;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

interface BundleOptionsModule {
  BUNDLED_PACKAGES: string[];
  entryPoints(manifest: Manifest): string[];
  externalPackages(manifest: Manifest): string[];
}

const MANIFEST = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;
// The build's own lists (a .mjs script: imported by URL, typed here).
const options = (await import(
  new URL('../../../scripts/bundle-options.mjs', import.meta.url).href
)) as BundleOptionsModule;
const ENTRY_POINTS = options.entryPoints(MANIFEST);

/** Every file under `dir` (relative to the repository) whose name matches `name`. */
function filesUnder(dir: string, name: RegExp): string[] {
  return readdirSync(path.join(REPO, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => name.test(file) && !file.includes('node_modules'))
    .map((file) => path.join(dir, file));
}

/** Packages a source file loads (static and dynamic value imports; `import type` loads none). */
function loadedPackages(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/^(?:import|export)(?!\s+type\s)[^;]*?\sfrom\s+'([^'.][^']*)';/gms),
    ...source.matchAll(/^import\s+'([^'.][^']*)';/gm),
    ...source.matchAll(/\bimport\(\s*'([^'.][^']*)'\s*\)/g),
  ].map(([, specifier = '']) => specifier);
  return (
    specifiers
      // 'venomqa' itself appears only in the text of journeys venomqa init writes.
      .filter((specifier) => !specifier.startsWith('node:') && specifier !== 'venomqa')
      .map((specifier) =>
        specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/'),
      )
  );
}

describe('the bundle build', () => {
  it('builds every entry point package.json names at its path, from its source', () => {
    const named = [...Object.values(MANIFEST.exports), ...Object.values(MANIFEST.bin)]
      .map((target) => (typeof target === 'string' ? target : target.import))
      .filter((target): target is string => target?.endsWith('.js') === true)
      .map((target) => target.replace(/^(\.\/)?dist\//, '').replace(/\.js$/, ''));
    expect(ENTRY_POINTS).toEqual(expect.arrayContaining([...named, 'run/venomqa-resolve-hook']));
    for (const entry of ENTRY_POINTS) {
      expect(existsSync(path.join(REPO, 'src', `${entry}.ts`)), entry).toBe(true);
    }
  });

  it('builds every dist/ file the benches, test fixtures and .ci/run import', () => {
    const importers = [
      ...filesUnder('bench', /\.mjs$/),
      ...filesUnder('test/fixtures', /\.mjs$/),
      '.ci/run',
    ];
    const missing: string[] = [];
    for (const file of importers) {
      const source = readFileSync(path.join(REPO, file), 'utf8');
      // '../dist/x.js', 'dist/x.js', or `${dist}/x.js` in a bench that can load another build.
      for (const [, built = ''] of source.matchAll(/(?:\bdist|\$\{dist\})\/([\w/-]+)\.js\b/g)) {
        if (!ENTRY_POINTS.includes(built)) missing.push(`${file}: dist/${built}.js`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('bundles or leaves as a dependency every package the source loads', () => {
    const external = options.externalPackages(MANIFEST);
    const unplanned = new Set<string>();
    for (const file of filesUnder('src', /\.ts$/)) {
      for (const name of loadedPackages(readFileSync(path.join(REPO, file), 'utf8'))) {
        const bundled = options.BUNDLED_PACKAGES.includes(name);
        // An external package missing from dependencies would be absent after `npm install`.
        if (!bundled && !(external.includes(name) && name in MANIFEST.dependencies)) {
          unplanned.add(`${name} (${file})`);
        }
      }
    }
    expect([...unplanned]).toEqual([]);
    for (const name of options.BUNDLED_PACKAGES) {
      expect(name in MANIFEST.dependencies || name in MANIFEST.devDependencies, name).toBe(true);
    }
  });
});
