import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { onTestFinished } from 'vitest';

/**
 * A fresh real directory for one test, removed when the test ends. Resolved through realpath so
 * expectations match the paths the code under test computes (macOS /var → /private/var).
 */
export function makeTempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'venomqa-config-')));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `text` to `dir/relative`, creating parent directories; returns the absolute path. */
export function writeFile(dir: string, relative: string, text: string): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** True when a venomqa.yaml/.yml sits in a directory above the temp root, which would be found. */
export function configAboveTempRoot(): boolean {
  let dir = fs.realpathSync(os.tmpdir());
  for (;;) {
    if (['venomqa.yaml', 'venomqa.yml'].some((name) => fs.existsSync(path.join(dir, name)))) {
      return true;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}
