// The module object itself (a namespace import would be a copy): spies must replace what every module calls.
import fs from 'node:fs';
import { join } from 'node:path';
import { normalizeBuildOptions } from '../config/normalize-options';
import { chunkRow, makeWorkspace, SAMPLE_SOURCES } from '../test-utils/fixtures';
import { runFingerprint } from './run-fingerprint';

/** The paths given to the fs functions that look at or read a file while `run` runs. */
async function pathsTouched(run: () => unknown): Promise<string[]> {
  const names = ['existsSync', 'statSync', 'lstatSync', 'readFileSync', 'openSync', 'createReadStream'] as const;
  const spies = names.map((name) => jest.spyOn(fs, name));
  try {
    await run();
    return spies.flatMap((spy) => spy.mock.calls.map((args: unknown[]) => String(args[0])));
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('runFingerprint', () => {
  it('prints the catalog fingerprint without touching the model: Nx runs it for every xtr-index cache key', async () => {
    const rows = SAMPLE_SOURCES.map((content, i) => chunkRow(BigInt(i + 1), content));
    const root = await makeWorkspace(rows, { encoder: { model: 'models/model.onnx', tokenizer: 'models/t.json' } });
    const model = join(root, 'models/model.onnx');
    fs.mkdirSync(join(root, 'models'));
    fs.writeFileSync(model, 'not read when fingerprinting');
    const lines: string[] = [];
    const logger = { info: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };

    const touched = await pathsTouched(() =>
      runFingerprint({ config: 'xtr.config.json', cacheKey: true }, root, logger),
    );
    expect(lines).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(touched).not.toContain(model);
    // The spy sees the model when something does look at it: a build's options weigh it for the batch size.
    expect(await pathsTouched(() => normalizeBuildOptions('xtr.config.json', {}, root))).toContain(model);
  });
});
