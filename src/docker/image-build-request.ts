import type { BuildContext } from './build-context.js';

/** One image build, whichever builder runs it. */
export interface ImageBuildRequest {
  /** The context as scanned (its folder, Dockerfile and the files `.dockerignore` keeps). */
  readonly context: BuildContext;
  /** Every name the image gets; the first names it in messages. */
  readonly tags: readonly string[];
  /** `--build-arg`s: only what the user configured. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** `--target`: the stage to build. */
  readonly target?: string | null;
  readonly labels?: Readonly<Record<string, string>>;
  /** `host` lets `RUN apt-get` reach package mirrors on a daemon without a bridge network. */
  readonly networkMode?: 'host';
  /** Stops the build (Ctrl-C): the builder is told to stop, and the build rejects. */
  readonly signal?: AbortSignal;
  /** A line per build step, for the user (stderr). */
  readonly onStep?: (line: string) => void;
}
