import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import schema from './xtr.config.schema.json';
import { ConfigError, type XtrConfig } from './xtr-config';

// verbose: errors carry the offending value, so a bound can be reported with it.
const validate = new Ajv({ allErrors: true, verbose: true }).compile<XtrConfig>(schema);

/** Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse takes for a stray token. */
const BYTE_ORDER_MARK = /^\uFEFF/;

/** Reads and validates an `xtr.config.json`; every problem is reported with its JSON path. */
export function loadConfig(path: string): XtrConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // Other failures (a folder, no permission) are reported as file-system errors, by path.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ConfigError(
      `Config file not found: ${path}. Create it (see the README's configuration reference) or pass --config.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(BYTE_ORDER_MARK, ''));
  } catch (error) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!validate(parsed)) {
    const problems = (validate.errors ?? []).map((e) => {
      const where = e.instancePath || '(root)';
      const extra = e.params && 'additionalProperty' in e.params ? ` "${e.params.additionalProperty}"` : '';
      const allowed =
        e.params && 'allowedValues' in e.params ? `: ${(e.params.allowedValues as string[]).join(', ')}` : '';
      const bound = e.keyword === 'maximum' || e.keyword === 'minimum' ? ` (it is ${e.data})` : '';
      return `  ${where} ${e.message}${extra}${allowed}${bound}`;
    });
    throw new ConfigError(`Config file ${path} is invalid:\n${problems.join('\n')}`);
  }
  return parsed;
}
