/**
 * Process exit codes of the `venomqa` CLI. Every error class names the one it maps to, so the
 * CLI never has to guess from a message.
 */
export const ExitCode = {
  Ok: 0,
  JourneysFailed: 1,
  Usage: 2,
  EnvironmentUnavailable: 3,
  Internal: 4,
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
