import { dependsOn, firstFile, hasFolder, type ProjectSnapshot } from './project-snapshot.js';

/** The migration tools `venomqa init` knows. */
export const MIGRATION_TOOLS = [
  'knex',
  'prisma',
  'drizzle',
  'typeorm',
  'sequelize',
  'node-pg-migrate',
] as const;
export type MigrationToolName = (typeof MIGRATION_TOOLS)[number];

/** One tool found in the project, and the `setup:` that would migrate a new database with it. */
export interface MigrationToolGuess {
  readonly tool: MigrationToolName;
  /** The bin the scripts would call (`knex`, `sequelize-cli`): found in a script = stronger. */
  readonly bin: string;
  /** What made init think so: `dependency knex`, `knexfile.js`. */
  readonly evidence: readonly string[];
  readonly command: readonly string[];
  /** Files and folders whose content keys the cached template. */
  readonly inputs: readonly string[];
  readonly notes: readonly string[];
}

type Detector = (project: ProjectSnapshot) => MigrationToolGuess | undefined;

const ext = (base: string) => ['ts', 'js', 'mjs', 'cjs', 'mts', 'cts'].map((e) => `${base}.${e}`);

/** The first string a regex captures in a file, if any. */
function captured(project: ProjectSnapshot, file: string | undefined, pattern: RegExp) {
  return file === undefined ? undefined : pattern.exec(project.sources.get(file) ?? '')?.[1];
}

/** The existing ones of `paths`, without `./` and trailing slashes. */
function existing(project: ProjectSnapshot, paths: readonly (string | undefined)[]): string[] {
  const clean = paths
    .filter((p): p is string => p !== undefined && p !== '')
    .map((p) => p.replace(/^\.\//, '').replace(/\/+$/, ''));
  return [...new Set(clean)].filter((p) => project.files.includes(p) || hasFolder(project, p));
}

function dependencyEvidence(project: ProjectSnapshot, names: readonly string[]): string[] {
  return names.filter((name) => dependsOn(project, name)).map((name) => `dependency ${name}`);
}

/** Whether a config file reads the environment at all (else it cannot follow DATABASE_URL). */
function readsEnvironment(project: ProjectSnapshot, file: string): boolean {
  return /process\.env|use_env_variable|env\(/.test(project.sources.get(file) ?? '');
}

const knex: Detector = (project) => {
  const knexfile = firstFile(project, ext('knexfile'));
  const evidence = dependencyEvidence(project, ['knex']);
  if (knexfile === undefined && evidence.length === 0) return undefined;
  const directory = captured(project, knexfile, /directory\s*:\s*['"`]([^'"`]+)['"`]/);
  const notes: string[] = [];
  if (knexfile === undefined) notes.push('no knexfile found: knex migrate needs one');
  else if (!readsEnvironment(project, knexfile)) {
    notes.push(
      `${knexfile} does not read process.env: its connection must be the DATABASE_URL venomqa gives`,
    );
  }
  if (knexfile?.endsWith('.ts')) notes.push(`${knexfile} is TypeScript: knex needs ts-node for it`);
  return {
    tool: 'knex',
    bin: 'knex',
    evidence: [...evidence, ...(knexfile ? [knexfile] : [])],
    command: ['knex', 'migrate:latest'],
    inputs: existing(project, [directory ?? 'migrations', knexfile]),
    notes,
  };
};

const prisma: Detector = (project) => {
  const schema = firstFile(project, ['prisma/schema.prisma', 'schema.prisma']);
  const evidence = dependencyEvidence(project, ['prisma', '@prisma/client']);
  if (schema === undefined && evidence.length === 0) return undefined;
  const migrations =
    schema === undefined ? 'prisma/migrations' : schema.replace(/schema\.prisma$/, 'migrations');
  const hasMigrations = hasFolder(project, migrations);
  const notes = hasMigrations
    ? []
    : [
        `no ${migrations} folder: setup runs \`prisma db push\`; use \`prisma migrate deploy\` once you have migrations`,
      ];
  if (!dependsOn(project, 'prisma'))
    notes.push('the prisma CLI is not a dependency: npm i -D prisma');
  return {
    tool: 'prisma',
    bin: 'prisma',
    evidence: [...evidence, ...(schema ? [schema] : [])],
    command: hasMigrations
      ? ['prisma', 'migrate', 'deploy']
      : ['prisma', 'db', 'push', '--skip-generate'],
    inputs: existing(project, [schema, migrations]),
    notes,
  };
};

const drizzle: Detector = (project) => {
  const config = firstFile(project, [...ext('drizzle.config'), 'drizzle.config.json']);
  const evidence = dependencyEvidence(project, ['drizzle-kit']);
  if (config === undefined && evidence.length === 0) return undefined;
  const out = captured(project, config, /out['"]?\s*:\s*['"`]([^'"`]+)['"`]/) ?? 'drizzle';
  const notes: string[] = [];
  if (!dependsOn(project, 'drizzle-kit'))
    notes.push('drizzle-kit is not a dependency: npm i -D drizzle-kit');
  if (!hasFolder(project, out.replace(/^\.\//, ''))) {
    notes.push(
      `no migrations in ${out}: run \`drizzle-kit generate\` first, or use \`drizzle-kit push\` as setup.command`,
    );
  }
  return {
    tool: 'drizzle',
    bin: 'drizzle-kit',
    evidence: [...evidence, ...(config ? [config] : [])],
    command: [
      'drizzle-kit',
      'migrate',
      ...(config && !config.startsWith('drizzle.config.') ? ['--config', config] : []),
    ],
    inputs: existing(project, [out, config]),
    notes,
  };
};

const typeorm: Detector = (project) => {
  if (!dependsOn(project, 'typeorm')) return undefined;
  const dataSource = [...project.sources].find(
    ([file, text]) => /\.[cm]?[jt]s$/.test(file) && /new\s+DataSource\s*\(/.test(text),
  )?.[0];
  const typescript = dataSource?.endsWith('ts') ?? false;
  const glob = captured(project, dataSource, /migrations\s*:\s*\[\s*['"`]([^'"`]+)['"`]/);
  const folder = glob?.replace(/\/?[^/]*[*{].*$/, '');
  const notes: string[] = [];
  if (dataSource === undefined)
    notes.push('no `new DataSource(` found: pass your data source file with -d');
  if (typescript)
    notes.push(
      `${dataSource ?? ''} is TypeScript: typeorm-ts-node-commonjs needs ts-node (npm i -D ts-node)`,
    );
  return {
    tool: 'typeorm',
    bin: 'typeorm',
    evidence: ['dependency typeorm', ...(dataSource ? [dataSource] : [])],
    command: [
      typescript ? 'typeorm-ts-node-commonjs' : 'typeorm',
      'migration:run',
      ...(dataSource ? ['-d', dataSource] : []),
    ],
    inputs: existing(project, [folder, dataSource]),
    notes,
  };
};

const sequelize: Detector = (project) => {
  const rc = firstFile(project, ['.sequelizerc']);
  const evidence = dependencyEvidence(project, ['sequelize-cli']);
  if (rc === undefined && evidence.length === 0 && !dependsOn(project, 'sequelize'))
    return undefined;
  const fromRc = (key: string) =>
    captured(project, rc, new RegExp(`['"]${key}['"]\\s*:[^'"\`]*['"\`]([^'"\`]+)['"\`]`));
  const migrations = fromRc('migrations-path') ?? 'migrations';
  const config = fromRc('config') ?? firstFile(project, ['config/config.json', 'config/config.js']);
  const notes: string[] = [];
  if (!dependsOn(project, 'sequelize-cli'))
    notes.push('sequelize-cli is not a dependency: npm i -D sequelize-cli');
  if (
    config !== undefined &&
    project.files.includes(config) &&
    !readsEnvironment(project, config)
  ) {
    notes.push(
      `${config} has no use_env_variable: point it at DATABASE_URL ("use_env_variable": "DATABASE_URL") so migrations reach venomqa's database`,
    );
  }
  return {
    tool: 'sequelize',
    bin: 'sequelize-cli',
    evidence: [
      ...evidence,
      ...(rc ? [rc] : []),
      ...(evidence.length ? [] : ['dependency sequelize']),
    ],
    command: ['sequelize-cli', 'db:migrate'],
    inputs: existing(project, [migrations, config, rc]),
    notes,
  };
};

const nodePgMigrate: Detector = (project) => {
  const script = Object.values(project.packageJson.scripts).find((s) =>
    /\bnode-pg-migrate\b/.test(s),
  );
  if (!dependsOn(project, 'node-pg-migrate') && script === undefined) return undefined;
  const dir = /(?:-m|--migrations-dir)[\s=]+(\S+)/.exec(script ?? '')?.[1];
  const variable = /(?:-d|--database-url-var)[\s=]+(\S+)/.exec(script ?? '')?.[1];
  return {
    tool: 'node-pg-migrate',
    bin: 'node-pg-migrate',
    evidence: dependencyEvidence(project, ['node-pg-migrate']),
    command: [
      'node-pg-migrate',
      'up',
      ...(dir ? ['-m', dir] : []),
      ...(variable ? ['-d', variable] : []),
    ],
    inputs: existing(project, [dir ?? 'migrations']),
    notes: variable
      ? [`node-pg-migrate reads ${variable}: set it to '{database_url}' in setup.env`]
      : [],
  };
};

/** Every detector, in the order ties are broken. */
export const MIGRATION_DETECTORS: readonly Detector[] = [
  knex,
  prisma,
  drizzle,
  typeorm,
  sequelize,
  nodePgMigrate,
];
