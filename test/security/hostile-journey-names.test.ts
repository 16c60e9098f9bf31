import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { apiContainerName, DOCKER_CONTAINER_NAME } from '../../src/api/api-container-name.js';
import { PATH_LABEL } from '../../src/api/docker-target.js';
import { findDockerDaemon, isDockerAvailable } from '../../src/docker/find-docker-daemon.js';
import { venomqaLabels } from '../../src/docker/labels.js';
import { Journey, Path } from '../../src/journey/journey-builders.js';
import { removeInvalidXmlChars } from '../../src/report/xml-text.js';
import { renderHtmlReport } from '../../src/report/html/html-report.js';
import { REPORT_FILE_NAMES, writeReports } from '../../src/report/write-reports.js';
import type { JourneyResult } from '../../src/result/run-result.js';
import { RUN_ID } from '../../src/run-id.js';
import { branch, checkpoint, journey, path, run, step } from '../unit/report/fixtures.js';
import { iterations, msSince, printFigures } from '../reliability/support/figures.js';
import { hostileNames } from './support/hostile-names.js';
import { NameOutcomes } from './support/name-outcomes.js';

const NAMES = hostileNames(iterations(10_000, 1_500), 612);

/** A journey result named `name` whose one branch has a path named `name` too. */
function resultNamed(name: string): JourneyResult {
  return journey(name, [
    step('register'),
    checkpoint('ordered'),
    branch('ordered', [path(`ordered/${name}`, [step('pay')])]),
  ]);
}

describe('hostile journey and path names: the DSL, the reports and the API container names', () => {
  it(`${NAMES.length} journey and path names: bad ones are typed errors; reports of the accepted ones parse and keep the names`, async () => {
    const journeys = new NameOutcomes();
    const paths = new NameOutcomes();
    const accepted: string[] = [];
    const began = performance.now();
    for (const name of NAMES) {
      const asJourney = await journeys.record(name, () => Journey({ name, steps: [] }));
      const asPath = await paths.record(name, () => Path({ name, steps: [] }));
      if (asJourney && asPath) accepted.push(name);
    }

    // One run holding every accepted name, written as the CLI writes it.
    const dir = await mkdtemp(join(tmpdir(), 'venomqa-hostile-reports-'));
    const problems: string[] = [];
    try {
      const result = run(accepted.map(resultNamed));
      await writeReports(result, { dir, formats: ['markdown', 'junit', 'json', 'html'] });
      const files = (await readdir(dir)).sort();
      expect(files).toEqual(Object.values(REPORT_FILE_NAMES).sort());
      const text = async (file: string): Promise<string> => {
        const bytes = await readFile(join(dir, file));
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes); // throws on bad UTF-8
      };

      const json = JSON.parse(await text(REPORT_FILE_NAMES.json)) as {
        journeys: { name: string }[];
      };
      json.journeys.forEach((j, i) => {
        if (j.name !== accepted[i]) problems.push(`json: ${JSON.stringify(accepted[i])}`);
      });

      const xml = await text(REPORT_FILE_NAMES.junit);
      const valid = XMLValidator.validate(xml);
      if (valid !== true) problems.push(`junit does not parse: ${JSON.stringify(valid.err)}`);
      const suites = (
        new XMLParser({
          ignoreAttributes: false,
          attributeNamePrefix: '',
          trimValues: false,
          isArray: () => true,
        }).parse(xml) as { testsuites: { testsuite: { name: string[] }[] }[] }
      ).testsuites[0]?.testsuite;
      accepted.forEach((name, i) => {
        const shown = suites?.[i]?.name[0];
        if (String(shown) !== removeInvalidXmlChars(name)) {
          problems.push(`junit: ${JSON.stringify(name)} shown as ${JSON.stringify(shown)}`);
        }
      });

      // A name never adds a line or a heading to the markdown: one '## ' line per journey.
      const markdown = await text(REPORT_FILE_NAMES.markdown);
      const headings = markdown.split('\n').filter((line) => line.startsWith('## ')).length;
      const plain = (await import('../../src/report/markdown-report.js')).renderMarkdownReport(
        run(accepted.map(() => resultNamed('plain'))),
      );
      if (headings !== accepted.length) problems.push(`markdown: ${headings} journey headings`);
      if (markdown.split('\n').length !== plain.split('\n').length) {
        problems.push('markdown: the names changed the number of lines');
      }

      // Nor markup to the HTML report: a name that would open a tag (`<b`, `</script`, `<!--`)
      // never appears in it as it is, and one such name made on purpose is escaped.
      const html = await text(REPORT_FILE_NAMES.html);
      for (const name of accepted.filter((n) => /<[a-z!/?]/i.test(n))) {
        if (html.includes(name)) problems.push(`html: ${JSON.stringify(name)} unescaped`);
      }
      const injected = renderHtmlReport(run([resultNamed('x</script><img src=y>')]));
      if (injected.includes('<img src=y>')) problems.push('html: a tag in a name is not escaped');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    // Every accepted journey/path label makes a container name Docker accepts.
    const badContainerNames = accepted
      .map((name) => apiContainerName(`${name}/${name}`))
      .filter((c) => !DOCKER_CONTAINER_NAME.test(c));

    printFigures(
      'hostile names',
      `${NAMES.length} journey and path names: ${accepted.length} accepted, journeys ${journeys.refused} / paths ${paths.refused} typed errors (${journeys.describeTyped()} / ${paths.describeTyped()}), ${journeys.untyped.length + paths.untyped.length} untyped errors; reports of all accepted names: ${problems.length} problems (markdown, JUnit, JSON, HTML); ${badContainerNames.length} invalid container names (${msSince(began)} ms)`,
    );
    expect(journeys.untyped).toEqual([]);
    expect(paths.untyped).toEqual([]);
    expect(problems).toEqual([]);
    expect(badContainerNames).toEqual([]);
  });

  it('the Docker daemon accepts the container names and path labels of a sample of accepted names', async () => {
    if (!(await isDockerAvailable())) {
      console.warn('[venomqa tests] skipping the Docker sample: Docker is not available');
      return;
    }
    const image = process.env.VENOMQA_BASE_IMAGE ?? 'venomqa/base:trixie';
    const { docker } = await findDockerDaemon();
    const sample = NAMES.filter((name) => {
      try {
        Journey({ name, steps: [] });
        Path({ name, steps: [] });
        return true;
      } catch {
        return false;
      }
    }).slice(0, 20);
    const refused: string[] = [];
    for (const name of sample) {
      const label = `${name}/${name}`;
      try {
        const container = await docker.createContainer({
          Image: image,
          name: apiContainerName(label),
          Cmd: ['true'],
          Labels: { ...venomqaLabels({ role: 'api', runId: RUN_ID }), [PATH_LABEL]: label },
        });
        try {
          const info = await container.inspect();
          if (info.Config.Labels[PATH_LABEL] !== label)
            refused.push(`label of ${JSON.stringify(name)}`);
        } finally {
          await container.remove({ force: true });
        }
      } catch (error) {
        refused.push(`${JSON.stringify(name)}: ${String(error)}`);
      }
    }
    printFigures(
      'hostile names',
      `${sample.length} accepted path labels as real containers: ${sample.length - refused.length} created with their name and label intact, ${refused.length} refused`,
    );
    expect(refused).toEqual([]);
  });
});
