// venomqa/report: markdown, JUnit XML and JSON reports from a run's result tree.
export {
  REPORT_FILE_NAMES,
  writeReports,
  type ReportFormat,
  type WriteReportsOptions,
} from './write-reports.js';
export { renderMarkdownReport } from './markdown-report.js';
export { renderJUnitReport } from './junit-report.js';
export { renderHtmlReport } from './html/html-report.js';
export { JSON_REPORT_FORMAT, renderJsonReport, type JsonReport } from './json-report.js';
export { redactRunResult } from './redact-result.js';
export { ReportWriteError } from './report-errors.js';
export { journeyLines, lineFailureReason } from './journey-lines.js';
export { renderStateDiffText } from './state-diff-text.js';
export { ReportMergeError, ReportReadError } from './report-errors.js';
export { mergeReports, type MergedReports } from './merge-reports.js';
export { readJsonReport } from './read-json-report.js';
export {
  appendGithubStepSummary,
  renderGithubAnnotations,
  type GithubAnnotationOptions,
} from './github-actions.js';
