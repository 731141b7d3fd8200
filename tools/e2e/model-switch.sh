#!/usr/bin/env bash
# End to end: switch this repository's xtr.config.json from builtin:hash to a generated ONNX model,
# build through `nx run repo:xtr-index`, and prove the Nx cache follows the model file's bytes.
# Restores the config and removes, on exit, only the folders it created itself.
set -euo pipefail
cd "$(dirname "$0")/../.."

[ -e models ] && created_models=false || created_models=true
MODELS=models/e2e-$$
python=${XTR_PYTHON:-python3}
cp xtr.config.json xtr.config.json.e2e-backup
cleanup() {
  mv xtr.config.json.e2e-backup xtr.config.json
  rm -rf "$MODELS"
  if $created_models; then rmdir models; fi
}
trap cleanup EXIT

build() {
  local log
  # Colour codes would split the "[local cache]" marker the checks look for.
  log=$(npx nx run repo:xtr-index --outputStyle=static 2>&1 | sed 's/\x1b\[[0-9;]*m//g')
  echo "$log" >&2
  echo "$log"
}
expect_miss() { if grep -qE 'repo:xtr-index +\[(local|remote) cache\]|existing outputs match the cache' <<<"$1"; then echo "FAIL: expected a cache miss"; exit 1; fi; }
expect_hit() { grep -qE 'repo:xtr-index +\[(local|remote) cache\]|existing outputs match the cache' <<<"$1" || { echo "FAIL: expected a cache hit"; exit 1; }; }

npx nx run repo:test-model --outputStyle=static
mkdir -p "$MODELS" && cp dist/models/small/model.onnx dist/models/small/tokenizer.json "$MODELS"/
cat > xtr.config.json <<JSON
{
  "catalog": { "path": "dist/catalog/repo.duckdb" },
  "encoder": { "model": "$MODELS/model.onnx", "tokenizer": "$MODELS/tokenizer.json", "maxLength": 256, "dim": 64 },
  "output": { "dir": "dist/xtr/repo", "dtype": "float16" }
}
JSON

# A first build (a miss on a cold cache; a hit if this very model was built before — same inputs).
out=$(build)
grep -q "encoder $MODELS/model.onnx" <<<"$out" || { echo "FAIL: summary does not name the model"; exit 1; }
checked=$("$python" tools/python/check_index.py dist/xtr/repo)
echo "$checked"
grep -q '"dim": 64' <<<"$checked" || { echo "FAIL: index is not 64-wide"; exit 1; }
first=$(sha256sum dist/xtr/repo/tokens.f16)

out=$(build); expect_hit "$out"

# Same file name, weights from a seed no earlier run used: the cache must miss and the vectors change.
npx tsx --conditions=@xtr-nx/source tools/models/generate-test-model.ts --out "$MODELS" --size small --seed "$(date +%s%N | tail -c 9)"
out=$(build); expect_miss "$out"
[ "$(sha256sum dist/xtr/repo/tokens.f16)" != "$first" ] || { echo "FAIL: vectors did not change with the model"; exit 1; }
echo "model switch e2e: passed"
