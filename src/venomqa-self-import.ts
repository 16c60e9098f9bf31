import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { packagePath } from './package-root.js';

let registered = false;

/**
 * Let user modules (journeys, `venomqa.config.ts`) `import … from 'venomqa'` wherever they are,
 * even where no `venomqa` package can be found from them (a global `npx venomqa`, a folder
 * outside the project): see run/venomqa-resolve-hook. Only from the built package: the hook
 * runs in Node's loader thread, which cannot load TypeScript sources. Idempotent.
 */
export function resolveVenomqaToSelf(): void {
  if (registered || !import.meta.url.endsWith('.js')) return;
  registered = true;
  // The hook and the entry points keep their paths in dist/ (package.json names them), while
  // this module may be part of a shared chunk: both are found from the package root.
  register(pathToFileURL(packagePath('dist', 'run', 'venomqa-resolve-hook.js')), {
    data: { self: pathToFileURL(packagePath('dist', 'index.js')).href },
  });
}

/**
 * Import a user's TypeScript module (a journey, `venomqa.config.ts`) through tsx. The parent URL
 * only anchors resolution (`url` is absolute): venomqa's package.json, not this module's URL,
 * which is a shared chunk's in the build.
 */
export async function importTypeScript(url: string): Promise<Record<string, unknown>> {
  const { tsImport } = await import('tsx/esm/api');
  const parent = pathToFileURL(packagePath('package.json')).href;
  return (await tsImport(url, parent)) as Record<string, unknown>;
}
