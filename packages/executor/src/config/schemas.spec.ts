import { MEMORY_LIMIT_PATTERN } from '@xtr-nx/catalog';
import { DEFAULT_OVERFLOW, LIMITS } from '@xtr-nx/encoder';
import executorSchema from '../executors/build/schema.json';
import configSchema from './xtr.config.schema.json';

describe('schema maxima', () => {
  const names = ['maxLength', 'batchSize', 'window', 'threads'] as const;
  it.each(names)('%s: both schemas bound it by the limit the build enforces', (name) => {
    expect(configSchema.properties.encoder.properties[name].maximum).toBe(LIMITS[name]);
    expect(executorSchema.properties[name].maximum).toBe(LIMITS[name]);
  });
});

describe('encoder.overflow and encoder.stride', () => {
  it('the config schema documents the default the build applies', () => {
    expect(configSchema.properties.encoder.properties.overflow.default).toBe(DEFAULT_OVERFLOW);
  });

  it('both schemas bound the stride by half of the largest maxLength, the most the build allows', () => {
    expect(configSchema.properties.encoder.properties.stride.maximum).toBe(LIMITS.maxLength / 2);
    expect(executorSchema.properties.stride.maximum).toBe(LIMITS.maxLength / 2);
  });
});

describe('schema patterns', () => {
  it('catalog.memoryLimit: the config schema takes exactly the sizes the catalog reader takes', () => {
    expect(configSchema.properties.catalog.properties.memoryLimit.pattern).toBe(MEMORY_LIMIT_PATTERN);
  });
});
