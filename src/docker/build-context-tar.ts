import { createReadStream } from 'node:fs';
import { lstat, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { Readable } from 'node:stream';
import type { BuildContext } from './build-context.js';
import { shortHash } from './labels.js';

/** The tar a build context becomes, and the Dockerfile's name inside it. */
export interface ContextTar {
  readonly stream: Readable;
  /** For the API's `dockerfile` parameter. */
  readonly dockerfile: string;
}

/**
 * The context as the docker CLI would send it to the Docker API: the entries of the scan
 * (`.dockerignore` applied), symlinks stored as links with their target untouched (a relative
 * `node_modules/.bin/knex -> ../knex/bin/cli.js` stays relative), modes and times kept.
 *
 * A Dockerfile outside the context, or left out by `.dockerignore`, is added under a name of
 * its own (`.dockerfile.<hash>`, as the CLI does), so the context is never copied to stage it.
 * Read errors end the stream with that error.
 */
export function packBuildContext(context: BuildContext): ContextTar {
  const relative = path.relative(context.contextDir, context.dockerfile).split(path.sep).join('/');
  const inside =
    !relative.startsWith('../') &&
    context.entries.some((e) => e.path === relative && e.type === 'file');
  const dockerfile = inside ? relative : `.dockerfile.${shortHash(context.dockerfile)}`;
  const pack = tar.pack();
  void fill(pack, context, inside ? undefined : dockerfile).then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return { stream: pack, dockerfile };
}

async function fill(
  pack: tar.Pack,
  context: BuildContext,
  extraDockerfile?: string,
): Promise<void> {
  for (const entry of context.entries) {
    const file = path.join(context.contextDir, entry.path);
    const stats = await lstat(file);
    const header = {
      name: entry.path,
      mode: stats.mode & 0o7777,
      mtime: stats.mtime,
      uid: 0,
      gid: 0,
    };
    if (entry.type === 'directory') {
      await add(pack, { ...header, type: 'directory' });
    } else if (entry.type === 'symlink') {
      await add(pack, { ...header, type: 'symlink', linkname: await readlink(file) });
    } else if (entry.type === 'file') {
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry({ ...header, type: 'file', size: stats.size }, (error) =>
          error ? reject(error) : resolve(),
        );
        pipeline(createReadStream(file), sink).catch(reject);
      });
    }
    // Sockets, fifos and devices: the docker CLI does not send them either.
  }
  if (extraDockerfile !== undefined) {
    const text = await readFile(context.dockerfile);
    await add(pack, { name: extraDockerfile, mode: 0o644, mtime: new Date(), type: 'file' }, text);
  }
}

function add(pack: tar.Pack, header: tar.Headers, content?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null): void => (error ? reject(error) : resolve());
    if (content === undefined) pack.entry(header, done);
    else pack.entry(header, content, done);
  });
}
