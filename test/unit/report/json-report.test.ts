import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { renderJsonReport, type JsonReport } from '../../../src/report/json-report.js';
import {
  BEARER,
  DB_PASSWORD,
  HOSTILE,
  checkoutJourney,
  hostileJourney,
  passingJourney,
  run,
} from './fixtures.js';

const version = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('renderJsonReport', () => {
  it('is the result tree as it is, under a header naming version and format', () => {
    const result = run([passingJourney(), checkoutJourney()]);
    const text = renderJsonReport(result);
    const { venomqa, ...tree } = JSON.parse(text) as JsonReport;

    expect(venomqa).toEqual({ version, format: 1 });
    expect(tree).toEqual(result);
    expect(Object.keys(JSON.parse(text) as object)[0]).toBe('venomqa');
    expect(text).toMatch(/^\{\n {2}"venomqa": \{/);
  });

  it('redacts secrets and still parses with hostile strings', () => {
    const text = renderJsonReport(run([hostileJourney()]));
    expect(text).not.toContain(BEARER);
    expect(text).not.toContain(DB_PASSWORD);
    const report = JSON.parse(text) as JsonReport;
    const [step] = report.journeys[0]?.items ?? [];
    expect(step?.kind === 'step' && step.exchanges[0]?.request.headers).toEqual({
      authorization: '***',
      // JSON can carry every string, so the report keeps them whole (escaped).
      'x-note': HOSTILE,
    });
  });
});
