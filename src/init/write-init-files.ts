import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InitFileExistsError } from './init-errors.js';
import type { InitPlan } from './init-plan.js';
import { renderConfig } from './render-config.js';
import { renderJourney } from './render-journey.js';

/** Config files venomqa would find in the folder; any of them means the project has one. */
const CONFIG_FILES = [
  'venomqa.yaml',
  'venomqa.yml',
  'venomqa.config.ts',
  'venomqa.config.mts',
  'venomqa.config.js',
  'venomqa.config.mjs',
];

export interface WriteInitFilesOptions {
  /** Replace existing files instead of refusing. */
  force?: boolean;
}

/** What was written, relative to the project folder, and config files left beside it. */
export interface WrittenInitFiles {
  readonly files: readonly string[];
  /** Other venomqa config files in the folder, which take precedence over venomqa.yaml. */
  readonly shadowedBy: readonly string[];
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * The files of `dir` that `venomqa init` would replace or be shadowed by: any venomqa config
 * file, and the example journey. The CLI checks this before asking its questions.
 */
export async function existingInitFiles(dir: string, journeyFile: string): Promise<string[]> {
  const present: string[] = [];
  for (const file of [...CONFIG_FILES, journeyFile]) {
    if (await exists(path.join(dir, file))) present.push(file);
  }
  return present;
}

/**
 * Write `venomqa.yaml` and the example journey into `dir`. Without `force`, refuses (and writes
 * nothing) when either exists or another venomqa config file is there.
 */
export async function writeInitFiles(
  dir: string,
  plan: InitPlan,
  options: WriteInitFilesOptions = {},
): Promise<WrittenInitFiles> {
  const present = await existingInitFiles(dir, plan.journeyFile);
  if (present.length > 0 && options.force !== true) throw new InitFileExistsError(present);
  await writeFile(path.join(dir, 'venomqa.yaml'), renderConfig(plan));
  await mkdir(path.dirname(path.join(dir, plan.journeyFile)), { recursive: true });
  await writeFile(path.join(dir, plan.journeyFile), renderJourney(plan));
  return {
    files: ['venomqa.yaml', plan.journeyFile],
    // A code config is found before venomqa.yaml, so --force alone would leave it in charge.
    shadowedBy: present.filter((file) => file.startsWith('venomqa.config.')),
  };
}
