import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAN_FILE as STORAGE_PLAN_FILE } from '@xtr-nx/storage';
import { BUILD_EXECUTOR, MERGE_EXECUTOR, PACKAGE_NAME, PLAN_EXECUTOR } from '../../config/defaults';
import { PLAN_FILE } from '../../config/shard-options';
import { shardTargetName } from './sharded-targets';

// The plugin must not import storage, so the config names the plan's files too: they must not drift.
describe('sharded targets', () => {
  it('hash the plan file under the name storage publishes and protects it by', () => {
    expect(PLAN_FILE).toBe(STORAGE_PLAN_FILE);
  });

  it('run executors that executors.json declares', () => {
    const executors = JSON.parse(readFileSync(join(__dirname, '../../../executors.json'), 'utf8')).executors;
    const declared = Object.keys(executors).map((name) => `${PACKAGE_NAME}:${name}`);
    expect(declared).toEqual(expect.arrayContaining([PLAN_EXECUTOR, BUILD_EXECUTOR, MERGE_EXECUTOR]));
  });

  it('name shard targets <build>--shard-NNN, as the engine tells users to run them', () => {
    expect(shardTargetName('xtr-index', 7)).toBe('xtr-index--shard-007');
  });
});
