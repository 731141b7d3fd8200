import { type ChunkBatch, openCatalog, streamChunks } from '@xtr-nx/catalog';

/** The catalog's chunks in the windows a build reads (`size` rows each), all in memory. */
export async function readWindows(path: string, size: number): Promise<ChunkBatch[]> {
  const catalog = await openCatalog({ path });
  try {
    const all: ChunkBatch[] = [];
    for await (const batch of streamChunks(catalog, { rows: 0, nullIds: 0 }, { batchSize: size })) all.push(batch);
    return all;
  } finally {
    catalog.close();
  }
}
