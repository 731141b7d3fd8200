import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import schema from './xtr.config.schema.json';
import { ConfigError, type XtrConfig } from './xtr-config';

const validate = new Ajv({ allErrors: true }).compile<XtrConfig>(schema);

/** Reads and validates an `xtr.config.json`; every problem is reported with its JSON path. */
export function loadConfig(path: string): XtrConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`Config file not found: ${path}. Create it (see the README's configuration reference) or pass --config.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!validate(parsed)) {
    const problems = (validate.errors ?? []).map((e) => {
      const where = e.instancePath || '(root)';
      const extra = e.params && 'additionalProperty' in e.params ? ` "${e.params.additionalProperty}"` : '';
      const allowed = e.params && 'allowedValues' in e.params ? `: ${(e.params.allowedValues as string[]).join(', ')}` : '';
      return `  ${where} ${e.message}${extra}${allowed}`;
    });
    throw new ConfigError(`Config file ${path} is invalid:\n${problems.join('\n')}`);
  }
  return parsed;
}
