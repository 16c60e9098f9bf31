import { describe, expect, it } from 'vitest';
import { detectStartCommand, projectSnapshot, scriptArgv } from '../../../src/init/index.js';

const start = (scripts: Record<string, string>, main?: string, files?: Record<string, string>) =>
  detectStartCommand(
    projectSnapshot({
      packageJson: { scripts, ...(main ? { main } : {}) },
      ...(files ? { files } : {}),
    }),
  );

describe('detectStartCommand', () => {
  it('runs a plain start script directly', () => {
    expect(start({ start: 'node src/server.js --trace-warnings' })).toMatchObject({
      command: ['node', 'src/server.js', '--trace-warnings'],
      source: 'scripts.start',
      notes: [],
    });
  });

  it('goes through npm when the start script needs a shell', () => {
    const guess = start({ start: 'npm run build && node dist/main.js' });
    expect(guess.command).toEqual(['npm', 'start']);
    expect(guess.notes.join('\n')).toMatch(/needs a shell/);
  });

  it('drops a file watcher such as nodemon', () => {
    expect(start({ start: 'nodemon server.js' }).command).toEqual(['node', 'server.js']);
  });

  it('falls back to main, then to a conventional entry file', () => {
    expect(start({}, 'lib/app.js').command).toEqual(['node', 'lib/app.js']);
    expect(start({}, undefined, { 'src/index.js': '' }).command).toEqual(['node', 'src/index.js']);
  });
});

describe('scriptArgv', () => {
  it.each([
    ['node server.js', ['node', 'server.js']],
    ['PORT=3000 node server.js', undefined],
    ['node server.js | pino-pretty', undefined],
    ['node -e "x"', undefined],
  ])('%s', (script, argv) => {
    expect(scriptArgv(script)).toEqual(argv);
  });
});
