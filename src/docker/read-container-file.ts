import type Docker from 'dockerode';
import tar from 'tar-stream';

/**
 * The text of one file in a container, through the Engine API's archive endpoint (what
 * `docker cp` reads): undefined when the file is not there. Whoever may use the daemon may read
 * it, as they may `docker inspect` the container.
 */
export async function readContainerFile(
  container: Docker.Container,
  path: string,
): Promise<string | undefined> {
  let archive: NodeJS.ReadableStream;
  try {
    archive = await container.getArchive({ path });
  } catch {
    return undefined;
  }
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
 * Whether `path` exists in a created container. Through the archive endpoint, read to its end:
 * the HEAD form (`infoArchive`) leaves its socket open, which kept the CLI alive after a run.
 */
export async function containerPathExists(
  container: Docker.Container,
  path: string,
): Promise<boolean> {
  let archive: NodeJS.ReadableStream;
  try {
    archive = await container.getArchive({ path });
  } catch {
    return false;
  }
  await new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
    archive.resume();
  });
  return true;
}
