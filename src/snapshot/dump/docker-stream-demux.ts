import { Transform, type TransformCallback } from 'node:stream';

const HEADER_BYTES = 8;

/**
 * Split the multiplexed attach stream of a container without a TTY (frames of
 * `[stream, 0, 0, 0, size BE32] + payload`) into stdout, which this transform passes on with
 * backpressure (a dump can be gigabytes), and stderr, which goes to `onStderr`.
 * dockerode's own `demuxStream` writes without waiting for the destination to drain.
 */
export class DockerStreamDemux extends Transform {
  readonly #onStderr: (chunk: Buffer) => void;
  #pending: Buffer = Buffer.alloc(0);
  /** Bytes of the current frame's payload still to come, and which stream they belong to. */
  #remaining = 0;
  #stream = 1;

  constructor(onStderr: (chunk: Buffer) => void) {
    super();
    this.#onStderr = onStderr;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let data = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = Buffer.alloc(0);
    while (data.length > 0) {
      if (this.#remaining === 0) {
        if (data.length < HEADER_BYTES) {
          this.#pending = Buffer.from(data);
          break;
        }
        this.#stream = data[0] ?? 1;
        this.#remaining = data.readUInt32BE(4);
        data = data.subarray(HEADER_BYTES);
        continue;
      }
      const take = Math.min(this.#remaining, data.length);
      const payload = data.subarray(0, take);
      if (this.#stream === 2) this.#onStderr(Buffer.from(payload));
      else if (this.#stream === 1) this.push(payload);
      this.#remaining -= take;
      data = data.subarray(take);
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    done(
      this.#pending.length || this.#remaining
        ? new Error('the container output ended in the middle of a frame')
        : null,
    );
  }
}
