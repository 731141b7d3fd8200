/** A build stopped by its input (catalog, plan, model output): the message names the problem and the fix. */
export class BuildError extends Error {
  override readonly name = 'BuildError';
}
