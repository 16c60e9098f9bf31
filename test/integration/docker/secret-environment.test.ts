import type Docker from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { venomqaLabels } from '../../../src/docker/labels.js';
import { SECRET_ENV_FILE, planSecretEnvironment } from '../../../src/docker/secret-environment.js';
import { RUN_ID } from '../../../src/run-id.js';
import { dockerAvailable } from '../support/services.js';

const hasDocker = await dockerAvailable();
const IMAGE = process.env.VENOMQA_BASE_IMAGE ?? 'debian:trixie-slim';
const CANARY = `pa'ss w@rd:$(id)/?#%&"`;

describe.skipIf(!hasDocker)('secret environment in a real container', () => {
  let docker: Docker;

  beforeAll(async () => {
    docker = (await findDockerDaemon()).docker;
  });

  /** Run `script` in IMAGE as `user` with SECRET in the secret file; its output and inspect. */
  async function runAs(user: string, script: string) {
    const plan = await planSecretEnvironment(
      docker,
      IMAGE,
      { PLAIN: 'visible' },
      { SECRET: CANARY },
      ['/bin/sh', '-c', script],
    );
    if (!plan) throw new Error('no plan: the image has no entrypoint or command');
    const container = await docker.createContainer({
      Image: IMAGE,
      ...plan.create,
      User: user,
      Tty: true,
      Labels: venomqaLabels({ role: 'api', runId: RUN_ID }),
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      expect(await plan.install(container)).toBe('file');
      const inspected = JSON.stringify(await container.inspect());
      await container.start();
      await container.wait();
      const output = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
      return { output, inspected };
    } finally {
      await container.remove({ force: true });
    }
  }

  it.each(['root', 'nobody'])(
    'as %s the command gets the variable, the file is gone once it runs, inspect never shows it',
    async (user) => {
      const { output, inspected } = await runAs(
        user,
        `printf '%s|' "$SECRET" "$PLAIN"; test -e ${SECRET_ENV_FILE} && echo left || echo gone`,
      );
      expect(output.trim()).toBe(`${CANARY}|visible|gone`);
      expect(inspected).not.toContain('w@rd');
    },
  );
});
