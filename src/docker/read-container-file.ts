import type Docker from 'dockerode';
import tar from 'tar-stream';

/**
 * Files of a container through the Engine API's archive endpoint (what `docker cp` reads).
 * Whoever may use the daemon may read them, as they may `docker inspect` the container. Every
 * archive is read to its end: an answer left unread keeps its socket, and the CLI, alive.
 */
async function openArchive(
  container: Docker.Container,
  path: string,
): Promise<NodeJS.ReadableStream | undefined> {
  try {
    return await container.getArchive({ path });
  } catch {
    return undefined;
  }
}

/** The text of one file in a container: undefined when it is not there (or not a file). */
export async function readContainerFile(
  container: Docker.Container,
  path: string,
): Promise<string | undefined> {
  const archive = await openArchive(container, path);
  if (!archive) return undefined;
  return new Promise((resolve, reject) => {
    const extract = tar.extract();
    let text: string | undefined;
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (header.type === 'file' && text === undefined) {
          text = Buffer.concat(chunks).toString('utf8');
        }
        next();
      });
      stream.resume();
    });
    extract.on('finish', () => resolve(text));
    extract.on('error', reject);
    archive.pipe(extract);
  });
}

/**
 * Whether `path` exists in a created container (a symlink such as `/bin/sh` included). Not the
 * HEAD form (`infoArchive`), whose socket stays open.
 */
export async function containerPathExists(
  container: Docker.Container,
  path: string,
): Promise<boolean> {
  const archive = await openArchive(container, path);
  if (!archive) return false;
  await new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
    archive.resume();
  });
  return true;
}
