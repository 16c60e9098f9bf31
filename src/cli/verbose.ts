/** `-v`, or `VENOMQA_VERBOSE` set true: the variable does all the flag does. */
export function isVerbose(
  flag: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return flag ?? ['true', '1', 'yes'].includes((env.VENOMQA_VERBOSE ?? '').toLowerCase());
}
