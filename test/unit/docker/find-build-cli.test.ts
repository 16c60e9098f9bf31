import { describe, expect, it } from 'vitest';
import { findBuildCli, type CommandResult } from '../../../src/docker/find-build-cli.js';

/** A fake machine: each docker path answers `--version` and `buildx version` as given. */
function machine(clis: Record<string, { version?: string; buildx?: boolean }>) {
  const calls: string[] = [];
  const run = (file: string, args: readonly string[]): Promise<CommandResult> => {
    calls.push(`${file} ${args.join(' ')}`);
    const cli = clis[file];
    if (cli === undefined) return Promise.reject(new Error(`spawn ${file} ENOENT`));
    if (args[0] === '--version') {
      return Promise.resolve(
        cli.version
          ? { exitCode: 0, stdout: `Docker version ${cli.version}, build abc`, stderr: '' }
          : { exitCode: 0, stdout: 'podman version 4.3.1', stderr: '' },
      );
    }
    return Promise.resolve(
      cli.buildx
        ? { exitCode: 0, stdout: 'github.com/docker/buildx v0.17.1', stderr: '' }
        : {
            exitCode: 1,
            stdout: '',
            stderr: "docker: unknown command: docker buildx\n\nRun 'docker --help'",
          },
    );
  };
  const resolveExecutable = (candidate: string) =>
    candidate.includes('/') ? (candidate in clis ? candidate : undefined) : `/usr/bin/${candidate}`;
  return { run, resolveExecutable, calls };
}

describe('findBuildCli', () => {
  it('takes the first docker on PATH with buildx', async () => {
    const fake = machine({ '/usr/local/bin/docker': { version: '28.2.2', buildx: true } });
    const { cli, tried } = await findBuildCli({
      env: { PATH: '/usr/local/bin:/usr/bin' },
      ...fake,
    });
    expect(cli).toEqual({ path: '/usr/local/bin/docker', version: '28.2.2', kind: 'buildx' });
    expect(tried).toEqual([]);
  });

  it('passes over a 23+ CLI without buildx for an older CLI behind it (the daemon’s BuildKit)', async () => {
    const fake = machine({
      '/usr/local/bin/docker': { version: '28.2.2' },
      '/usr/bin/docker': { version: '20.10.24+dfsg1' },
    });
    const { cli, tried } = await findBuildCli({
      env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
      ...fake,
    });
    expect(cli).toEqual({ path: '/usr/bin/docker', version: '20.10.24+dfsg1', kind: 'daemon' });
    expect(tried).toEqual([
      {
        path: '/usr/local/bin/docker',
        reason: expect.stringContaining(
          'Docker CLI 28.2.2 has no buildx plugin (`docker buildx version`: docker: unknown command: docker buildx)',
        ) as string,
      },
    ]);
  });

  it('finds none on a machine with only a 23+ CLI without buildx, or no Docker CLI', async () => {
    const fake = machine({ '/usr/bin/docker': { version: '27.0.1' }, '/opt/docker': {} });
    const none = await findBuildCli({ env: { PATH: '/usr/bin:/opt' }, ...fake });
    expect(none.cli).toBeUndefined();
    expect(none.tried.map((t) => t.path)).toEqual(['/usr/bin/docker', '/opt/docker']);
    expect(none.tried[1]?.reason).toContain('does not name a Docker CLI');
    const empty = await findBuildCli({ env: { PATH: '' }, ...fake });
    expect(empty).toEqual({
      cli: undefined,
      tried: [{ path: 'docker', reason: 'no docker CLI on PATH' }],
    });
  });

  it('VENOMQA_DOCKER_CLI names the only candidate; none means the API builder', async () => {
    const fake = machine({
      '/usr/local/bin/docker': { version: '28.2.2', buildx: true },
      '/usr/bin/docker': { version: '20.10.24' },
    });
    const named = await findBuildCli({
      env: { PATH: '/usr/local/bin', VENOMQA_DOCKER_CLI: '/usr/bin/docker' },
      ...fake,
    });
    expect(named.cli?.path).toBe('/usr/bin/docker');
    const missing = await findBuildCli({
      env: { PATH: '/usr/local/bin', VENOMQA_DOCKER_CLI: '/nowhere/docker' },
      ...fake,
    });
    expect(missing).toEqual({
      cli: undefined,
      tried: [{ path: '/nowhere/docker', reason: 'not found or not executable' }],
    });
    fake.calls.length = 0;
    const off = await findBuildCli({
      env: { PATH: '/usr/local/bin', VENOMQA_DOCKER_CLI: 'none' },
      ...fake,
    });
    expect(off.cli).toBeUndefined();
    expect(fake.calls).toEqual([]);
  });
});
