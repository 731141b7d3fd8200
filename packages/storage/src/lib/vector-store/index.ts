export type {
  NamespaceStats,
  PruneResult,
  StoreCounters,
  StoreEntry,
  StoreNamespace,
  StoreNamespaceKey,
  StoreStats,
  VectorStoreOptions,
} from './types';
export { VectorStore } from './vector-store';
