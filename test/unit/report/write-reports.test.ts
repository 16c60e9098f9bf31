import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it, onTestFinished } from 'vitest';

import { renderJsonReport } from '../../../src/report/json-report.js';
import { renderMarkdownReport } from '../../../src/report/markdown-report.js';
import { ReportWriteError } from '../../../src/report/report-errors.js';
import { writeReports, type ReportFormat } from '../../../src/report/write-reports.js';
import { checkoutJourney, run } from './fixtures.js';

function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'venomqa-report-')));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('writeReports', () => {
  it('creates the directory and writes each format once, returning absolute paths', async () => {
    const dir = path.join(tempDir(), 'nested', 'reports');
    const result = run([checkoutJourney()]);
    const files = await writeReports(result, {
      dir,
      formats: ['json', 'markdown', 'junit', 'json'],
    });

    expect(files).toEqual([
      path.join(dir, 'venomqa-report.json'),
      path.join(dir, 'venomqa-report.md'),
      path.join(dir, 'venomqa-junit.xml'),
    ]);
    expect(fs.readFileSync(files[0] ?? '', 'utf8')).toBe(renderJsonReport(result));
    expect(fs.readFileSync(files[1] ?? '', 'utf8')).toBe(renderMarkdownReport(result));
    expect(XMLValidator.validate(fs.readFileSync(files[2] ?? '', 'utf8'))).toBe(true);
  });

  it('resolves a relative directory against the current directory', async () => {
    const dir = tempDir();
    const relative = path.relative(process.cwd(), path.join(dir, 'out'));
    const [file] = await writeReports(run([]), { dir: relative, formats: ['junit'] });
    expect(file).toBe(path.join(dir, 'out', 'venomqa-junit.xml'));
    expect(fs.existsSync(file ?? '')).toBe(true);
  });

  it('writes nothing for no formats', async () => {
    const dir = path.join(tempDir(), 'empty');
    expect(await writeReports(run([]), { dir, formats: [] })).toEqual([]);
  });

  it('names the directory it cannot create', async () => {
    const blocker = path.join(tempDir(), 'a-file');
    fs.writeFileSync(blocker, '');
    const dir = path.join(blocker, 'reports');
    const error = await writeReports(run([]), { dir, formats: ['markdown'] }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ReportWriteError);
    expect((error as ReportWriteError).code).toBe('VENOMQA_REPORT_WRITE_FAILED');
    expect((error as Error).message).toContain(`Cannot create report directory ${dir}`);
    expect((error as ReportWriteError).hint).toMatch(/report_dir/);
  });

  it('rejects an unknown format before writing anything', async () => {
    const dir = path.join(tempDir(), 'never');
    await expect(
      writeReports(run([]), { dir, formats: ['markdown', 'pdf' as ReportFormat] }),
    ).rejects.toThrow("Unknown report format 'pdf'; use markdown, junit, json, html");
    expect(fs.existsSync(dir)).toBe(false);
  });
});
