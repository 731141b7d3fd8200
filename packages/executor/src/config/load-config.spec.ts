import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xtr-load-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('accepts a UTF-8 byte-order mark, as Windows editors write it', () => {
    const path = write('bom.json', '\uFEFF{ "catalog": { "path": "c.duckdb" } }');
    expect(loadConfig(path)).toEqual({ catalog: { path: 'c.duckdb' } });
  });

  it('still refuses a byte-order mark that is not at the start', () => {
    const path = write('inner-bom.json', '{ \uFEFF"catalog": { "path": "c.duckdb" } }');
    expect(() => loadConfig(path)).toThrow(/inner-bom\.json is not valid JSON/);
  });

  it('names a value beyond a bound together with the bound', () => {
    const config = { catalog: { path: 'c.duckdb' }, encoder: { maxLength: 1e9, threads: 0 } };
    expect(() => loadConfig(write('big.json', JSON.stringify(config)))).toThrow(
      '  /encoder/maxLength must be <= 8192 (it is 1000000000)\n  /encoder/threads must be >= 1 (it is 0)',
    );
  });

  it('reports a missing file as such and other read failures as the file-system error they are', () => {
    expect(() => loadConfig(join(dir, 'absent.json'))).toThrow(/Config file not found: .*absent\.json/);
    mkdirSync(join(dir, 'folder.json'));
    expect(() => loadConfig(join(dir, 'folder.json'))).toThrow(expect.objectContaining({ code: 'EISDIR' }));
  });
});
