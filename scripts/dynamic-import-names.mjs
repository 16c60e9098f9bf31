// An esbuild plugin for the bundle build: dynamic imports of bundled packages keep the names
// Node gives them.
//
// Node's `await import('yaml')` of a CommonJS package has its named exports (`parse`, found by
// Node's CommonJS export detection) besides `default`; esbuild's code splitting gives such an
// import a chunk with `default` alone, so `const { parse } = await import('yaml')` worked from
// src/ and failed in the bundle ("parseYaml is not a function"). With this plugin, a dynamic
// import of a bundled package loads a small module that re-exports, statically, the names
// Node finds in that package, and esbuild bundles static named imports of CommonJS correctly.

import { pathToFileURL } from 'node:url';

const NAMESPACE = 'venomqa-dynamic-import';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A RegExp source matching `name` or `name/…` for each of `packages`. */
function specifierPattern(packages) {
  const names = packages.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^(?:${names.join('|')})(?:/|$)`);
}

/** @param {string[]} packages the bundled packages (dynamic imports of the others stay as they are) */
export function dynamicImportNames(packages) {
  return {
    name: 'dynamic-import-names',
    setup(build) {
      build.onResolve({ filter: specifierPattern(packages) }, (args) =>
        args.kind === 'dynamic-import'
          ? { path: args.path, namespace: NAMESPACE, pluginData: { resolveDir: args.resolveDir } }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        // The names as Node sees them, from the copy the build bundles (resolved from where the
        // import was written).
        const { resolveDir } = args.pluginData;
        const resolved = await build.resolve(args.path, { kind: 'import-statement', resolveDir });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        const namespace = await import(pathToFileURL(resolved.path).href);
        const names = Object.keys(namespace).filter((name) => IDENTIFIER.test(name));
        const specifier = JSON.stringify(args.path);
        return {
          contents: `export { ${names.join(', ')} } from ${specifier};\n`,
          resolveDir,
          loader: 'js',
        };
      });
    },
  };
}
