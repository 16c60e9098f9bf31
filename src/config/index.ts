// The public face of the config layer; everything else in src/config is internal.
export { ConfigError, formatConfigIssue } from './config-error.js';
export type { ConfigErrorOptions, ConfigIssue } from './config-error.js';
export { defaultConfig } from './default-config.js';
export type { DeepReadonly } from './deep-freeze.js';
export { SUPPORTED_ENV_VARS, readEnvConfig } from './env-config.js';
export type { EnvConfig, EnvVarKind, EnvVarSpec } from './env-config.js';
export { interpolate, substituteVariables } from './interpolate.js';
export type { EnvRecord } from './interpolate.js';
export {
  CODE_CONFIG_FILE_NAMES,
  CONFIG_FILE_ENV_VAR,
  CONFIG_FILE_NAMES,
  findConfigFile,
  findConfigFiles,
  loadConfigFile,
} from './load-config-file.js';
export type {
  ConfigFile,
  FindConfigFileOptions,
  FoundConfigFiles,
  SourcePosition,
} from './load-config-file.js';
export { loadCodeConfigFile } from './load-code-config.js';
export { loadConfig, type LoadConfigOptions } from './load-config.js';
export { QAConfig, defineConfig, type QAConfigInit } from './define-config.js';
export { REDACTED, redactConfig, redactText, redactUrl } from './redact.js';
export { resolveConfig } from './resolve-config.js';
export type { ResolveConfigOptions } from './resolve-config.js';
export {
  API_MODES,
  REPORT_FORMATS,
  SERVER_NETWORKS,
  SERVER_PROVIDERS,
  STRATEGIES,
  qaConfigSchema,
} from './schema.js';
export type { QAConfigInput, ResolvedConfig } from './schema.js';
