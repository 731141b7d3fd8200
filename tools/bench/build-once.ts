/**
 * Runs one build in this process and prints its summary plus peak RSS as JSON: the unit the
 * memory benchmark measures, in a fresh process per catalog size.
 *
 *   node --conditions=@xtr-nx/source --import tsx tools/bench/build-once.ts <xtr.config.json>
 */
import { buildIndex, normalizeBuildOptions } from '@xtr-nx/executor';

async function main() {
  const options = normalizeBuildOptions(process.argv[2], {}, process.cwd());
  const summary = await buildIndex(options, { info: () => undefined });
  const { maxRSS } = process.resourceUsage();
  console.log(JSON.stringify({ ...summary, peakRssMiB: maxRSS / 1024 }));
}

main().catch((error: Error) => {
  console.error(error.stack);
  process.exit(1);
});
