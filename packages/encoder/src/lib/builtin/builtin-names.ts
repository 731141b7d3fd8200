/** `encoder.model` values that name an encoder compiled into this package rather than a file. */
const BUILTIN_PREFIX = 'builtin:';

/** The built-in lexical hashing encoder: needs no download. */
export const BUILTIN_HASH = `${BUILTIN_PREFIX}hash`;

/** Whether `model` names a built-in encoder (known or not), so it is not a path. */
export function isBuiltinModel(model: string): boolean {
  return model.startsWith(BUILTIN_PREFIX);
}
