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

  describe('a sharded config', () => {
    const sharded = (config: object) => ({
      'apps/search/project.json': '{}',
      'apps/search/xtr.config.json': JSON.stringify({
        catalog: { path: '../../data/chunks.duckdb' },
        encoder: { model: 'models/xtr.onnx', tokenizer: 'models/tokenizer.json' },
        output: { dir: 'dist/index' },
        shards: 3,
        ...config,
      }),
    });

    it('infers a plan, one build per shard and the merge as xtr-index, grouped', async () => {
      const results = await run(['apps/search/xtr.config.json'], workspace(sharded({})));
      expect(results).toMatchInlineSnapshot(`
       [
         [
           "apps/search/xtr.config.json",
           {
             "projects": {
               "apps/search": {
                 "metadata": {
                   "targetGroups": {
                     "XTR index": [
                       "xtr-index--plan",
                       "xtr-index--shard-000",
                       "xtr-index--shard-001",
                       "xtr-index--shard-002",
                       "xtr-index",
                       "xtr-verify",
                     ],
                   },
                 },
                 "targets": {
                   "xtr-index": {
                     "cache": true,
                     "dependsOn": [
                       "xtr-index--plan",
                       {
                         "params": "forward",
                         "target": "xtr-index--shard-000",
                       },
                       {
                         "params": "forward",
                         "target": "xtr-index--shard-001",
                       },
                       {
                         "params": "forward",
                         "target": "xtr-index--shard-002",
                       },
                     ],
                     "executor": "@xtr-nx/executor:merge",
                     "inputs": [
                       "{projectRoot}/xtr.config.json",
                       {
                         "dependentTasksOutputFiles": "**/xtr.manifest.json",
                       },
                       {
                         "dependentTasksOutputFiles": "**/xtr.plan.json",
                       },
                       {
                         "externalDependencies": [
                           "@xtr-nx/executor",
                         ],
                       },
                     ],
                     "metadata": {
                       "description": "Merge the 3 shards of the XTR index into one index, the bytes of an unsharded build",
                       "help": {
                         "command": "npx xtr merge --help",
                         "example": {
                           "options": {
                             "outputDir": "dist/xtr/merged",
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
                   "xtr-index--plan": {
                     "cache": true,
                     "executor": "@xtr-nx/executor:plan",
                     "inputs": [
                       "{projectRoot}/xtr.config.json",
                       {
                         "runtime": "node <xtr-bin> fingerprint --cache-key --config "apps/search/xtr.config.json"",
                       },
                       {
                         "externalDependencies": [
                           "@xtr-nx/executor",
                           "@duckdb/node-api",
                         ],
                       },
                     ],
                     "metadata": {
                       "description": "Plan the 3 shards of the XTR index: scan the catalog once and list each shard's chunks",
                       "help": {
                         "command": "npx xtr plan --help",
                         "example": {
                           "options": {
                             "table": "chunks",
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
                       "{projectRoot}/dist/index-shards/plan",
                     ],
                   },
                   "xtr-index--shard-000": {
                     "cache": true,
                     "dependsOn": [
                       "xtr-index--plan",
                     ],
                     "executor": "@xtr-nx/executor:build",
                     "inputs": [
                       "{projectRoot}/xtr.config.json",
                       "{projectRoot}/models/xtr.onnx*",
                       "{projectRoot}/models/tokenizer.json",
                       {
                         "dependentTasksOutputFiles": "**/xtr.shard-000.json",
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
                       "description": "Build shard 0 of 3 of the XTR index",
                       "help": {
                         "command": "npx xtr build --help",
                         "example": {
                           "options": {
                             "threads": 2,
                           },
                         },
                       },
                       "technologies": [
                         "xtr",
                       ],
                     },
                     "options": {
                       "config": "apps/search/xtr.config.json",
                       "shard": 0,
                     },
                     "outputs": [
                       "{projectRoot}/dist/index-shards/shard-000",
                     ],
                   },
                   "xtr-index--shard-001": {
                     "cache": true,
                     "dependsOn": [
                       "xtr-index--plan",
                     ],
                     "executor": "@xtr-nx/executor:build",
                     "inputs": [
                       "{projectRoot}/xtr.config.json",
                       "{projectRoot}/models/xtr.onnx*",
                       "{projectRoot}/models/tokenizer.json",
                       {
                         "dependentTasksOutputFiles": "**/xtr.shard-001.json",
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
                       "description": "Build shard 1 of 3 of the XTR index",
                       "help": {
                         "command": "npx xtr build --help",
                         "example": {
                           "options": {
                             "threads": 2,
                           },
                         },
                       },
                       "technologies": [
                         "xtr",
                       ],
                     },
                     "options": {
                       "config": "apps/search/xtr.config.json",
                       "shard": 1,
                     },
                     "outputs": [
                       "{projectRoot}/dist/index-shards/shard-001",
                     ],
                   },
                   "xtr-index--shard-002": {
                     "cache": true,
                     "dependsOn": [
                       "xtr-index--plan",
                     ],
                     "executor": "@xtr-nx/executor:build",
                     "inputs": [
                       "{projectRoot}/xtr.config.json",
                       "{projectRoot}/models/xtr.onnx*",
                       "{projectRoot}/models/tokenizer.json",
                       {
                         "dependentTasksOutputFiles": "**/xtr.shard-002.json",
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
                       "description": "Build shard 2 of 3 of the XTR index",
                       "help": {
                         "command": "npx xtr build --help",
                         "example": {
                           "options": {
                             "threads": 2,
                           },
                         },
                       },
                       "technologies": [
                         "xtr",
                       ],
                     },
                     "options": {
                       "config": "apps/search/xtr.config.json",
                       "shard": 2,
                     },
                     "outputs": [
                       "{projectRoot}/dist/index-shards/shard-002",
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

    it('plans after the target that produces the catalog, and only the plan hashes it', async () => {
      const context = workspace(sharded({ catalog: { path: '../../dist/catalog/c.duckdb', target: 'catalog' } }));
      const [[, result]] = await run(['apps/search/xtr.config.json'], context);
      expect(result.projects?.['apps/search']).toMatchInlineSnapshot(`
       {
         "metadata": {
           "targetGroups": {
             "XTR index": [
               "xtr-index--plan",
               "xtr-index--shard-000",
               "xtr-index--shard-001",
               "xtr-index--shard-002",
               "xtr-index",
               "xtr-verify",
             ],
           },
         },
         "targets": {
           "xtr-index": {
             "cache": true,
             "dependsOn": [
               "xtr-index--plan",
               {
                 "params": "forward",
                 "target": "xtr-index--shard-000",
               },
               {
                 "params": "forward",
                 "target": "xtr-index--shard-001",
               },
               {
                 "params": "forward",
                 "target": "xtr-index--shard-002",
               },
             ],
             "executor": "@xtr-nx/executor:merge",
             "inputs": [
               "{projectRoot}/xtr.config.json",
               {
                 "dependentTasksOutputFiles": "**/xtr.manifest.json",
               },
               {
                 "dependentTasksOutputFiles": "**/xtr.plan.json",
               },
               {
                 "externalDependencies": [
                   "@xtr-nx/executor",
                 ],
               },
             ],
             "metadata": {
               "description": "Merge the 3 shards of the XTR index into one index, the bytes of an unsharded build",
               "help": {
                 "command": "npx xtr merge --help",
                 "example": {
                   "options": {
                     "outputDir": "dist/xtr/merged",
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
           "xtr-index--plan": {
             "cache": true,
             "dependsOn": [
               "catalog",
             ],
             "executor": "@xtr-nx/executor:plan",
             "inputs": [
               "{projectRoot}/xtr.config.json",
               {
                 "dependentTasksOutputFiles": "**/*",
               },
               {
                 "externalDependencies": [
                   "@xtr-nx/executor",
                   "@duckdb/node-api",
                 ],
               },
             ],
             "metadata": {
               "description": "Plan the 3 shards of the XTR index: scan the catalog once and list each shard's chunks",
               "help": {
                 "command": "npx xtr plan --help",
                 "example": {
                   "options": {
                     "table": "chunks",
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
               "{projectRoot}/dist/index-shards/plan",
             ],
           },
           "xtr-index--shard-000": {
             "cache": true,
             "dependsOn": [
               "xtr-index--plan",
             ],
             "executor": "@xtr-nx/executor:build",
             "inputs": [
               "{projectRoot}/xtr.config.json",
               "{projectRoot}/models/xtr.onnx*",
               "{projectRoot}/models/tokenizer.json",
               {
                 "dependentTasksOutputFiles": "**/xtr.shard-000.json",
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
               "description": "Build shard 0 of 3 of the XTR index",
               "help": {
                 "command": "npx xtr build --help",
                 "example": {
                   "options": {
                     "threads": 2,
                   },
                 },
               },
               "technologies": [
                 "xtr",
               ],
             },
             "options": {
               "config": "apps/search/xtr.config.json",
               "shard": 0,
             },
             "outputs": [
               "{projectRoot}/dist/index-shards/shard-000",
             ],
           },
           "xtr-index--shard-001": {
             "cache": true,
             "dependsOn": [
               "xtr-index--plan",
             ],
             "executor": "@xtr-nx/executor:build",
             "inputs": [
               "{projectRoot}/xtr.config.json",
               "{projectRoot}/models/xtr.onnx*",
               "{projectRoot}/models/tokenizer.json",
               {
                 "dependentTasksOutputFiles": "**/xtr.shard-001.json",
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
               "description": "Build shard 1 of 3 of the XTR index",
               "help": {
                 "command": "npx xtr build --help",
                 "example": {
                   "options": {
                     "threads": 2,
                   },
                 },
               },
               "technologies": [
                 "xtr",
               ],
             },
             "options": {
               "config": "apps/search/xtr.config.json",
               "shard": 1,
             },
             "outputs": [
               "{projectRoot}/dist/index-shards/shard-001",
             ],
           },
           "xtr-index--shard-002": {
             "cache": true,
             "dependsOn": [
               "xtr-index--plan",
             ],
             "executor": "@xtr-nx/executor:build",
             "inputs": [
               "{projectRoot}/xtr.config.json",
               "{projectRoot}/models/xtr.onnx*",
               "{projectRoot}/models/tokenizer.json",
               {
                 "dependentTasksOutputFiles": "**/xtr.shard-002.json",
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
               "description": "Build shard 2 of 3 of the XTR index",
               "help": {
                 "command": "npx xtr build --help",
                 "example": {
                   "options": {
                     "threads": 2,
                   },
                 },
               },
               "technologies": [
                 "xtr",
               ],
             },
             "options": {
               "config": "apps/search/xtr.config.json",
               "shard": 2,
             },
             "outputs": [
               "{projectRoot}/dist/index-shards/shard-002",
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
       }
      `);
    });

    it('names the targets after the build target and puts plan and shards in shards.dir', async () => {
      const context = workspace(sharded({ shards: { count: 2, dir: '../../out/shards' } }));
      const options = { buildTargetName: 'index', verifyTargetName: 'check' };
      const [[, result]] = await run(['apps/search/xtr.config.json'], context, options);
      const { targets, metadata } = result.projects?.['apps/search'] ?? {};
      expect(metadata?.targetGroups).toEqual({
        'XTR index': ['index--plan', 'index--shard-000', 'index--shard-001', 'index', 'check'],
      });
      expect(targets?.['index--plan'].outputs).toEqual(['{workspaceRoot}/out/shards/plan']);
      expect(targets?.['index--shard-001'].outputs).toEqual(['{workspaceRoot}/out/shards/shard-001']);
      expect(targets?.['index--shard-001'].dependsOn).toEqual(['index--plan']);
      expect(targets?.index.dependsOn).toEqual([
        'index--plan',
        { target: 'index--shard-000', params: 'forward' },
        { target: 'index--shard-001', params: 'forward' },
      ]);
      expect(targets?.check.dependsOn).toEqual(['index']);
    });

    // Nx refuses to run a task graph holding a target with metadata.nonAtomizedTarget unless Nx
    // Cloud is connected ("should only be run with Nx Cloud"): the shards must not carry it.
    it('marks no target as atomized, so the shards run without Nx Cloud', async () => {
      const [[, result]] = await run(['apps/search/xtr.config.json'], workspace(sharded({})));
      const targets = Object.values(result.projects?.['apps/search']?.targets ?? {});
      expect(targets.filter((target) => target.metadata?.nonAtomizedTarget !== undefined)).toEqual([]);
    });

    it.each([
      ['a count below 2', 1],
      ['a fractional count', 2.5],
      ['a count as text', '3'],
      ['an object without a count', { dir: 'shards' }],
    ])('infers the unsharded targets for %s, so the build names the problem', async (_, shards) => {
      const [[, result]] = await run(['apps/search/xtr.config.json'], workspace(sharded({ shards })));
      expect(Object.keys(result.projects?.['apps/search']?.targets ?? {})).toEqual(['xtr-index', 'xtr-verify']);
      expect(result.projects?.['apps/search']?.metadata).toBeUndefined();
    });
  });

  it('still infers both targets from a config that is not valid JSON, so running them names the problem', async () => {
    const context = workspace({ 'apps/b/project.json': '{}', 'apps/b/xtr.config.json': '{ "catalog": ' });
    const [[, result]] = await run(['apps/b/xtr.config.json'], context);
    expect(Object.keys(result.projects?.['apps/b']?.targets ?? {})).toEqual(['xtr-index', 'xtr-verify']);
  });
});
