import { register } from 'node:module';

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
  register(new URL('./run/venomqa-resolve-hook.js', import.meta.url), {
    data: { self: new URL('./index.js', import.meta.url).href },
  });
}
