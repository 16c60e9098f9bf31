import { createServer } from 'node:net';
import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError } from '../errors/venomqa-error.js';

/** `server.port` is taken: PostgreSQL would fail to bind it after initdb or a container start. */
export class PortInUseError extends VenomQAError {
  readonly code = 'VENOMQA_PORT_IN_USE';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly port: number;

  constructor(port: number, host: string, options: { cause?: unknown } = {}) {
    super(
      `Port ${port} on ${host} (server.port) is already in use: PostgreSQL cannot listen there`,
      {
        ...options,
        hint:
          `Unset server.port (VENOMQA_SERVER_PORT) to let venomqa pick a free port, or choose another; ` +
          `\`ss -ltnp 'sport = :${port}'\` shows what listens on it.`,
      },
    );
    this.port = port;
  }
}

/**
 * Throw {@link PortInUseError} when something listens on `port` already: checked before a
 * server is started there, so a taken port fails at once, naming the setting, instead of after
 * initdb or an image start with PostgreSQL's own "could not bind" in the log.
 */
export function assertPortFree(port: number, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new PortInUseError(port, host, { cause: error }));
      // Anything else (EACCES for a privileged port, …) is left to the server to report.
      else resolve();
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
