import { describe, expect, it } from 'vitest';
import { commandArgv } from '../../../src/api/command-line.js';
import { TargetConfigError } from '../../../src/api/target-errors.js';

describe('commandArgv', () => {
  it('splits on blanks and honours quotes and backslashes, as a shell would', () => {
    expect(commandArgv('node  server.js --port {port}')).toEqual([
      'node',
      'server.js',
      '--port',
      '{port}',
    ]);
    expect(commandArgv(`node app.js --name 'my api' --say "it's \\"ok\\"" a\\ b ''`)).toEqual([
      'node',
      'app.js',
      '--name',
      'my api',
      '--say',
      'it\'s "ok"',
      'a b',
      '',
    ]);
    expect(commandArgv(`sh -c 'echo $PORT | cat'`)).toEqual(['sh', '-c', 'echo $PORT | cat']);
  });

  it('takes a list as it is', () => {
    expect(commandArgv(['node', 'server.js', '--flag=a b'])).toEqual([
      'node',
      'server.js',
      '--flag=a b',
    ]);
  });

  it.each([
    ['node server.js --port $PORT', /shell syntax \(\$\)/],
    ['node server.js --port "$PORT"', /shell syntax \(\$\)/],
    ['node server.js | tee log', /shell syntax \(\|\)/],
    ['npm run build && npm start', /shell syntax \(&\)/],
    ['node server.js > out.log', /shell syntax \(>\)/],
    ['PORT=3000 node server.js', /variable assignment \(PORT=…\)/],
    [`node 'server.js`, /unclosed ' quote/],
    ['   ', /empty/],
  ])('rejects %j, which needs a shell or is empty', (command, message) => {
    const error = (() => {
      try {
        commandArgv(command);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TargetConfigError);
    expect((error as TargetConfigError).message).toMatch(message);
    expect((error as TargetConfigError).exitCode).toBe(2);
  });

  it('masks a password in the command it quotes', () => {
    expect(() => commandArgv('api --db postgresql://qa:hunter22@db/app $X')).toThrow(
      'postgresql://qa:***@db/app',
    );
  });
});
