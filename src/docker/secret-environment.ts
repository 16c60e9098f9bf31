import type Docker from 'dockerode';
import createDebug from 'debug';
import tar from 'tar-stream';
import { containerPathExists } from './read-container-file.js';

const debug = createDebug('venomqa:docker:secrets');

/** Where the secret variables wait inside the container until its command starts. */
export const SECRET_ENV_FILE = '/run/venomqa/secret.env';

// Loads the file into the environment, deletes it (where the user may), then becomes the
// image's own command: the variables reach the app as plain environment variables, and only
// the container's processes see them (not `docker inspect`, not `docker cp` once started).
const LOAD_AND_EXEC = `set -a; . ${SECRET_ENV_FILE}; set +a; rm -f ${SECRET_ENV_FILE} 2>/dev/null; exec "$@"`;

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * How a container gets environment variables that hold a password without `docker inspect`
 * showing them. The Engine API has no env file (`docker run --env-file` only expands it into
 * `Env`) and secrets need swarm mode, so the variables are written to a file in the created
 * container and a `/bin/sh` wrapper around the image's entrypoint and command loads them.
 *
 * Images without `/bin/sh` (distroless, scratch) cannot load the file: they get the variables
 * in `Env` as before, the least bad option left, and a debug line says so. Variables whose
 * names a shell cannot set stay in `Env` too.
 */
export interface SecretEnvironmentPlan {
  /** `Env`, `Entrypoint` and `Cmd` of the container to create. */
  create: Pick<Docker.ContainerCreateOptions, 'Env' | 'Entrypoint' | 'Cmd'>;
  /** After create and before start: put the file in, or report that it cannot be. */
  install(container: Docker.Container): Promise<'file' | 'no-shell'>;
}

export async function planSecretEnvironment(
  docker: Docker,
  image: string,
  env: Readonly<Record<string, string>>,
  secretEnv: Readonly<Record<string, string>>,
  cmd: readonly string[] | undefined,
): Promise<SecretEnvironmentPlan | undefined> {
  const inFile = Object.entries(secretEnv).filter(([name]) => SHELL_NAME.test(name));
  if (inFile.length === 0) return undefined;
  const config = (await docker.getImage(image).inspect()).Config;
  const entrypoint: unknown = config.Entrypoint;
  const command = [
    ...(Array.isArray(entrypoint) ? (entrypoint as string[]) : []),
    ...(cmd ?? config.Cmd ?? []),
  ];
  // A string entrypoint (a very old image) runs through a shell already: not worth wrapping.
  if (typeof entrypoint === 'string' || command.length === 0) return undefined;
  return secretEnvironmentFor(env, secretEnv, command);
}

/** The plan for a container whose full command (entrypoint and arguments) is `command`. */
export function secretEnvironmentFor(
  env: Readonly<Record<string, string>>,
  secretEnv: Readonly<Record<string, string>>,
  command: readonly string[],
): SecretEnvironmentPlan {
  const inFile = Object.entries(secretEnv).filter(([name]) => SHELL_NAME.test(name));
  const plain = Object.entries(secretEnv).filter(([name]) => !SHELL_NAME.test(name));
  return {
    create: {
      Env: [...Object.entries(env), ...plain].map(([k, v]) => `${k}=${v}`),
      Entrypoint: ['/bin/sh', '-c', LOAD_AND_EXEC, 'venomqa-secret-env'],
      Cmd: [...command],
    },
    async install(container) {
      if (inFile.length === 0) return 'file';
      if (!(await containerPathExists(container, '/bin/sh'))) {
        debug('the image has no /bin/sh: its secret variables go in Env');
        return 'no-shell';
      }
      const text = inFile.map(([k, v]) => `${k}=${shellQuote(v)}\n`).join('');
      await putFile(container, SECRET_ENV_FILE, text);
      return 'file';
    },
  };
}

/** `value` in single quotes for a POSIX shell (a quote inside becomes `'\''`). */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Put a file into a created (not yet started) container, through the Engine API: no bind
 * mount, so it works with a remote daemon and leaves nothing on this machine.
 */
export async function putFile(
  container: Docker.Container,
  file: string,
  text: string,
): Promise<void> {
  await container.putArchive(await tarOf(file, text), { path: '/' });
}

/** A tar archive holding one file (and its folders), for `putArchive` at `/`. */
function tarOf(file: string, text: string): Promise<Buffer> {
  const pack = tar.pack();
  const parts = file.replace(/^\//, '').split('/');
  for (let i = 1; i < parts.length; i += 1) {
    // The file's own folder is writable by any user the image runs as (a `USER node` image,
    // say), so the loader can delete the file; the folders above it keep the usual mode.
    const mode = i === parts.length - 1 ? 0o777 : 0o755;
    pack.entry({ name: `${parts.slice(0, i).join('/')}/`, type: 'directory', mode });
  }
  // Readable by any user the image runs as: the container is the boundary.
  pack.entry({ name: parts.join('/'), mode: 0o444 }, text);
  pack.finalize();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pack.on('data', (chunk: Buffer) => chunks.push(chunk));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
}
