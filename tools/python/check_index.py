"""Loads an xtr index exactly the way the existing Python reader does and checks its invariants.

Usage: python3 check_index.py <index-dir>
Prints a JSON summary on success; exits 1 with the failed check on stdout otherwise.
"""
import json
import os
import sys

import numpy as np

DTYPES = {"float16": (np.float16, "tokens.f16", 1e-2), "float32": (np.float32, "tokens.f32", 1e-4)}


def check(index_dir):
    with open(os.path.join(index_dir, "index.meta.json")) as f:
        meta = json.load(f)
    expected_keys = {"dim", "dtype", "total_tokens", "doc_count", "chunk_ids", "offsets", "lengths"}
    assert set(meta) == expected_keys, f"meta keys {sorted(meta)} != {sorted(expected_keys)}"
    dtype, name, tolerance = DTYPES[meta["dtype"]]
    total, dim = meta["total_tokens"], meta["dim"]
    tokens = np.memmap(os.path.join(index_dir, name), dtype=dtype, mode="r", shape=(total, dim))
    ids, offsets, lengths = meta["chunk_ids"], meta["offsets"], meta["lengths"]

    assert tokens.shape == (total, dim), f"shape {tokens.shape}"
    assert os.path.getsize(tokens.filename) == total * dim * np.dtype(dtype).itemsize, "file size"
    assert meta["doc_count"] == len(ids) == len(offsets) == len(lengths), "per-chunk array lengths"
    assert all(a < b for a, b in zip(ids, ids[1:])), "chunk_ids not strictly ascending"
    assert offsets == [int(x) for x in np.concatenate([[0], np.cumsum(lengths)[:-1]])], "offsets != cumsum(lengths)"
    assert sum(lengths) == total, "sum(lengths) != total_tokens"
    assert min(lengths, default=1) > 0, "a chunk has no tokens"

    norms = np.linalg.norm(tokens.astype(np.float32), axis=1)
    max_norm_error = float(np.max(np.abs(norms - 1))) if total else 0.0
    assert max_norm_error <= tolerance, f"row norm off by {max_norm_error}"

    # Chunk lookup the reader's way: the rows of chunk i.
    last = len(ids) - 1
    rows = tokens[offsets[last] : offsets[last] + lengths[last]]
    assert rows.shape == (lengths[last], dim), "chunk slice shape"
    return {
        "dim": dim,
        "dtype": meta["dtype"],
        "total_tokens": total,
        "doc_count": meta["doc_count"],
        "first_id": ids[0],
        "last_id": ids[-1],
        "max_norm_error": max_norm_error,
    }


if __name__ == "__main__":
    try:
        print(json.dumps(check(sys.argv[1])))
    except AssertionError as error:
        print(f"check failed: {error}")
        sys.exit(1)
