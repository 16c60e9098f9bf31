import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

/** `venomqa init` ran where there is no package.json, or one that is not JSON. */
export class InitProjectError extends VenomQAError {
  readonly code = 'VENOMQA_INIT_NO_PROJECT';
  readonly exitCode = ExitCode.Usage;

  constructor(message: string, options: VenomQAErrorOptions = {}) {
    super(message, {
      hint: "Run `venomqa init` in the folder of your API's package.json.",
      ...options,
    });
  }
}

/** A file `venomqa init` would write exists already; nothing was written. */
export class InitFileExistsError extends VenomQAError {
  readonly code = 'VENOMQA_INIT_FILE_EXISTS';
  readonly exitCode = ExitCode.Usage;

  constructor(files: readonly string[], options: VenomQAErrorOptions = {}) {
    super(`venomqa init would overwrite ${files.join(' and ')}; nothing was written`, {
      hint: 'Keep your files, or run `venomqa init --force` to replace them.',
      ...options,
    });
  }
}
