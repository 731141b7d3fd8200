import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateNodesContext } from '@nx/devkit';
import { createNodes, createNodesV2 } from './plugin';

function workspace(files: Record<string, string>): CreateNodesContext {
  const root = mkdtempSync(join(tmpdir(), 'xtr-plugin-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { workspaceRoot: root, nxJsonConfiguration: {} };
}

/** The runtime input names the xtr bin by its path from the workspace: the same shape everywhere, other folders. */
const portable = <T>(value: T): T => JSON.parse(JSON.stringify(value).replace(/node \\"[^"\\]*bin\/xtr\.js\\"/g, 'node <xtr-bin>'));

const run = async (files: string[], context: CreateNodesContext, options = {}) => portable(await createNodesV2[1](files, options, context));

describe('xtr plugin createNodes', () => {
  it('infers a cacheable xtr-index target per xtr.config.json', async () => {
    const context = workspace({
      'apps/search/project.json': '{}',
      'apps/search/xtr.config.json': JSON.stringify({
        catalog: { path: '../../data/chunks.duckdb' },
        encoder: { model: 'models/xtr.onnx', tokenizer: 'models/tokenizer.json', projection: '/abs/proj.npy' },
        output: { dir: 'dist/index' },
      }),
    });
    const results = await run(['apps/search/xtr.config.json'], context);
    expect(results).toMatchInlineSnapshot(`
[
  [
    "apps/search/xtr.config.json",
    {
      "projects": {
        "apps/search": {
          "targets": {
            "xtr-index": {
              "cache": true,
              "executor": "@xtr-nx/executor:build",
              "inputs": [
                "{projectRoot}/xtr.config.json",
                "{projectRoot}/models/xtr.onnx*",
                "{projectRoot}/models/tokenizer.json",
                {
                  "runtime": "node <xtr-bin> fingerprint --cache-key --config "apps/search/xtr.config.json"",
                },
                {
                  "externalDependencies": [
                    "@xtr-nx/executor",
                    "onnxruntime-node",
                    "tokenizers",
                    "@duckdb/node-api",
                  ],
                },
              ],
              "metadata": {
                "description": "Build the XTR token index (tokens.f16|f32 + index.meta.json) from the DuckDB chunk catalog",
                "help": {
                  "command": "npx xtr build --help",
                  "example": {
                    "options": {
                      "batchSize": 16,
                      "dtype": "float32",
                    },
                  },
                },
                "technologies": [
                  "xtr",
                ],
              },
              "options": {
                "config": "apps/search/xtr.config.json",
              },
              "outputs": [
                "{projectRoot}/dist/index",
              ],
            },
            "xtr-verify": {
              "cache": true,
              "dependsOn": [
                "xtr-index",
              ],
              "executor": "@xtr-nx/executor:verify",
              "inputs": [
                "{projectRoot}/xtr.config.json",
                "{projectRoot}/models/xtr.onnx*",
                "{projectRoot}/models/tokenizer.json",
                {
                  "runtime": "node <xtr-bin> fingerprint --cache-key --config "apps/search/xtr.config.json"",
                },
                {
                  "externalDependencies": [
                    "@xtr-nx/executor",
                    "onnxruntime-node",
                    "tokenizers",
                    "@duckdb/node-api",
                  ],
                },
                {
                  "dependentTasksOutputFiles": "**/*",
                },
              ],
              "metadata": {
                "description": "Verify the XTR index: format, checksum, finite unit-norm rows, and that it holds exactly the catalog",
                "help": {
                  "command": "npx xtr verify --help",
                  "example": {
                    "options": {
                      "checkCatalog": false,
                    },
                  },
                },
                "technologies": [
                  "xtr",
                ],
              },
              "options": {
                "config": "apps/search/xtr.config.json",
              },
              "outputs": [],
            },
          },
        },
      },
    },
  ],
]
`);
  });

  it('honours the target names, defaults the output folder and skips folders that are not projects', async () => {
    const context = workspace({
      'package.json': '{}',
      'xtr.config.json': JSON.stringify({ catalog: { path: 'c.duckdb' } }),
      'loose/xtr.config.json': '{}',
    });
    const results = await run(['xtr.config.json', 'loose/xtr.config.json'], context, { buildTargetName: 'index', verifyTargetName: 'check' });
    const root = results[0][1].projects?.['.'];
    expect(Object.keys(root?.targets ?? {})).toEqual(['index', 'check']);
    expect(root?.targets?.check.dependsOn).toEqual(['index']);
    expect(root?.targets?.index.outputs).toEqual(['{projectRoot}/dist/xtr']);
    expect(results[1][1]).toEqual({});
  });

  it('depends on the target that produces the catalog and hashes its outputs instead of fingerprinting', async () => {
    const context = workspace({
      'libs/kb/project.json': '{}',
      'libs/kb/xtr.config.json': JSON.stringify({ catalog: { path: 'out/c.duckdb', target: 'export-catalog' } }),
    });
    const [[, result]] = await run(['libs/kb/xtr.config.json'], context);
    const index = result.projects?.['libs/kb']?.targets?.['xtr-index'];
    expect(index?.dependsOn).toEqual(['export-catalog']);
    expect(index?.inputs).toContainEqual({ dependentTasksOutputFiles: '**/*' });
    expect(index?.inputs).not.toContainEqual(expect.objectContaining({ runtime: expect.anything() }));
  });

  it('exports the v2 implementation under both names', () => {
    expect(createNodes).toBe(createNodesV2);
  });
});
