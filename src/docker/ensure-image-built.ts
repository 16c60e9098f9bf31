import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import type { EnvRecord } from '../config/interpolate.js';
import { BuildInputsUnreadableError, BuildKitRequiredError } from './build-errors.js';
import { formatBytes, scanBuildContext, type BuildContext } from './build-context.js';
import { buildWithApi, imageId } from './build-image.js';
import { splitTag } from './image-reference.js';
import { describeInputChange, hashBuildInputs, type BuildInputs } from './build-inputs.js';
import { BuildRecord } from './build-record.js';
import { findBuildKitFeatures } from './buildkit-features.js';
import { buildWithCli, describeCli } from './cli-build.js';
import type { DockerEndpoint } from './daemon-strategies.js';
import { DOCKER_CLI_VARIABLE, findBuildCli, type BuildCliSearch } from './find-build-cli.js';
import type { ImageBuildRequest } from './image-build-request.js';
import { INPUTS_TAG_PREFIX, LABEL } from './labels.js';

export interface EnsureImageBuiltOptions {
  /** The name the user gave the image (`api.image`); it is tagged on every build too. */
  image: string;
  contextDir: string;
  /** Absolute; `<contextDir>/Dockerfile` when null or omitted. */
  dockerfile?: string | null;
  buildArgs?: Readonly<Record<string, string>>;
  target?: string | null;
  networkMode?: 'host';
  signal?: AbortSignal;
  /** Lines for the user: up to date or why it rebuilds, the builder, a line per step. */
  onProgress?: (line: string) => void;
  /** The daemon `docker` talks to, for the CLI to build on. */
  endpoint?: DockerEndpoint;
  /** `PATH`, `VENOMQA_DOCKER_CLI` and `XDG_CACHE_HOME`; `process.env` by default. */
  env?: EnvRecord;
  /** How to find the build CLI; injected by tests. */
  findCli?: () => Promise<BuildCliSearch>;
}

export interface EnsuredImage {
  /** The content-keyed tag to start containers from: `shop-api:venomqa-3f2a…`. */
  readonly reference: string;
  readonly rebuilt: boolean;
  readonly inputs: BuildInputs;
  /** How long the up-to-date check took (walk, hash, image lookup), in milliseconds. */
  readonly checkMs: number;
}

/**
 * Makes sure the image for the current build inputs exists, so an API container never runs
 * stale code. The inputs (context after `.dockerignore`, Dockerfile, ignore file, build
 * arguments, target; see {@link hashBuildInputs}) give a tag, `<repo>:venomqa-<hash>`: when
 * the daemon has it, nothing is built ("API image up to date"); otherwise the image is built
 * ("rebuilding: src/app.js changed") and tagged with that tag and with `image`, so `docker run
 * image` gets the newest too (an up-to-date check moves `image` back to it if needed).
 *
 * The build runs on the docker CLI with BuildKit when one is found ({@link findBuildCli}), as
 * the user's own `docker build` would; otherwise on the Docker API's classic builder, with a
 * note, after checking that the Dockerfile needs nothing only BuildKit has
 * ({@link BuildKitRequiredError}). Old images are removed by `venomqa prune`
 * ({@link pruneApiImages}).
 */
export async function ensureImageBuilt(
  docker: Docker,
  options: EnsureImageBuiltOptions,
): Promise<EnsuredImage> {
  const progress = options.onProgress ?? (() => undefined);
  const env = options.env ?? process.env;
  const started = performance.now();
  const { context, inputs } = await readBuildInputs(options);
  const { repo } = splitTag(options.image);
  const reference = `${repo}:${INPUTS_TAG_PREFIX}${inputs.hash.slice(0, 16)}`;
  const record = new BuildRecord(options.image, context.contextDir, env);
  const existing = await imageId(docker, reference);
  if (existing !== undefined) {
    const checkMs = performance.now() - started;
    // `image` names what runs, even after another build (another checkout) moved it.
    if ((await imageId(docker, options.image)) !== existing) {
      const { repo: name, tag } = splitTag(options.image);
      await docker.getImage(reference).tag({ repo: name, tag });
    }
    progress(
      `API image up to date: ${options.image} (${reference}; ${files(context.files)} unchanged, checked in ${Math.round(checkMs)} ms)`,
    );
    return { reference, rebuilt: false, inputs, checkMs };
  }
  const checkMs = performance.now() - started;
  const previous = await record.load();
  progress(
    previous === undefined
      ? `API image ${options.image}: building (no earlier build of it is recorded here)`
      : `API image ${options.image}: rebuilding: ${describeInputChange(previous, inputs)}`,
  );

  const request: ImageBuildRequest = {
    context,
    tags: [reference, options.image],
    ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
    target: options.target ?? null,
    labels: {
      [LABEL.managed]: 'true',
      [LABEL.apiImage]: repo,
      [LABEL.inputsHash]: inputs.hash,
      [LABEL.builtAt]: new Date().toISOString(),
    },
    ...(options.networkMode ? { networkMode: options.networkMode } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onStep: progress,
  };
  const search = await (options.findCli ?? (() => findBuildCli({ env })))();
  const began = performance.now();
  if (search.cli !== undefined) {
    progress(`Building with ${describeCli(search.cli)}: ${describeContext(context)}`);
    await buildWithCli(search.cli, request, {
      env,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });
  } else {
    const why = search.tried.map((t) => `${t.path}: ${t.reason}`).join('; ');
    const features = findBuildKitFeatures(await readFile(context.dockerfile, 'utf8'));
    if (features.length > 0) throw new BuildKitRequiredError(context.dockerfile, features, why);
    progress(
      `No docker CLI with BuildKit found (${why}); building with the Docker API's classic builder, ` +
        `which cannot build BuildKit-only Dockerfiles (install docker buildx or set ${DOCKER_CLI_VARIABLE}); ` +
        describeContext(context),
    );
    await buildWithApi(docker, request);
  }
  await record.save(inputs);
  progress(
    `Built ${options.image} (${reference}) in ${((performance.now() - began) / 1000).toFixed(1)} s`,
  );
  return { reference, rebuilt: true, inputs, checkMs };
}

async function readBuildInputs(
  options: EnsureImageBuiltOptions,
): Promise<{ context: BuildContext; inputs: BuildInputs }> {
  try {
    const context = await scanBuildContext(options.contextDir, {
      ...(options.dockerfile ? { dockerfile: options.dockerfile } : {}),
    });
    const inputs = await hashBuildInputs(context, {
      ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
      target: options.target ?? null,
    });
    return { context, inputs };
  } catch (error) {
    const { code, path: where } = error as NodeJS.ErrnoException;
    if (code === undefined) throw error;
    throw new BuildInputsUnreadableError(
      `Cannot read what the image ${options.image} is built from: ${where ?? options.contextDir} (${code})`,
      {
        cause: error,
        hint: 'Check api.build (the context folder) and api.dockerfile (relative to venomqa.yaml), or the build of the api service in docker_compose_file.',
      },
    );
  }
}

/** `context examples/shop: 12 files, 40 kB (.dockerignore leaves out node_modules, journeys)`. */
export function describeContext(context: BuildContext): string {
  const relative = path.relative(process.cwd(), context.contextDir) || '.';
  const where = relative.startsWith('..') ? context.contextDir : relative;
  const leftOut = context.leftOut.slice(0, 4).join(', ');
  const more = context.leftOut.length > 4 ? ` and ${context.leftOut.length - 4} more` : '';
  return (
    `context ${where}: ${files(context.files)}, ${formatBytes(context.bytes)}` +
    (context.ignoreFile === null
      ? ''
      : ` (${path.basename(context.ignoreFile)} leaves out ${leftOut || 'nothing here'}${more})`)
  );
}

function files(count: number): string {
  return `${count} file${count === 1 ? '' : 's'}`;
}
