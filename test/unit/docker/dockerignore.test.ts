import { describe, expect, it } from 'vitest';
import { cleanPath, Dockerignore } from '../../../src/docker/dockerignore.js';

/** The paths of `paths` that `.dockerignore` text `text` leaves out. */
function excluded(text: string, paths: string[]): string[] {
  const ignore = Dockerignore.parse(text);
  return paths.filter((p) => ignore.excludes(p));
}

describe('Dockerignore', () => {
  it("follows the examples of Docker's documentation", () => {
    expect(
      excluded('*/temp*', ['somedir/temporary.txt', 'somedir/temp', 'temp.txt', 'a/b/temp']),
    ).toEqual(['somedir/temporary.txt', 'somedir/temp']);
    expect(excluded('*/*/temp*', ['somedir/subdir/temporary.txt', 'somedir/temp'])).toEqual([
      'somedir/subdir/temporary.txt',
    ]);
    expect(excluded('temp?', ['tempa', 'tempb', 'temp', 'tempab'])).toEqual(['tempa', 'tempb']);
    expect(excluded('**/*.go', ['main.go', 'cmd/x/main.go', 'go.mod'])).toEqual([
      'main.go',
      'cmd/x/main.go',
    ]);
  });

  it('the last matching line wins, and exceptions put files back', () => {
    const paths = ['README.md', 'CHANGES.md', 'README-secret.md', 'src/a.md'];
    expect(excluded('*.md\n!README*.md\nREADME-secret.md', paths)).toEqual([
      'CHANGES.md',
      'README-secret.md',
    ]);
    expect(excluded('*.md\nREADME-secret.md\n!README*.md', paths)).toEqual(['CHANGES.md']);
  });

  it('a pattern leaves out a folder with everything below it', () => {
    expect(
      excluded('node_modules\nbig/', ['node_modules', 'node_modules/a/b.js', 'big/x', 'bigger']),
    ).toEqual(['node_modules', 'node_modules/a/b.js', 'big/x']);
  });

  it('cleans patterns as Docker does: leading slash, ./, .., doubled and trailing slashes', () => {
    expect(excluded('/build\n./src/../dist//\n', ['build/a', 'dist/b', 'src/dist/c'])).toEqual([
      'build/a',
      'dist/b',
    ]);
    expect(cleanPath('a/./b/../c/')).toBe('a/c');
    expect(cleanPath('../x')).toBe('../x');
    expect(cleanPath('/')).toBe('/');
  });

  it('skips comments, blank lines and a byte order mark; reads classes and escapes', () => {
    const text = '\uFEFF# a comment\n\n   \n  *.log  \n[^a]bc\nfile\\*\n';
    expect(excluded(text, ['x.log', 'abc', 'xbc', 'file*', 'filex', '# a comment'])).toEqual([
      'x.log',
      'xbc',
      'file*',
    ]);
  });

  it('"!" alone is an error, as in Docker', () => {
    expect(() => Dockerignore.parse('*.md\n!\n')).toThrow(/line 2/);
  });

  it('mayIncludeBelow: only folders an exception can reach must be walked', () => {
    const ignore = Dockerignore.parse('node_modules\n!node_modules/keep\nbig\n!**/*.keep\n');
    expect(ignore.mayIncludeBelow('node_modules')).toBe(true);
    // `**/*.keep` may match below any folder.
    expect(ignore.mayIncludeBelow('big')).toBe(true);
    const simple = Dockerignore.parse('node_modules\nbig\n!src/important\n');
    expect(simple.mayIncludeBelow('node_modules')).toBe(false);
    expect(simple.mayIncludeBelow('big')).toBe(false);
    expect(Dockerignore.parse('').empty).toBe(true);
  });
});
