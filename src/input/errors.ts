/**
 * What the user asked for is wrong: a scenario, a flag, a `--set` value, a manifest, a saved trace,
 * or the code of a controller variant. The CLI turns an `InputError` into one line on stderr and
 * exit code 2; any other exception is a bug in stsmc (exit code 4, see src/cli/internalError.ts).
 *
 * The explorer never throws it: it is handed resolved, validated values, and an argument it
 * refuses is a caller's bug (a `RangeError`), not bad input.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}
