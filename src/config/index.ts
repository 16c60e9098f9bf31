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
  CONFIG_FILE_ENV_VAR,
  CONFIG_FILE_NAMES,
  findConfigFile,
  loadConfigFile,
} from './load-config-file.js';
export type { ConfigFile, FindConfigFileOptions, SourcePosition } from './load-config-file.js';
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
export type { QAConfig, ResolvedConfig } from './schema.js';
