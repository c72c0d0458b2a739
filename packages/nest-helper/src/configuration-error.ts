/** A configuration mistake, found at start-up, with a message that says what to fix. */
export class HelperConfigurationError extends Error {
  override readonly name = 'HelperConfigurationError';
  constructor(problem: string) {
    super(`HelperModule: ${problem}`);
  }
}
