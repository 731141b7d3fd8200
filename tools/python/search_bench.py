"""numpy side of the search benchmark (tools/bench/search.ts): exhaustive MaxSim over an index's memmap.

Usage:
  python3 search_bench.py score <index-dir> <queries.f32> <rows-per-query JSON list> --variant reader|blocked
      [--k 10] [--batch N] [--chunks N]
  python3 search_bench.py bandwidth [--gib 1]

`score` times, in one process, query 0 alone (latency) and then the first `--batch` queries (throughput),
each from opening the index (index.meta.json parsed, memmap opened) to its top k. Variants:
- reader: as the Python reader computes it, per query and per chunk
  `(q @ tokens[o:o+n].astype(np.float32).T).max(1).sum()` in a Python loop;
- blocked: blocks of whole chunks widened to float32 once, `Q_all @ block.T` for every query row of the
  batch at once, `np.maximum.reduceat` over each chunk's rows, then a sum per query.
`--chunks N` scores only the first N chunks (the reader variant on a large index). Prints JSON: seconds
and the top-k ids (strings) per query of the batch, ranked by score, ties by ascending id.

`bandwidth` times `a.sum()` over a float64 array of `--gib` GiB in RAM (read bandwidth, one thread),
`np.copyto(b, a)` (bytes read + written), and on one block of the blocked variant (16384 rows of 128):
`astype(np.float32)` of float16 rows (GB/s of float16 read) and the float32 products with 32 and 512 query
rows (GFLOP/s); 5 runs each; prints JSON per run. GB are 10^9 bytes.
"""
import json
import os
import sys
import time

import numpy as np

BLOCK_ROWS = 16384


def open_index(index_dir, chunks):
    with open(os.path.join(index_dir, "index.meta.json")) as f:
        meta = json.load(f)
    dtype, name = (np.float16, "tokens.f16") if meta["dtype"] == "float16" else (np.float32, "tokens.f32")
    tokens = np.memmap(os.path.join(index_dir, name), dtype=dtype, mode="r", shape=(meta["total_tokens"], meta["dim"]))
    count = meta["doc_count"] if chunks is None else min(chunks, meta["doc_count"])
    return meta, tokens, count


def normalised(query):
    norms = np.linalg.norm(query, axis=1, keepdims=True)
    return query / np.where(norms == 0, 1, norms)


def top_k(meta, scores, k):
    """Best k of one query's scores (chunk_ids order), by score descending then id ascending."""
    ids = meta["chunk_ids"]
    keep = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
    # Any chunk tied with the k-th score could displace one kept by argpartition: include them all.
    keep = np.union1d(keep, np.flatnonzero(scores == scores[keep].min()))
    return [str(ids[i]) for i in sorted(keep.tolist(), key=lambda i: (-scores[i], ids[i]))[:k]]


def reader(index_dir, queries, k, chunks):
    meta, tokens, count = open_index(index_dir, chunks)
    out = []
    for query in queries:
        q = normalised(query)
        scores = np.empty(count, dtype=np.float32)
        for c, (o, n) in enumerate(zip(meta["offsets"][:count], meta["lengths"][:count])):
            doc = tokens[o : o + n].astype(np.float32)
            scores[c] = (q @ doc.T).max(axis=1).sum()
        out.append(top_k(meta, scores, k))
    return out


def blocked(index_dir, queries, k, chunks):
    meta, tokens, count = open_index(index_dir, chunks)
    q_all = normalised(np.concatenate(queries))
    query_starts = np.cumsum([0] + [len(q) for q in queries[:-1]])
    offsets = np.asarray(meta["offsets"][:count], dtype=np.int64)
    ends = offsets + np.asarray(meta["lengths"][:count], dtype=np.int64)
    scores = np.empty((len(queries), count), dtype=np.float32)
    first = 0
    while first < count:
        # Whole chunks from `first` while they fit BLOCK_ROWS rows (at least one).
        last = max(first + 1, int(np.searchsorted(ends, offsets[first] + BLOCK_ROWS, side="right")))
        last = min(last, count)
        block = tokens[offsets[first] : ends[last - 1]].astype(np.float32)
        products = q_all @ block.T  # [query rows, rows]: of the layouts tried, the fastest matmul and reduceat
        best = np.maximum.reduceat(products, offsets[first:last] - offsets[first], axis=1)  # [query rows, chunks]
        scores[:, first:last] = np.add.reduceat(best, query_starts, axis=0)
        first = last
    return [top_k(meta, s, k) for s in scores]


def score(argv):
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("index_dir")
    parser.add_argument("queries")
    parser.add_argument("rows_per_query")
    parser.add_argument("--variant", choices=["reader", "blocked"], required=True)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--chunks", type=int)
    args = parser.parse_args(argv)
    with open(os.path.join(args.index_dir, "index.meta.json")) as f:
        dim = json.load(f)["dim"]
    stacked = np.fromfile(args.queries, dtype="<f4").reshape(-1, dim)
    starts = np.cumsum([0] + json.loads(args.rows_per_query))
    queries = [stacked[a:b] for a, b in zip(starts[:-1], starts[1:])]
    run = reader if args.variant == "reader" else blocked

    start = time.perf_counter()
    run(args.index_dir, queries[:1], args.k, args.chunks)
    latency = time.perf_counter() - start
    start = time.perf_counter()
    top = run(args.index_dir, queries[: args.batch], args.k, args.chunks)
    batch = time.perf_counter() - start
    print(json.dumps({"latencySeconds": latency, "batchSeconds": batch, "top": top}))


def seconds(run, times=1):
    start = time.perf_counter()
    for _ in range(times):
        run()
    return (time.perf_counter() - start) / times


def bandwidth(argv):
    gib = float(argv[argv.index("--gib") + 1]) if "--gib" in argv else 1.0
    a = np.ones(int(gib * 2**30 / 8))
    b = np.empty_like(a)
    np.copyto(b, a)  # fault every page in before timing
    # Ceilings of the blocked scorer's two steps, on one block of its size: widening float16 rows and
    # the products with 32 query rows (one query) and 512 (a batch of 16).
    rng = np.random.default_rng(1)
    half = rng.standard_normal((BLOCK_ROWS, 128)).astype(np.float16)
    wide = half.astype(np.float32)
    queries = rng.standard_normal((512, 128)).astype(np.float32)
    names = ["sumGBps", "copyGBps", "widenGBps", "matmulGflops32", "matmulGflops512"]
    result = {"bytes": a.nbytes, **{name: [] for name in names}}
    flops = lambda rows: 2 * BLOCK_ROWS * 128 * rows / 1e9
    for _ in range(5):
        result["sumGBps"].append(a.nbytes / 1e9 / seconds(a.sum))
        result["copyGBps"].append(2 * a.nbytes / 1e9 / seconds(lambda: np.copyto(b, a)))
        result["widenGBps"].append(half.nbytes / 1e9 / seconds(lambda: half.astype(np.float32), 20))
        result["matmulGflops32"].append(flops(32) / seconds(lambda: queries[:32] @ wide.T, 20))
        result["matmulGflops512"].append(flops(512) / seconds(lambda: queries @ wide.T, 5))
    print(json.dumps(result))


if __name__ == "__main__":
    {"score": score, "bandwidth": bandwidth}[sys.argv[1]](sys.argv[2:])
