import { findFreePort } from '../free-port.js';

// Ports handed to instances of this process that are still running. The kernel may offer a
// port again as soon as the probe socket closes, before the API binds it; two paths sharing a
// port would share an API (and a database) without anyone noticing.
const reserved = new Set<number>();

/** A free loopback port kept from other instances of this process until `release()`. */
export interface PortReservation {
  readonly port: number;
  release(): void;
}

export async function reservePort(): Promise<PortReservation> {
  for (let attempt = 0; ; attempt++) {
    const port = await findFreePort();
    if (!reserved.has(port)) {
      reserved.add(port);
      let released = false;
      return {
        port,
        release: () => {
          if (released) return;
          released = true;
          reserved.delete(port);
        },
      };
    }
    if (attempt >= 20) throw new Error('no free loopback port that no other API instance holds');
  }
}
