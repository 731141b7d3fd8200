import type { Dtype } from '@xtr-nx/storage';

export interface ConfigurationGeneratorSchema {
  project: string;
  catalog: string;
  table?: string;
  catalogTarget?: string;
  model?: string;
  tokenizer?: string;
  dtype?: Dtype;
  output?: string;
  skipFormat?: boolean;
}
