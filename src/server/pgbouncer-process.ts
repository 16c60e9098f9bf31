/** A PgBouncer that was started somewhere (a local process, or inside a server's container). */
export interface PgBouncerProcess {
  /** For messages: which PgBouncer this is. */
  readonly description: string;
  exited(): boolean;
  /** Its last `count` log lines. */
  logs(count?: number): string[] | Promise<string[]>;
  /** Stop it and remove its files. Idempotent. */
  stop(): Promise<void>;
}
