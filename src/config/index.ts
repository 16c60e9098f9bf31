// venomqa/config: one resolveConfig (defaults < venomqa.yaml < VENOMQA_* < flags < code), its
// types and errors, and a copy of a config that is safe to print.
export { resolveConfig, type ResolveConfigOptions } from './resolve-config.js';
export { findConfigFile, type FindConfigFileOptions } from './load-config-file.js';
export { ConfigError, type ConfigIssue } from './config-errors.js';
export { redactConfig } from './redact-config.js';
export { redactText, redactUrl } from '../redaction/index.js';
export { REPORT_FORMATS, type QAConfig, type ResolvedConfig } from './schema.js';
