import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The public entry points: the root and each subpath package.json `exports` lists. */
const PUBLIC_SUBPATHS = Object.keys(
  JSON.parse(readFileSync(`${import.meta.dirname}/package.json`, 'utf8')).exports,
)
  .filter((key) => key.startsWith('./') && key !== './package.json')
  .map((key) => key.slice(2));

/**
 * Which folders of src/ each folder may import from: the layer table of DESIGN.md, where
 * dependencies point down only. `values` may be imported in any form, `types` only with
 * `import type`. Leaves (errors, redaction, the top-level helper modules) import nothing of
 * venomqa and are open to every layer. `cli` is special: it uses only the public API, the root
 * and subpath `index.js` files that package.json `exports` lists.
 */
const LEAVES = [
  'errors',
  'redaction',
  'free-port.js',
  'package-root.js',
  'process-liveness.js',
  'run-id.js',
  'venomqa-self-import.js',
];
const LAYERS = {
  cli: { publicApiOnly: true },
  // The composition root of `venomqa run` (and prune): wires every layer below.
  run: {
    values: [
      'api',
      'config',
      'diff',
      'docker',
      'http',
      'journey',
      'report',
      'result',
      'runner',
      'server',
      'snapshot',
      'state',
    ],
  },
  // `venomqa doctor`: checks the environment each layer below needs.
  doctor: { values: ['api', 'config', 'docker', 'server', 'snapshot', 'state'] },
  runner: { values: ['journey', 'api', 'state', 'http', 'result'], types: ['config'] },
  journey: { types: ['http'] },
  http: {},
  api: { values: ['docker'], types: ['config'] },
  state: { values: ['snapshot', 'server'] },
  // State diffs: reads databases through the server layer's clients, snapshots through clones.
  diff: { values: ['snapshot', 'server', 'result'] },
  // server for URL helpers and the tools image; docker to run pg_dump in a container.
  snapshot: { values: ['server', 'docker'] },
  server: { values: ['docker'], types: ['config'] },
  docker: { types: ['config'] },
  config: {},
  // venomqa init: reads a project and writes files; no other layer.
  init: {},
  report: { values: ['result'], types: ['http', 'config'] },
  result: { types: ['http'] },
  errors: { leaf: true },
  redaction: { leaf: true },
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
        regex: `${toSrc}(?!(?:(?:${PUBLIC_SUBPATHS.join('|')})/)?index\\.js$|package-root\\.js$)`,
        message: `${layer}/ uses only the public API: import the root or a subpath's index.js (see package.json exports).`,
      },
    ];
  }
  const values = rules.leaf ? [] : [...LEAVES, ...(rules.values ?? [])];
  const types = rules.types ?? [];
  const patterns = [
    {
      regex: [...values, ...types].length
        ? `${toSrc}(?!(?:${[...values, ...types].map(entry).join('|')}))`
        : toSrc,
      message: rules.leaf
        ? `${layer}/ is a leaf: it imports nothing of venomqa.`
        : `${layer}/ may import only from ${[...values, ...types.map((t) => `${t} (types)`)].join(', ')}: dependencies point down (DESIGN.md, Layers).`,
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
  {
    // The lint fixtures hold wrong imports on purpose (test/unit/lint lints them as src files).
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      'images/',
      '.venomqa/',
      'test/unit/lint/fixtures/',
    ],
  },
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
    // The top-level modules (run-id, process-liveness, …) are leaves too.
    files: ['src/*.ts'],
    ignores: ['src/index.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\./[a-z-]+/',
              message: 'A top-level module of src/ is a leaf: it imports nothing of venomqa.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The init fixtures are CommonJS apps, as many existing projects are (sequelize-cli loads
    // migrations with require).
    files: ['test/fixtures/init/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
