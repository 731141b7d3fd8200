"""Checks `nx graph --file=<graph.json>`: the repo project chains catalog → plan → shards → xtr-index (the merge) → xtr-verify."""
import json
import re
import sys

targets = json.load(open(sys.argv[1]))["graph"]["nodes"]["repo"]["data"]["targets"]
shards = sorted(name for name in targets if re.fullmatch(r"xtr-index--shard-\d{3}", name))
assert len(shards) >= 2, sorted(targets)
assert "catalog" in targets["xtr-index--plan"]["dependsOn"], targets["xtr-index--plan"]
for shard in shards:
    assert "xtr-index--plan" in targets[shard]["dependsOn"], targets[shard]
merge_deps = [d if isinstance(d, str) else d.get("target") for d in targets["xtr-index"]["dependsOn"]]
assert "xtr-index--plan" in merge_deps and all(shard in merge_deps for shard in shards), merge_deps
assert targets["xtr-verify"]["dependsOn"] == ["xtr-index"], targets["xtr-verify"]
print(f"graph: repo catalog -> xtr-index--plan -> {len(shards)} shards -> xtr-index -> xtr-verify")
