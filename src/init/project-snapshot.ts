/** What `package.json` says that `venomqa init` uses; dependencies and devDependencies merged. */
export interface PackageJson {
  readonly name: string | undefined;
  readonly main: string | undefined;
  /** `module` or `commonjs` (the default). */
  readonly type: string | undefined;
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
}

/**
 * An API project as the detectors see it: its package.json, its file paths (relative, with
 * `/`), and the text of its source files. Detection is pure over this, so unit tests build one
 * by hand instead of writing folders.
 */
export interface ProjectSnapshot {
  readonly packageJson: PackageJson;
  /** Every file found, relative to the project folder (`src/db/knexfile.js`). */
  readonly files: readonly string[];
  /** Text of the source and config files (`.js`, `.ts`, `.json`, `.prisma`, …) by path. */
  readonly sources: ReadonlyMap<string, string>;
}

/** True when the project depends on `name` (dependencies or devDependencies). */
export function dependsOn(project: ProjectSnapshot, name: string): boolean {
  return Object.hasOwn(project.packageJson.dependencies, name);
}

/** The first of `candidates` that exists in the project, if any. */
export function firstFile(
  project: ProjectSnapshot,
  candidates: readonly string[],
): string | undefined {
  return candidates.find((file) => project.files.includes(file));
}

/** True when some file lies under `folder` (a folder exists only through its files here). */
export function hasFolder(project: ProjectSnapshot, folder: string): boolean {
  const prefix = `${folder.replace(/\/+$/, '')}/`;
  return project.files.some((file) => file.startsWith(prefix));
}

/**
 * True for files that are the app's tests or journeys rather than the app: their variables and
 * routes are not the app's (a journey init wrote earlier GETs the health route it guessed).
 */
export function isTestFile(file: string): boolean {
  return (
    /(^|\/)(test|tests|__tests__|spec|e2e|journeys)\//.test(file) || /\.(test|spec)\./.test(file)
  );
}

/** Build a snapshot from plain values, for tests and for callers that read files themselves. */
export function projectSnapshot(options: {
  packageJson: Partial<PackageJson>;
  files?: Readonly<Record<string, string>>;
}): ProjectSnapshot {
  const files = options.files ?? {};
  return {
    packageJson: {
      name: options.packageJson.name,
      main: options.packageJson.main,
      type: options.packageJson.type,
      scripts: options.packageJson.scripts ?? {},
      dependencies: options.packageJson.dependencies ?? {},
    },
    files: Object.keys(files),
    sources: new Map(Object.entries(files)),
  };
}
