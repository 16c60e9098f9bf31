import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatBytes, scanBuildContext } from '../../../src/docker/build-context.js';
import { describeInputChange, hashBuildInputs } from '../../../src/docker/build-inputs.js';

let root: string;
let app: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'venomqa-inputs-'));
  app = path.join(root, 'app');
  await mkdir(path.join(app, 'src'), { recursive: true });
  await mkdir(path.join(app, 'node_modules/greet/bin'), { recursive: true });
  await mkdir(path.join(app, 'node_modules/.bin'), { recursive: true });
  await mkdir(path.join(app, 'big/deep'), { recursive: true });
  await writeFile(path.join(app, 'Dockerfile'), 'FROM scratch\nCOPY . /app\n');
  await writeFile(path.join(app, 'src/app.js'), 'console.log("v1")\n');
  await writeFile(path.join(app, 'node_modules/greet/bin/greet.js'), 'console.log("hi")\n');
  await symlink('../greet/bin/greet.js', path.join(app, 'node_modules/.bin/greet'));
  await writeFile(path.join(app, 'big/deep/blob'), Buffer.alloc(100_000));
  await writeFile(path.join(app, 'notes.md'), '# notes\n');
  await writeFile(path.join(app, '.dockerignore'), 'big\n*.md\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const hashOf = async (settings = {}, dockerfile?: string) =>
  hashBuildInputs(await scanBuildContext(app, dockerfile ? { dockerfile } : {}), settings);

describe('scanBuildContext', () => {
  it('lists what the builder receives: .dockerignore applied, symlinks as links, sizes counted', async () => {
    const context = await scanBuildContext(app);
    expect(context.entries.map((e) => `${e.type} ${e.path}`)).toEqual([
      'file .dockerignore',
      'file Dockerfile',
      'directory node_modules',
      'directory node_modules/.bin',
      'symlink node_modules/.bin/greet',
      'directory node_modules/greet',
      'directory node_modules/greet/bin',
      'file node_modules/greet/bin/greet.js',
      'directory src',
      'file src/app.js',
    ]);
    expect(context.leftOut).toEqual(['big', 'notes.md']);
    expect(context.ignoreFile).toBe(path.join(app, '.dockerignore'));
    expect(context.files).toBe(4);
    expect(context.bytes).toBeLessThan(1000);
  });

  it('a Dockerfile-specific ignore file wins over the context one, as with BuildKit', async () => {
    const dockerfile = path.join(root, 'docker/api.Dockerfile');
    await mkdir(path.dirname(dockerfile));
    await writeFile(dockerfile, 'FROM scratch\n');
    await writeFile(`${dockerfile}.dockerignore`, 'node_modules\nbig\n');
    const context = await scanBuildContext(app, { dockerfile });
    expect(context.ignoreFile).toBe(`${dockerfile}.dockerignore`);
    expect(context.leftOut).toEqual(['big', 'node_modules']);
    expect(context.entries.map((e) => e.path)).toContain('notes.md');
  });

  it('formats sizes as Docker does', () => {
    expect([12, 1234, 340_000, 1_250_000, 3e9].map(formatBytes)).toEqual([
      '12 B',
      '1.2 kB',
      '340 kB',
      '1.3 MB',
      '3.0 GB',
    ]);
  });
});

describe('hashBuildInputs', () => {
  it('is stable while nothing changes, and names the file that did', async () => {
    const first = await hashOf();
    expect((await hashOf()).hash).toBe(first.hash);

    await writeFile(path.join(app, 'src/app.js'), 'console.log("v2")\n');
    const second = await hashOf();
    expect(second.hash).not.toBe(first.hash);
    expect(describeInputChange(first, second)).toBe('src/app.js changed');

    await writeFile(path.join(app, 'src/new.js'), '\n');
    await rm(path.join(app, 'node_modules/.bin/greet'));
    expect(describeInputChange(second, await hashOf())).toBe(
      'node_modules/.bin/greet removed, src/new.js added',
    );
  });

  it('a write that keeps size and mtime is still seen (ctime), a left-out file is not', async () => {
    const file = path.join(app, 'src/app.js');
    const before = await hashOf();
    const when = new Date('2020-01-01T00:00:00Z');
    await utimes(file, when, when);
    const dated = await hashOf();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(file, 'console.log("v9")\n'); // same size
    await utimes(file, when, when); // and mtime set back
    const rewritten = await hashOf();
    expect(new Set([before.hash, dated.hash, rewritten.hash]).size).toBe(3);

    await writeFile(path.join(app, 'big/deep/blob'), Buffer.alloc(5));
    await writeFile(path.join(app, 'notes.md'), 'changed\n');
    expect((await hashOf()).hash).toBe(rewritten.hash);
  });

  it('covers the Dockerfile (inside or outside the context), build args and target', async () => {
    const base = await hashOf();
    await writeFile(path.join(app, 'Dockerfile'), 'FROM scratch\nCOPY src /app\n');
    const edited = await hashOf();
    expect(describeInputChange(base, edited)).toMatch(/^Dockerfile changed/);

    const outside = path.join(root, 'docker/api.Dockerfile');
    await mkdir(path.dirname(outside));
    await writeFile(outside, 'FROM scratch\n');
    const moved = await hashOf({}, outside);
    expect(moved.dockerfilePath).toBe('../docker/api.Dockerfile');
    expect(describeInputChange(edited, moved)).toBe('../docker/api.Dockerfile changed');

    const args = await hashOf({ buildArgs: { TOKEN: 's3cret-value' } });
    expect(args.hash).not.toBe(edited.hash);
    const change = describeInputChange(edited, args);
    expect(change).toBe('build arguments changed (TOKEN)');
    expect(JSON.stringify(args)).not.toContain('s3cret-value');
    expect((await hashOf({ target: 'test' })).hash).not.toBe(edited.hash);
  });

  it('says why it rebuilds with nothing recorded, or with the image gone', async () => {
    const inputs = await hashOf();
    expect(describeInputChange(undefined, inputs)).toContain('no earlier build');
    expect(describeInputChange(inputs, inputs)).toContain('image built from them is gone');
  });
});
