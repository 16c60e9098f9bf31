import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { writeReports } from '../../../src/report/index.js';
import type { ItemResult, RunResult } from '../../../src/result/run-result.js';
import { runJourneys } from '../../../src/run/index.js';
import { failingCheckout } from '../diff/failing-checkout.js';
import { REPO, SHOP_SERVER } from '../runner/shop-fixture.js';
import { startTestPostgres } from '../state/embedded-server.js';
import { CHROMIUM, browserAvailable } from '../support/services.js';

const available = await browserAvailable();

/** Chromium as this machine allows it: no sandbox, no GPU, and no background connections. */
async function launch(
  profiles: string,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(await mkdtemp(path.join(profiles, 'profile-')), {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
    ...options,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function count(items: readonly ItemResult[]): { checkpoints: number; paths: number } {
  let checkpoints = 0;
  let paths = 0;
  for (const item of items) {
    if (item.kind === 'checkpoint') checkpoints += 1;
    if (item.kind !== 'branch') continue;
    for (const p of item.paths) {
      const nested = count(p.items);
      paths += 1 + nested.paths;
      checkpoints += nested.checkpoints;
    }
  }
  return { checkpoints, paths };
}

/** Every console error, uncaught error and non-file request of a page. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) problems.push(`request: ${request.url()}`);
  });
  return problems;
}

describe.skipIf(!available)('the HTML report in Chromium', () => {
  let work: string;
  let report: string;
  let result: RunResult;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'venomqa-html-report-'));
    await mkdir(path.join(work, 'profiles'));
    const server = await startTestPostgres();
    try {
      const config = resolveConfig({
        cwd: REPO,
        env: {},
        overrides: {
          parallel_paths: 2,
          report_formats: [],
          api: {
            mode: 'process',
            command: [process.execPath, SHOP_SERVER],
            env: { DATABASE_URL: '{database_url}', PORT: '{port}' },
            health: '/health',
          },
        },
      });
      result = await runJourneys({
        config,
        journeys: [{ journey: failingCheckout({}) }],
        cwd: REPO,
        server: { adminUrl: server.adminUrl },
      });
    } finally {
      await server.stop();
    }
    [report = ''] = await writeReports(result, { dir: work, formats: ['html'] });
    // Screenshots stay for a person to look at; the profiles go.
    console.log(`[venomqa tests] HTML report and screenshots in ${work}`);
  });

  afterAll(async () => {
    if (work) await rm(path.join(work, 'profiles'), { recursive: true, force: true });
  });

  it('draws the tree, expands a failure, and looks right in light and dark, wide and on a phone', async () => {
    const context = await launch(path.join(work, 'profiles'));
    try {
      const page = await context.newPage();
      const problems = watch(page);
      await page.goto(pathToFileURL(report).href);

      const expected = count(result.journeys[0]?.items ?? []);
      expect(expected).toEqual({ checkpoints: 2, paths: 5 });
      await expect.poll(() => page.locator('svg.branch-tree .node').count()).toBe(2);
      expect(await page.locator('svg.branch-tree .edge').count()).toBe(expected.paths);
      expect(await page.locator('svg.timeline .bar').count()).toBeGreaterThanOrEqual(5);
      await page.screenshot({ path: path.join(work, 'report-light-1280.png'), fullPage: true });

      // Clicking a failure opens it: the request, the response and the rows the path wrote.
      const failure = page.locator('details.failure[data-path="pay_then_cancel"]');
      expect(await failure.getAttribute('open')).toBeNull();
      await failure.locator(':scope > summary').click();
      expect(await failure.getAttribute('open')).toBe('');
      const diff = failure.locator('.state-diff');
      expect(await diff.isVisible()).toBe(true);
      expect(await diff.innerText()).toMatch(/payments — 1 inserted/);
      expect(await failure.locator('del', { hasText: '"open"' }).count()).toBe(1);
      expect(await failure.locator('ins', { hasText: '"paid"' }).count()).toBe(1);
      expect(await failure.innerText()).toContain('409 Conflict');
      // The README's docs/report.png is this one.
      await page.screenshot({
        path: path.join(work, 'report-light-1280-failure.png'),
        fullPage: true,
      });

      // A failed path's edge in the tree opens its failure (the script's extra).
      const declined = page.locator('details.failure[data-path="add_item/declined"]');
      await page
        .locator('svg.branch-tree .edge[data-path="add_item/declined"] .edge-label')
        .click();
      expect(await declined.getAttribute('open')).toBe('');

      await page.emulateMedia({ colorScheme: 'dark' });
      // Expressions as text: they run in the page, whose DOM types this project does not load.
      expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe(
        'rgb(13, 17, 23)',
      );
      await page.screenshot({ path: path.join(work, 'report-dark-1280.png'), fullPage: true });

      await page.setViewportSize({ width: 390, height: 844 });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({
          path: path.join(work, `report-${scheme}-390.png`),
          fullPage: true,
        });
      }
      // On a phone the page itself never scrolls sideways: wide pictures scroll in their frame.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the summary, the tree and the failures without JavaScript', async () => {
    const context = await launch(path.join(work, 'profiles'), {
      javaScriptEnabled: false,
    });
    try {
      const page = await context.newPage();
      const problems = watch(page);
      await page.goto(pathToFileURL(report).href);
      expect(await page.locator('.verdict').innerText()).toBe('✗ 1 of 1 journey failed');
      expect(await page.locator('svg.branch-tree .node').count()).toBe(2);
      expect(await page.locator('svg.branch-tree .edge').count()).toBe(5);
      expect(await page.locator('table.paths tbody tr').count()).toBe(6);
      // The buttons need the script: hidden without it.
      expect(await page.locator('[data-toolbar]').isVisible()).toBe(false);
      const failure = page.locator('details.failure[data-path="pay_then_cancel"]');
      await failure.locator(':scope > summary').click();
      expect(await failure.locator('.state-diff').isVisible()).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
