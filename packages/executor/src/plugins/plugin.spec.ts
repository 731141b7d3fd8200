import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateNodesContext, CreateNodesResult } from '@nx/devkit';
import { createNodes, type XtrPluginOptions } from './plugin';

const createNodesFunction = createNodes[1];

describe('xtr plugin createNodes', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'xtr-plugin-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function workspace(files: Record<string, string>): CreateNodesContext {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return { workspaceRoot: root, nxJsonConfiguration: {} };
  }

  /** The runtime input names the xtr bin by its path from the temp workspace: one placeholder for any path. */
  async function run(files: string[], context: CreateNodesContext, options?: XtrPluginOptions) {
    const results = await createNodesFunction(files, options, context);
    const text = JSON.stringify(results).replace(/node \\"[^"\\]*bin\/xtr\.js\\"/g, 'node <xtr-bin>');
    return JSON.parse(text) as [string, CreateNodesResult][];
  }

  it('infers xtr-index and xtr-verify for a project with an xtr.config.json', async () => {
    const context = workspace({
      'apps/search/project.json': '{}',
      'apps/search/xtr.config.json': JSON.stringify({
        catalog: { path: '../../data/chunks.duckdb' },
        encoder: { model: 'models/xtr.onnx', tokenizer: 'models/tokenizer.json', projection: '/abs/proj.npy' },
        output: { dir: 'dist/index' },
      }),
    });
    expect(await run(['apps/search/xtr.config.json'], context)).toMatchInlineSnapshot(`
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
                {
                  "dependentTasksOutputFiles": "**/xtr.manifest.json",
                },
                {
                  "externalDependencies": [
                    "@xtr-nx/executor",
                    "@duckdb/node-api",
                  ],
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
    const options = { buildTargetName: 'index', verifyTargetName: 'check' };
    const results = await run(['xtr.config.json', 'loose/xtr.config.json'], context, options);
    const targets = results[0][1].projects?.['.']?.targets;
    expect(Object.keys(targets ?? {})).toEqual(['index', 'check']);
    expect(targets?.check.dependsOn).toEqual(['index']);
    expect(targets?.index.outputs).toEqual(['{projectRoot}/dist/xtr']);
    expect(results[1][1]).toEqual({});
  });

  it('depends on the target that produces the catalog and hashes its outputs instead of fingerprinting', async () => {
    const context = workspace({
      'libs/kb/project.json': '{}',
      'libs/kb/xtr.config.json': JSON.stringify({ catalog: { path: 'out/c.duckdb', target: 'export-catalog' } }),
    });
    const [[, result]] = await run(['libs/kb/xtr.config.json'], context);
    const targets = result.projects?.['libs/kb']?.targets;
    expect(targets?.['xtr-index'].dependsOn).toEqual(['export-catalog']);
    expect(targets?.['xtr-index'].inputs).toContainEqual({ dependentTasksOutputFiles: '**/*' });
    expect(targets?.['xtr-index'].inputs).not.toContainEqual(expect.objectContaining({ runtime: expect.anything() }));
    // Verify depends on the index alone, so only its manifest is hashed, never the token matrix.
    expect(targets?.['xtr-verify'].inputs).not.toContainEqual({ dependentTasksOutputFiles: '**/*' });
  });

  it('names the workspace package manager in the help commands', async () => {
    const context = workspace({
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'package.json': JSON.stringify({ packageManager: 'pnpm@9.15.0' }),
      'apps/a/project.json': '{}',
      'apps/a/xtr.config.json': JSON.stringify({ catalog: { path: 'c.duckdb' } }),
    });
    const [[, result]] = await run(['apps/a/xtr.config.json'], context);
    const targets = result.projects?.['apps/a']?.targets;
    expect(targets?.['xtr-index'].metadata?.help?.command).toBe('pnpm exec xtr build --help');
    expect(targets?.['xtr-verify'].metadata?.help?.command).toBe('pnpm exec xtr verify --help');
  });

  it('still infers both targets from a config that is not valid JSON, so running them names the problem', async () => {
    const context = workspace({ 'apps/b/project.json': '{}', 'apps/b/xtr.config.json': '{ "catalog": ' });
    const [[, result]] = await run(['apps/b/xtr.config.json'], context);
    expect(Object.keys(result.projects?.['apps/b']?.targets ?? {})).toEqual(['xtr-index', 'xtr-verify']);
  });
});
