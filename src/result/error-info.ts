import { redactText } from '../redaction/index.js';
import { isVenomQAError } from '../errors/venomqa-error.js';
import type { ErrorInfo } from './run-result.js';

/**
 * What a report shows of a thrown value: message, code, class name, hint and stack, with
 * credentials in URLs removed (an assertion message may quote a database URL).
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    return {
      message: redactText(error.message),
      name: error.name,
      ...(isVenomQAError(error) ? { code: error.code } : {}),
      ...(isVenomQAError(error) && error.hint ? { hint: redactText(error.hint) } : {}),
      ...(error.stack === undefined ? {} : { stack: redactText(error.stack) }),
    };
  }
  return { message: redactText(String(error)) };
}
