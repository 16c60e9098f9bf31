// The redaction leaf: one mask (`***`) and one rule set for every layer that prints or records
// something that may hold a secret. It imports nothing.
export {
  REDACTED,
  isCardNumber,
  isSecretColumn,
  isSecretEnvName,
  isSecretHeader,
  isSecretKey,
} from './secret-rules.js';
export { redactUrl, redactUrlsIn } from './redact-url.js';
export { redactText } from './redact-text.js';
export { redactColumnValue, redactColumns, redactHeaders, redactJson } from './redact-records.js';
