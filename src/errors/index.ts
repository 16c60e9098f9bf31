// venomqa/errors: the base every venomqa error extends and the CLI's exit codes. A leaf: it
// imports nothing, so the CLI can map errors to exit codes without loading the library.
export { ExitCode } from './exit-code.js';
export { VenomQAError, isVenomQAError, type VenomQAErrorOptions } from './venomqa-error.js';
