import { type CatalogConnection, contentHash, formatContentHash, openCatalog, streamChunks, type StreamStats } from '@xtr-nx/catalog';
import { type ExpectedChunks, verifyIndex } from '@xtr-nx/storage';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { displayPath, normalizeBuildOptions } from '../config/normalize-options';
import { ConfigError } from '../config/xtr-config';
import { reportFailure, type RunLogger } from '../run-logger';

export interface VerifyTarget {
  /** Index folder. */
  readonly dir: string;
  /** When set, the index must hold exactly this catalog's chunks with the same content. */
  readonly catalogPath?: string;
  readonly table?: string;
  readonly memoryLimit?: string;
}

async function* catalogChunks(catalog: CatalogConnection): ExpectedChunks {
  const stats: StreamStats = { rows: 0, nullIds: 0 };
  for await (const batch of streamChunks(catalog, stats, { batchSize: 2048 })) {
    yield { ids: batch.ids, contentHashes: batch.contents.map((text) => formatContentHash(contentHash(text))) };
  }
}

/** What `xtr verify` and the `verify` executor do; returns whether the index is sound. */
export async function runVerify(target: VerifyTarget, cwd: string, logger: RunLogger): Promise<boolean> {
  const shown = displayPath(target.dir, cwd);
  try {
    const catalog = target.catalogPath ? await openCatalog({ path: target.catalogPath, table: target.table, memoryLimit: target.memoryLimit }) : undefined;
    try {
      const report = await verifyIndex(target.dir, { expected: catalog && catalogChunks(catalog) });
      if (!report.ok) {
        logger.error([`xtr verify: ${shown} has ${report.problems.length} problem(s):`, ...report.problems.map((p) => `  - ${p}`)].join('\n'));
        return false;
      }
      const against = target.catalogPath ? `, matches catalog ${displayPath(target.catalogPath, cwd)}` : '';
      logger.info(`xtr verify: ${shown} OK (${report.docCount} chunks, ${report.totalTokens} tokens${against})`);
      return true;
    } finally {
      catalog?.close();
    }
  } catch (error) {
    reportFailure('verify', error, logger);
    return false;
  }
}

export interface VerifyOverrides {
  /** Index folder (default: the config's output folder). */
  dir?: string;
  /** Catalog to compare with (default: the config's catalog). */
  catalog?: string;
  table?: string;
  /** Compare with the catalog (default true). */
  checkCatalog?: boolean;
}

/** The index and catalog a config describes, with explicit overrides (workspace-relative) applied. */
export function verifyTargetFromConfig(configPath: string, overrides: VerifyOverrides, cwd: string): VerifyTarget {
  const options = normalizeBuildOptions(configPath, { outputDir: overrides.dir, catalog: overrides.catalog, table: overrides.table }, cwd);
  return {
    dir: options.outputDir,
    catalogPath: overrides.checkCatalog === false ? undefined : options.catalogPath,
    table: options.table,
    memoryLimit: options.catalogMemoryLimit,
  };
}

/**
 * For the CLI: the config's index and catalog when the config file exists (explicit arguments
 * override them), otherwise just the given folder, compared with `--catalog` if one is named.
 */
export function resolveVerifyTarget(configPath: string, overrides: VerifyOverrides, cwd: string): VerifyTarget {
  if (existsSync(resolve(cwd, configPath))) return verifyTargetFromConfig(configPath, overrides, cwd);
  if (overrides.dir === undefined) {
    throw new ConfigError(`Nothing to verify: no ${configPath} here. Pass the index folder (xtr verify <dir>) or --config.`);
  }
  const catalog = overrides.checkCatalog === false ? undefined : overrides.catalog;
  return { dir: resolve(cwd, overrides.dir), catalogPath: catalog && resolve(cwd, catalog), table: overrides.table };
}
