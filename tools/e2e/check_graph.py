"""Checks `nx graph --file=<graph.json>`: the repo project chains catalog → xtr-index → xtr-verify."""
import json
import sys

targets = json.load(open(sys.argv[1]))["graph"]["nodes"]["repo"]["data"]["targets"]
assert "catalog" in targets["xtr-index"]["dependsOn"], targets["xtr-index"]
assert targets["xtr-verify"]["dependsOn"] == ["xtr-index"], targets["xtr-verify"]
print("graph: repo catalog -> xtr-index -> xtr-verify")
