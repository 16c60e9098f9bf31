import type Docker from 'dockerode';
import createDebug from 'debug';
import { redactText } from '../redaction/index.js';
import { readContainerLogs, type StartedContainer } from '../docker/started-container.js';
import type { PortReservation } from './reserve-port.js';
import type { TargetInstance } from './target.js';

const debug = createDebug('venomqa:target:docker');

export interface ApiContainerOptions {
  docker: Docker;
  container: StartedContainer;
  baseUrl: string;
  /** `<baseUrl><api.health>`. */
  healthUrl?: string;
  label: string;
  /** Masked in every log line handed out (the clone's password). */
  secrets: readonly string[];
  /** Lines read from the container when it stops, so `logs()` still answers after release. */
  logCapacity: number;
  stopGraceSeconds: number;
  /** Host networking: the port the API listens on, given back once the container is gone. */
  port?: PortReservation;
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

/**
 * One API container for one path. `release()` stops it (SIGTERM, then SIGKILL after
 * `stopGraceSeconds`), keeps its last log lines, and removes it.
 */
export class ApiContainer implements TargetInstance {
  readonly baseUrl: string;
  readonly healthUrl: string | undefined;
  readonly id: string;
  readonly name: string;
  readonly #options: ApiContainerOptions;
  #finalLogs: string[] | undefined;
  #released: Promise<void> | undefined;

  constructor(options: ApiContainerOptions) {
    this.#options = options;
    this.baseUrl = options.baseUrl;
    this.healthUrl = options.healthUrl;
    this.id = options.container.id;
    this.name = options.container.name;
  }

  async logs(count: number): Promise<string[]> {
    if (count <= 0) return [];
    if (this.#finalLogs !== undefined) return this.#finalLogs.slice(-count);
    const lines = await this.#options.container.logs(count);
    return lines.map((line) => redactText(line, this.#options.secrets));
  }

  stopped(): Promise<string | undefined> {
    return this.exitReason();
  }

  /** Why the container is no longer running (`exited with code 1`), or undefined while it runs. */
  async exitReason(): Promise<string | undefined> {
    try {
      const info = await this.#options.docker.getContainer(this.id).inspect();
      if (info.State.Running) return undefined;
      return info.State.OOMKilled
        ? 'was killed for lack of memory'
        : `exited with code ${info.State.ExitCode}`;
    } catch (error) {
      if (statusOf(error) === 404) return 'was removed';
      throw error;
    }
  }

  release(): Promise<void> {
    this.#released ??= this.#stop();
    return this.#released;
  }

  async #stop(): Promise<void> {
    const { docker, container, port } = this.#options;
    try {
      try {
        await docker.getContainer(this.id).stop({ t: this.#options.stopGraceSeconds });
      } catch (error) {
        // 304: already stopped; 404: already gone.
        if (statusOf(error) !== 304 && statusOf(error) !== 404) throw error;
      }
      // Stopped but not yet removed: the last chance to read what it wrote.
      const lines = await readContainerLogs(docker, this.id, this.#options.logCapacity).catch(
        () => [],
      );
      this.#finalLogs = lines.map((line) => redactText(line, this.#options.secrets));
    } finally {
      try {
        await container.stop(0);
        debug('[%s] removed %s', this.#options.label, this.name);
      } finally {
        port?.release();
      }
    }
  }
}
