"""MaxSim scores of a query against every chunk, read the way the existing Python reader reads.

Usage: python3 maxsim.py <index-dir> <query.f32> <query-rows>
Prints a JSON list: one score per chunk, in chunk_ids order.
"""
import json
import os
import sys

import numpy as np

index_dir, query_path, query_rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(os.path.join(index_dir, "index.meta.json")) as f:
    meta = json.load(f)
dtype, name = (np.float16, "tokens.f16") if meta["dtype"] == "float16" else (np.float32, "tokens.f32")
tokens = np.memmap(os.path.join(index_dir, name), dtype=dtype, mode="r", shape=(meta["total_tokens"], meta["dim"]))
query = np.fromfile(query_path, dtype="<f4").reshape(query_rows, meta["dim"])

scores = []
for offset, length in zip(meta["offsets"], meta["lengths"]):
    doc = tokens[offset : offset + length].astype(np.float32)
    scores.append(float((query @ doc.T).max(axis=1).sum()))
print(json.dumps(scores))
