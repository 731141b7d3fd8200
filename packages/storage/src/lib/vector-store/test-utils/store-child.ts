/**
 * A build's use of the store, in a process of its own: `node store-child.ts <mode> <dir> <first> <count>`.
 * `put`: puts entries first…first+count-1. `build`: gets entry `first`, then puts the next `count`
 * and keeps one more that is missing. Prints the namespace's counters and warnings as JSON.
 */
import { VectorStore } from '../index';
import { CHILD_BYTES, CHILD_NAMESPACE, CHILD_TOKENS, keyOf, rowsOf } from './fixtures';

async function main() {
  const [mode, dir, first, count] = process.argv.slice(2);
  const from = Number(first);
  const ns = VectorStore.open({ dir, maxBytes: 2 ** 30 }).namespace(CHILD_NAMESPACE);
  if (mode === 'build') await ns.get(keyOf(from));
  const start = mode === 'build' ? from + 1 : from;
  for (let i = start; i < start + Number(count); i++) ns.put(keyOf(i), CHILD_TOKENS, rowsOf(i, CHILD_BYTES));
  if (mode === 'build') ns.keep(keyOf(start + Number(count)), CHILD_TOKENS, rowsOf(0, CHILD_BYTES));
  await ns.close();
  process.stdout.write(JSON.stringify({ counters: ns.counters, warnings: ns.warnings }));
}

void main();
