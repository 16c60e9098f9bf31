import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../config/temp-dir.js';

interface BundleOptionsModule {
  bundleOptions: () => Record<string, unknown>;
}

const { bundleOptions } = (await import(
  new URL('../../../scripts/bundle-options.mjs', import.meta.url).href
)) as BundleOptionsModule;

describe('the bundle build', () => {
  it('gives a dynamic import of a bundled CommonJS package its named exports, as Node does', async () => {
    const dir = makeTempDir();
    // The build's own options (code splitting, the bundled packages), on one module that
    // resolves its packages from the repository.
    const options = bundleOptions();
    await build({
      ...options,
      entryPoints: undefined,
      stdin: {
        contents:
          "export async function parseWithYaml(text: string): Promise<unknown> {\n  const { parse } = await import('yaml');\n  return parse(text);\n}\n",
        loader: 'ts',
        resolveDir: String(options.absWorkingDir),
        sourcefile: 'entry.ts',
      },
      outdir: dir,
      sourcemap: false,
      logLevel: 'silent',
    });
    const built = (await import(pathToFileURL(path.join(dir, 'stdin.js')).href)) as {
      parseWithYaml(text: string): Promise<unknown>;
    };
    await expect(built.parseWithYaml('a: 1\n')).resolves.toEqual({ a: 1 });
  });
});
