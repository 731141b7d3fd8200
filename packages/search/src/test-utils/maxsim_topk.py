"""Independent numpy MaxSim for the search tests.

Usage: python3 maxsim_topk.py <index-dir> <queries.f32> <rows-per-query JSON list> <k>
Prints JSON: per query {"scores": [one per chunk, chunk_ids order], "top": [[id string, score], ...]}
with the top k by score descending, ties by ascending id.
"""
import json
import os
import sys

import numpy as np

index_dir, query_path, rows_json, k = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(os.path.join(index_dir, "index.meta.json")) as f:
    meta = json.load(f)
dim = meta["dim"]
dtype, name = (np.float16, "tokens.f16") if meta["dtype"] == "float16" else (np.float32, "tokens.f32")
tokens = np.fromfile(os.path.join(index_dir, name), dtype=dtype).reshape(meta["total_tokens"], dim).astype(np.float64)
ids = np.array(meta["chunk_ids"], dtype=object)
stacked = np.fromfile(query_path, dtype="<f4").astype(np.float64)
out = []
at = 0
for rows in json.loads(rows_json):
    query = stacked[at * dim : (at + rows) * dim].reshape(rows, dim)
    at += rows
    query = query / np.linalg.norm(query, axis=1, keepdims=True)
    scores = np.array(
        [(query @ tokens[o : o + n].T).max(axis=1).sum() for o, n in zip(meta["offsets"], meta["lengths"])]
    )
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], ids[i]))[:k]
    out.append({"scores": scores.tolist(), "top": [[str(ids[i]), float(scores[i])] for i in order]})
print(json.dumps(out))
