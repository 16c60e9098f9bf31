/**
 * Something in front of PostgreSQL that can hold a database's new queries back instead of
 * letting them be refused: a pooler that pauses, such as PgBouncer's `PAUSE`/`RESUME` in
 * transaction pooling. When the engine is given one, a swap holds the target first, so an API
 * connected through the gate waits out the window (its connections to the gate are never
 * ended) instead of seeing terminated sessions and refused connections.
 */
export interface ConnectionGate {
  /**
   * Stop handing `database` to new transactions and let go of the gate's own server sessions
   * on it. Resolves once that is done, or after a bounded wait while a client still holds a
   * transaction open (the swap's drain then ends that session, which lets the hold complete).
   */
  hold(database: string): Promise<void>;
  /** Let `database`'s waiting and new transactions through again (to whatever holds its name). */
  release(database: string): Promise<void>;
}
