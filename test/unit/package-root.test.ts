import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  findOwnPackage,
  packagePath,
  packageRoot,
  packageVersion,
} from '../../src/package-root.js';
import { makeTempDir, writeFile } from './config/temp-dir.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

describe('venomqa’s own package root', () => {
  it('is the checkout from src/, with the files the package ships', () => {
    expect(packageRoot()).toBe(path.resolve(REPO));
    expect(existsSync(packagePath('images', 'postgres', 'Dockerfile'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(packageVersion()).toBe(manifest.version);
  });

  it('is found from a shared chunk of an installed package, passing over other package.json files', () => {
    const dir = makeTempDir();
    writeFile(dir, 'app/package.json', '{ "name": "app", "version": "1.0.0" }');
    const installed = path.join(dir, 'app/node_modules/venomqa');
    writeFile(installed, 'package.json', '{ "name": "venomqa", "version": "9.8.7" }');
    // Neither a manifest of another name nor a file that is not JSON stops the walk.
    writeFile(installed, 'dist/package.json', '{ "type": "module" }');
    writeFile(installed, 'dist/chunks/package.json', '{ not json');
    writeFile(installed, 'dist/chunks/chunk-ABC123.js', '');

    expect(findOwnPackage(path.join(installed, 'dist/chunks'))).toEqual({
      root: installed,
      version: '9.8.7',
    });
    expect(findOwnPackage(path.join(installed, 'dist/cli'))).toEqual({
      root: installed,
      version: '9.8.7',
    });
  });

  it('says where it looked when the code sits outside any venomqa package', () => {
    const dir = makeTempDir();
    writeFile(dir, 'app/package.json', '{ "name": "app", "version": "1.0.0" }');
    const bundled = path.join(dir, 'app/build');
    writeFile(bundled, 'app.js', '');
    expect(() => findOwnPackage(bundled)).toThrow(
      `venomqa cannot find its own package.json (name "venomqa") in ${bundled} or any folder above it`,
    );
  });
});
