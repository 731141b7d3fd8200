import { fingerprintCatalog, openCatalog } from '@xtr-nx/catalog';
import { normalizeIndexOptions } from '../config/normalize-options';
import { reportFailure, type RunLogger } from '../run-logger';

export interface FingerprintOptions {
  config: string;
  catalog?: string;
  table?: string;
  /**
   * For Nx runtime inputs: when the catalog cannot be read, print a stable "unavailable" line
   * and succeed, so the task runs and the build reports the precise problem.
   */
  cacheKey?: boolean;
}

/**
 * Prints the catalog's content fingerprint alone on stdout: what an Nx runtime input hashes, so a
 * git-ignored catalog still invalidates the cache exactly when its chunks change.
 */
export async function runFingerprint(options: FingerprintOptions, cwd: string, logger: RunLogger): Promise<boolean> {
  try {
    // Never the build's options: resolving them reads the model, and this runs on every build.
    const { catalogPath, table, catalogMemoryLimit } = options.catalog
      ? { catalogPath: options.catalog, table: options.table, catalogMemoryLimit: undefined }
      : normalizeIndexOptions(options.config, { table: options.table }, cwd);
    const catalog = await openCatalog({ path: catalogPath, table, memoryLimit: catalogMemoryLimit });
    try {
      logger.info((await fingerprintCatalog(catalog)).fingerprint);
      return true;
    } finally {
      catalog.close();
    }
  } catch (error) {
    if (options.cacheKey) {
      logger.info(`unavailable: ${(error as Error).name}`);
      return true;
    }
    reportFailure('fingerprint', error, logger);
    return false;
  }
}
