import { type CatalogConnection, contentHash, openCatalog, streamChunks, type StreamStats } from '@xtr-nx/catalog';
import { type ExpectedChunks, MANIFEST_FILE, readableIndexDir, verifyIndex } from '@xtr-nx/storage';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { displayPath, normalizeIndexOptions } from '../config/normalize-options';
import { CONFIG_FILE_NAME } from '../config/defaults';
import { ConfigError } from '../config/xtr-config';
import { reportFailure, type RunLogger } from '../run-logger';

export interface VerifyTarget {
  /** Index folder. */
  readonly dir: string;
  /** When set, the index must hold exactly this catalog's chunks with the same content. */
  readonly catalogPath?: string;
  readonly table?: string;
  readonly memoryLimit?: string;
  /** Why the catalog is not compared, when it is not: said in the result line, never silently skipped. */
  readonly skipped?: string;
}

async function* catalogChunks(catalog: CatalogConnection): ExpectedChunks {
  const stats: StreamStats = { rows: 0, nullIds: 0 };
  for await (const batch of streamChunks(catalog, stats, { batchSize: 2048 })) {
    yield { ids: batch.ids, contentHashes: batch.contents.map(contentHash) };
  }
}

/** What `xtr verify` and the `verify` executor do; returns whether the index is sound. */
export async function runVerify(target: VerifyTarget, cwd: string, logger: RunLogger): Promise<boolean> {
  const shown = displayPath(target.dir, cwd);
  try {
    const catalog = target.catalogPath
      ? await openCatalog({ path: target.catalogPath, table: target.table, memoryLimit: target.memoryLimit })
      : undefined;
    try {
      const report = await verifyIndex(target.dir, { expected: catalog && catalogChunks(catalog) });
      if (!report.ok) {
        logger.error(
          [
            `xtr verify: ${shown} has ${report.problems.length} problem(s):`,
            ...report.problems.map((p) => `  - ${p}`),
          ].join('\n'),
        );
        return false;
      }
      const against = target.catalogPath
        ? `, matches catalog ${displayPath(target.catalogPath, cwd)}`
        : `; catalog not compared: ${target.skipped ?? 'not asked to'}`;
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
  const options = normalizeIndexOptions(
    configPath,
    { outputDir: overrides.dir, catalog: overrides.catalog, table: overrides.table },
    cwd,
  );
  return {
    dir: options.outputDir,
    catalogPath: overrides.checkCatalog === false ? undefined : options.catalogPath,
    table: options.table,
    memoryLimit: options.catalogMemoryLimit,
    skipped: overrides.checkCatalog === false ? 'checkCatalog is false' : undefined,
  };
}

/**
 * For the CLI: the config's index and catalog when the config file exists (explicit arguments
 * override them), otherwise the given folder, compared with `--catalog` or else with the catalog
 * its manifest names (a path relative to the index folder).
 */
export function resolveVerifyTarget(configPath: string, overrides: VerifyOverrides, cwd: string): VerifyTarget {
  if (existsSync(resolve(cwd, configPath))) return verifyTargetFromConfig(configPath, overrides, cwd);
  if (overrides.dir === undefined) {
    throw new ConfigError(
      `Nothing to verify: no ${configPath} here. Pass the index folder (xtr verify <dir>) or --config.`,
    );
  }
  const dir = resolve(cwd, overrides.dir);
  if (overrides.checkCatalog === false) return { dir, skipped: '--no-check-catalog' };
  if (overrides.catalog) return { dir, catalogPath: resolve(cwd, overrides.catalog), table: overrides.table };
  const recorded = recordedCatalog(dir);
  if (!recorded)
    return { dir, skipped: `no ${CONFIG_FILE_NAME} here and the index's manifest names no catalog; pass --catalog` };
  if (!existsSync(recorded.path))
    return { dir, skipped: `the catalog its manifest names, ${recorded.path}, does not exist; pass --catalog` };
  return { dir, catalogPath: recorded.path, table: overrides.table ?? recorded.table };
}

/** The catalog a build recorded in the index's manifest, resolved against the index folder. */
function recordedCatalog(dir: string): { path: string; table?: string } | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(readableIndexDir(dir), MANIFEST_FILE), 'utf8')) as {
      catalog?: { path?: unknown; table?: unknown };
    };
    const { path, table } = manifest.catalog ?? {};
    if (typeof path !== 'string') return undefined;
    return { path: resolve(dir, path), table: typeof table === 'string' ? table : undefined };
  } catch {
    // A missing or broken manifest is verify's to report.
    return undefined;
  }
}
