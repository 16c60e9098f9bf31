import { InvalidArgumentError } from 'commander';
import { REPORT_FORMATS } from '../config/index.js';

export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** `--format junit,json` or `--format junit --format json`; not variadic, so paths can follow. */
export function reportFormats(value: string, previous: ReportFormat[] | undefined): ReportFormat[] {
  const formats = value.split(',').map((f) => f.trim());
  for (const format of formats) {
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
      throw new InvalidArgumentError(`"${format}" is not one of ${REPORT_FORMATS.join(', ')}`);
    }
  }
  return [...(previous ?? []), ...(formats as ReportFormat[])];
}
