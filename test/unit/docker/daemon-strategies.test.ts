import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DefaultSocketStrategy,
  DesktopSocketStrategy,
  DockerContextStrategy,
  DockerHostEnvStrategy,
  ExplicitHostStrategy,
  RootlessSocketStrategy,
  parseDockerHost,
  type DaemonStrategy,
  type DiscoveryContext,
} from '../../../src/docker/daemon-strategies.js';
import { DockerUnavailableError } from '../../../src/docker/docker-errors.js';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';

function fakeContext(
  overrides: Partial<DiscoveryContext> & { files?: Record<string, string> } = {},
): DiscoveryContext {
  const files = overrides.files ?? {};
  return {
    env: {},
    platform: 'linux',
    homeDir: '/home/dev',
    uid: 1000,
    fileExists: (p) => p in files,
    readFile: (p) => files[p],
    ...overrides,
  };
}

describe('daemon discovery strategies', () => {
  it('parses DOCKER_HOST forms', () => {
    expect(parseDockerHost('unix:///run/docker.sock', 'x')).toMatchObject({
      type: 'socket',
      socketPath: '/run/docker.sock',
    });
    expect(parseDockerHost('tcp://127.0.0.1:2375', 'x')).toMatchObject({
      type: 'tcp',
      host: '127.0.0.1',
      port: 2375,
      protocol: 'http',
    });
    expect(parseDockerHost('https://docker.local', 'x')).toMatchObject({
      port: 2376,
      protocol: 'https',
    });
    expect(parseDockerHost('ssh://me@host', 'x')).toContain('not supported');
    expect(parseDockerHost('nonsense', 'x')).toContain('cannot parse');
  });

  it('reads DOCKER_HOST from the injected environment only', () => {
    expect(new DockerHostEnvStrategy().candidate(fakeContext())).toEqual({
      kind: 'skip',
      reason: 'not set',
    });
    const found = new DockerHostEnvStrategy().candidate(
      fakeContext({ env: { DOCKER_HOST: 'tcp://127.0.0.1:2999' } }),
    );
    expect(found).toMatchObject({ kind: 'endpoint', endpoint: { port: 2999 } });
  });

  it('follows the current docker context to its endpoint', () => {
    const digest = createHash('sha256').update('colima').digest('hex');
    const context = fakeContext({
      files: {
        '/home/dev/.docker/config.json': JSON.stringify({ currentContext: 'colima' }),
        [`/home/dev/.docker/contexts/meta/${digest}/meta.json`]: JSON.stringify({
          Endpoints: { docker: { Host: 'unix:///home/dev/.colima/docker.sock' } },
        }),
      },
    });
    expect(new DockerContextStrategy().candidate(context)).toMatchObject({
      kind: 'endpoint',
      endpoint: { type: 'socket', socketPath: '/home/dev/.colima/docker.sock' },
    });
    expect(
      new DockerContextStrategy().candidate(fakeContext({ env: { DOCKER_CONTEXT: 'default' } })),
    ).toEqual({
      kind: 'skip',
      reason: 'default context',
    });
  });

  it('finds rootless, desktop and default sockets only when they exist', () => {
    const files = {
      '/run/user/1000/docker.sock': '',
      '/home/dev/.docker/run/docker.sock': '',
      '/var/run/docker.sock': '',
    };
    expect(new RootlessSocketStrategy().candidate(fakeContext({ files }))).toMatchObject({
      kind: 'endpoint',
    });
    expect(
      new RootlessSocketStrategy().candidate(
        fakeContext({ env: { XDG_RUNTIME_DIR: '/tmp/x' }, files }),
      ),
    ).toMatchObject({
      kind: 'skip',
      reason: '/tmp/x/docker.sock does not exist',
    });
    expect(new DesktopSocketStrategy().candidate(fakeContext({ files }))).toMatchObject({
      kind: 'endpoint',
    });
    expect(new DefaultSocketStrategy().candidate(fakeContext({ files }))).toMatchObject({
      kind: 'endpoint',
    });
    expect(new DefaultSocketStrategy().candidate(fakeContext())).toMatchObject({ kind: 'skip' });
  });

  it('lists every strategy and why it failed when no daemon answers', async () => {
    // A socket path that exists but has no daemon behind it: this test file itself.
    const notASocket = fileURLToPath(import.meta.url);
    const deadSocket: DaemonStrategy = {
      name: 'dead socket',
      candidate: () => ({
        kind: 'endpoint',
        endpoint: { type: 'socket', socketPath: notASocket, label: 'dead' },
      }),
    };
    const strategies: DaemonStrategy[] = [
      new ExplicitHostStrategy(undefined),
      new DockerHostEnvStrategy(),
      new RootlessSocketStrategy(),
      deadSocket,
    ];
    const error = await findDockerDaemon({
      strategies,
      context: fakeContext(),
      pingTimeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerUnavailableError);
    const unavailable = error as DockerUnavailableError;
    expect(unavailable.code).toBe('VENOMQA_DOCKER_UNAVAILABLE');
    expect(unavailable.exitCode).toBe(3);
    expect(unavailable.attempts.map((a) => a.strategy)).toEqual([
      'explicit setting',
      'DOCKER_HOST',
      'rootless socket',
      'dead socket',
    ]);
    expect(unavailable.message).toContain('DOCKER_HOST: not set');
    expect(unavailable.message).toContain('/run/user/1000/docker.sock does not exist');
    expect(unavailable.message).toContain(`dead socket (${notASocket}):`);
    expect(unavailable.hint).toContain('embedded');
  });

  it('stops at a DOCKER_HOST that does not answer, as the docker CLI does, naming it', async () => {
    let lookedFurther = false;
    const later: DaemonStrategy = {
      name: 'later socket',
      candidate: () => {
        lookedFurther = true;
        return { kind: 'skip', reason: 'must not be asked' };
      },
    };
    const error = await findDockerDaemon({
      strategies: [new ExplicitHostStrategy(undefined), new DockerHostEnvStrategy(), later],
      context: fakeContext({ env: { DOCKER_HOST: 'unix:///nonexistent' } }),
      pingTimeoutMs: 200,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect(lookedFurther).toBe(false);
    const unavailable = error as DockerUnavailableError;
    expect(unavailable.message).toMatch(
      /^No Docker daemon answers at DOCKER_HOST \(\/nonexistent\), where the daemon is configured to be/,
    );
    expect(unavailable.hint).toContain('unset DOCKER_HOST');
  });

  it('reports a daemon address that refuses connections', async () => {
    const error = await findDockerDaemon({
      strategies: [new ExplicitHostStrategy('unix:///nonexistent/venomqa-test.sock')],
      context: fakeContext(),
      pingTimeoutMs: 200,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect((error as Error).message).toMatch(
      /explicit setting \(\/nonexistent\/venomqa-test\.sock\): .*ENOENT/,
    );
  });
});
