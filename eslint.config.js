import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Which folders of src/ each folder may import from (DESIGN.md, "Layers": dependencies point
 * down only). `values` may be imported in any form, `types` only with `import type`. Leaves
 * (errors, the top-level helper modules) have no dependencies and are open to every layer.
 * `cli` is special: it uses only the public API, the root and subpath `index.js` files that
 * package.json `exports` lists.
 */
const LEAVES = ['errors', 'package-version.js', 'process-liveness.js', 'run-id.js'];
const LAYERS = {
  cli: { publicApiOnly: true },
};

const escape = (name) => name.replace(/[.]/g, '\\.');
/** One src/ entry as the rest of an import path: `config/…` or `run-id.js`. */
const entry = (name) => (name.endsWith('.js') ? `${escape(name)}$` : `${escape(name)}/`);

/** `no-restricted-imports` patterns for a file `depth` folders below src/ in `layer`. */
function layerPatterns(layer, rules, depth) {
  const toSrc = `^(?:\\.\\./){${depth}}`;
  if (rules.publicApiOnly) {
    return [
      {
        regex: `${toSrc}(?!(?:[a-z-]+/)?index\\.js$|package-version\\.js$)`,
        message: `${layer}/ uses only the public API: import the root or a subpath's index.js (see package.json exports).`,
      },
    ];
  }
  const values = [...LEAVES, ...(rules.values ?? [])];
  const types = rules.types ?? [];
  const patterns = [
    {
      regex: `${toSrc}(?!(?:${[...values, ...types].map(entry).join('|')}))`,
      message: `${layer}/ may import only from ${[...values, ...types.map((t) => `${t} (types)`)].join(', ')}: dependencies point down (DESIGN.md, Layers).`,
    },
  ];
  if (types.length > 0) {
    patterns.push({
      regex: `${toSrc}(?:${types.map(entry).join('|')})`,
      allowTypeImports: true,
      message: `${layer}/ may import only types from ${types.join(', ')}.`,
    });
  }
  return patterns;
}

/** One config block per layer and depth (src/<layer>/*.ts, src/<layer>/*\/*.ts). */
const layerRules = Object.entries(LAYERS).flatMap(([layer, rules]) =>
  [1, 2].map((depth) => ({
    files: [`src/${layer}/${'*/'.repeat(depth - 1)}*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: layerPatterns(layer, rules, depth) },
      ],
    },
  })),
);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'images/', '.venomqa/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A forgotten promise is a leaked clone or container.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // A dynamic import() is invisible to the layer rules below: keep them inside a layer.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression > Literal[value=/^\\.\\./]',
          message:
            'The layer rules cannot see a dynamic import() from another folder: import lazily from a module of your own folder, or statically.',
        },
      ],
    },
  },
  ...layerRules,
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
