import { describe, expect, it } from 'vitest';
import { findBuildKitFeatures } from '../../../src/docker/buildkit-features.js';

describe('findBuildKitFeatures', () => {
  it('names each BuildKit-only construct with its line', () => {
    const dockerfile = [
      '# syntax=docker/dockerfile:1',
      'FROM node:22-slim AS deps',
      'WORKDIR /app',
      'RUN --mount=type=cache,target=/root/.npm \\',
      '    --mount=type=bind,source=package.json,target=package.json \\',
      '    npm ci',
      'COPY --link --chmod=755 bin/ /app/bin/',
      'ADD --checksum=sha256:abc https://example.test/x.tgz /x.tgz',
      'RUN --network=none make test',
      'COPY <<EOF /app/config.json',
      '{"a": 1}',
      'EOF',
      'CMD ["node", "server.js"]',
    ].join('\n');
    expect(findBuildKitFeatures(dockerfile)).toEqual([
      { feature: 'RUN --mount', line: 4 },
      { feature: 'COPY --link', line: 7 },
      { feature: 'COPY --chmod', line: 7 },
      { feature: 'ADD --checksum', line: 8 },
      { feature: 'RUN --network', line: 9 },
      { feature: 'a heredoc in COPY (<<EOF)', line: 10 },
    ]);
  });

  it('finds nothing in a classic Dockerfile, whatever its shell commands contain', () => {
    const dockerfile = [
      'ARG BASE_IMAGE=debian:trixie-slim',
      'FROM ${BASE_IMAGE}',
      '# RUN --mount=type=cache in a comment',
      'RUN echo "--mount is a word here" && echo $((1<<3))',
      'COPY --chown=app:app . /app',
      'RUN cat <<-END > /dev/null || true',
      'CMD ["node", "/app/server.mjs"]',
    ].join('\n');
    expect(findBuildKitFeatures(dockerfile)).toEqual([]);
  });

  it('joins continuation lines with the escape character of an escape directive', () => {
    const dockerfile = [
      '# escape=`',
      'FROM mcr.example/windows',
      'RUN `',
      '  --mount=type=cache,target=C:\\c dir',
    ].join('\n');
    expect(findBuildKitFeatures(dockerfile)).toEqual([{ feature: 'RUN --mount', line: 3 }]);
  });
});
