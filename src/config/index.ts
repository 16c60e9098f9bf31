// venomqa/config: one resolveConfig (defaults < venomqa.yaml < VENOMQA_* < flags < code), the
// async loadConfig that also reads venomqa.config.ts, config in code (QAConfig, defineConfig),
// its types and errors, and a copy of a config that is safe to print.
export { resolveConfig, type ResolveConfigOptions } from './resolve-config.js';
export { findConfigFile, type FindConfigFileOptions } from './load-config-file.js';
export { ConfigError, type ConfigIssue } from './config-errors.js';
export { redactConfig } from './redact-config.js';
export { redactText, redactUrl } from '../redaction/index.js';
export { loadConfig, type LoadConfigOptions } from './load-config.js';
export { QAConfig, defineConfig, type QAConfigInit } from './define-config.js';
export { REPORT_FORMATS, type QAConfigInput, type ResolvedConfig } from './schema.js';
