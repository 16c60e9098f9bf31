import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));
const PACKAGE = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
) as { exports: Record<string, unknown> };

/** Clients that cost tens of milliseconds to import; each loads only where it is used. */
const HEAVY = ['pg', 'zod', 'yaml', 'dockerode', 'execa', 'ioredis', 'mysql2', 'tsx'];

/**
 * The packages a module loads when it is imported: its static imports, followed through src/
 * (`import type` and `import()` load nothing up front).
 */
function eagerPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const statements = source.matchAll(
      /^(?:import|export)(?!\s+type\s)[^;]*?\sfrom\s+'([^']+)';|^import\s+'([^']+)';/gms,
    );
    for (const [, from, bare] of statements) {
      const specifier = from ?? bare ?? '';
      if (specifier.startsWith('.')) {
        visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      } else if (!specifier.startsWith('node:')) {
        packages.add(
          specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        );
      }
    }
  };
  visit(path.join(SRC, entry));
  return packages;
}

describe('entry points', () => {
  it('the root imports no database, Docker, config-file or TypeScript library', () => {
    const loaded = [...eagerPackages('index.ts')];
    expect(loaded.filter((name) => HEAVY.includes(name))).toEqual([]);
  });

  it('the CLI entry and its program load commander alone; commands load when they are named', () => {
    expect([...eagerPackages('cli/main.ts')]).toEqual([]);
    expect([...eagerPackages('cli/program.ts')]).toEqual(['commander']);
  });

  it('venomqa/errors is a leaf', () => {
    expect([...eagerPackages('errors/index.ts')]).toEqual([]);
  });

  it.each([
    ['snapshot/index.ts', ['pg']],
    ['server/index.ts', ['pg']],
    ['state/index.ts', ['pg']],
    ['docker/index.ts', []],
    ['diff/index.ts', ['pg']],
    ['run/index.ts', []],
    ['init/index.ts', []],
  ])('%s loads only %j of the heavy clients up front', (entry, expected) => {
    const loaded = [...eagerPackages(entry)].filter((name) => HEAVY.includes(name));
    expect(loaded.sort()).toEqual(expected);
  });

  it('every subpath in package.json exports has an index.ts, and every layer index is exported', () => {
    const subpaths = Object.keys(PACKAGE.exports)
      .filter((key) => key !== '.' && key !== './package.json')
      .map((key) => key.slice(2));
    for (const subpath of subpaths) {
      expect(() => readFileSync(path.join(SRC, subpath, 'index.ts'))).not.toThrow();
    }
    expect(subpaths.sort()).toEqual([
      'api',
      'config',
      'diff',
      'docker',
      'doctor',
      'errors',
      'http',
      'init',
      'journey',
      'report',
      'run',
      'runner',
      'server',
      'snapshot',
      'state',
    ]);
  });

  it('no entry point re-exports a whole module', () => {
    for (const key of Object.keys(PACKAGE.exports)) {
      if (key === './package.json') continue;
      const source = readFileSync(path.join(SRC, key.slice(2), 'index.ts'), 'utf8');
      expect(source, key).not.toMatch(/export \*/);
    }
  });

  it('the root exports what journeys and scripts are written with', async () => {
    const root = await import('venomqa');
    expect(Object.keys(root).sort()).toEqual([
      'Branch',
      'Checkpoint',
      'Client',
      'ExitCode',
      'HttpClient',
      'HttpResponse',
      'Journey',
      'JourneyRunner',
      'Path',
      'Step',
      'VenomQAError',
      'isVenomQAError',
      'loadJourneys',
      'runJourneys',
    ]);
  });

  it('a subpath resolves to its layer (as the test alias and package.json map it)', async () => {
    const state = await import('venomqa/state');
    expect(typeof state.createStateBackendRegistry).toBe('function');
    expect(Object.keys(state)).not.toContain('BUILTIN_STATE_BACKENDS');
  });
});
