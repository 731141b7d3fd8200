"""Reference search over an xtr-nx index: numpy, float64, written from the Python reader's definitions.

The index is `tokens.f16|f32` (`[total_tokens, dim]`, row-major) + `index.meta.json`; chunk c owns rows
`offsets[c] : offsets[c] + lengths[c]`. Queries are float32 `[rows, dim]` matrices. Definitions:

- Query: its first `max_query_tokens` rows (default 32), each L2-normalised (an all-zero row stays zero).
- maxsim: score(d) = sum over query rows i of max over d's rows r of q_i . r, for every chunk d
  (or, with candidates, for every candidate id the index holds; duplicates count once).
- xtr (the XTR paper's aggregation, google-deepmind/xtr): for each query row i, retrieve the `token_k`
  rows with the highest q_i . r over all rows of the index (over the rows of the candidate chunks when
  candidates are given), ties by ascending row index; m_i is the smallest retrieved score (the
  token_k-th, or the smallest of all rows if there are fewer). The chunks scored are those owning at
  least one retrieved row, for any query row. s(i, d) = the best of d's rows retrieved for i, or m_i if
  none was; score(d) = mean over query rows i of s(i, d).
- Ranking: score descending, ties by ascending chunk id (exact Python ints; ids may exceed 2^53).

Usage:
  python3 search_reference.py <index-dir> <queries.f32> '<rows-per-query JSON list>' --k K
      [--mode maxsim|xtr] [--token-k N] [--max-query-tokens N] [--candidates <file: one id per line>]
  python3 search_reference.py --self-test
Prints a JSON list, one object per query: {"top": [[id string, score], ...best k], "scores": {id string: score}}
with every scored chunk in "scores".
"""
import argparse
import json
import os
import sys
import tempfile

import numpy as np

BLOCK_ROWS = 1 << 16


def open_index(index_dir):
    with open(os.path.join(index_dir, "index.meta.json")) as f:
        meta = json.load(f)  # ints stay exact Python ints
    dtype, name = (np.float16, "tokens.f16") if meta["dtype"] == "float16" else (np.float32, "tokens.f32")
    shape = (meta["total_tokens"], meta["dim"])
    tokens = np.memmap(os.path.join(index_dir, name), dtype=dtype, mode="r", shape=shape)
    return meta, tokens


def prepare_query(query, max_query_tokens=32):
    q = np.asarray(query, dtype=np.float64)[:max_query_tokens]
    norms = np.linalg.norm(q, axis=1, keepdims=True)
    return q / np.where(norms == 0, 1, norms)


def chosen_chunks(meta, candidates):
    """Chunk positions to score: all, or those of the candidate ids the index holds (ascending, once)."""
    if candidates is None:
        return list(range(meta["doc_count"]))
    position = {chunk_id: c for c, chunk_id in enumerate(meta["chunk_ids"])}
    return sorted({position[i] for i in candidates if i in position})


def maxsim(meta, tokens, q, candidates=None):
    scores = {}
    for c in chosen_chunks(meta, candidates):
        o, n = meta["offsets"][c], meta["lengths"][c]
        scores[meta["chunk_ids"][c]] = float((q @ tokens[o : o + n].astype(np.float64).T).max(axis=1).sum())
    return scores


def xtr(meta, tokens, q, token_k, candidates=None):
    chunks = chosen_chunks(meta, candidates)
    if not chunks:
        return {}
    # The rows searched, ascending (chunks ascend and own contiguous rows), and the chunk owning each.
    rows = np.concatenate([np.arange(meta["offsets"][c], meta["offsets"][c] + meta["lengths"][c]) for c in chunks])
    owner = np.repeat(chunks, [meta["lengths"][c] for c in chunks])
    # Running top token_k per query row over blocks of rows, kept as positions in `rows`: comparing
    # positions orders ties by row index.
    kept = [np.zeros(0, np.int64) for _ in q]
    kept_scores = [np.zeros(0) for _ in q]
    for start in range(0, len(rows), BLOCK_ROWS):
        at = np.arange(start, min(start + BLOCK_ROWS, len(rows)))
        block = q @ tokens[rows[at]].astype(np.float64).T
        for i in range(len(q)):
            s = np.concatenate([kept_scores[i], block[i]])
            r = np.concatenate([kept[i], at])
            if len(s) > token_k:  # only scores at least the token_k-th largest can be kept
                wide = s >= np.partition(s, len(s) - token_k)[len(s) - token_k]
                s, r = s[wide], r[wide]
            best = np.lexsort((r, -s))[:token_k]  # score descending, then row ascending
            kept[i], kept_scores[i] = r[best], s[best]
    floor = [s[-1] for s in kept_scores]  # m_i
    best = {}  # (query row, chunk position) -> best retrieved score
    for i in range(len(q)):
        for r, s in zip(kept[i], kept_scores[i]):
            key = (i, int(owner[r]))
            best[key] = max(best.get(key, -np.inf), s)
    scored = sorted({c for _, c in best})
    mean = lambda c: float(np.mean([best.get((i, c), floor[i]) for i in range(len(q))]))
    return {meta["chunk_ids"][c]: mean(c) for c in scored}


def ranked(scores, k):
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]


def search(index_dir, queries, k, mode="maxsim", token_k=None, max_query_tokens=32, candidates=None):
    meta, tokens = open_index(index_dir)
    out = []
    for query in queries:
        q = prepare_query(query, max_query_tokens)
        if mode == "xtr":
            scores = xtr(meta, tokens, q, token_k, candidates)
        else:
            scores = maxsim(meta, tokens, q, candidates)
        out.append(
            {
                "top": [[str(i), s] for i, s in ranked(scores, k)],
                "scores": {str(i): s for i, s in scores.items()},
            }
        )
    return out


def self_test():
    """A hand-made dim-2 index; expected values worked out by hand."""
    big = 2**53 + 1
    with tempfile.TemporaryDirectory() as d:
        rows = np.array([[1, 0], [0, 1], [-1, 0], [0.6, 0.8]], dtype="<f4")  # id 5: row 0; 7: rows 1, 2; big: 3
        rows.tofile(os.path.join(d, "tokens.f32"))
        meta = {"dim": 2, "dtype": "float32", "total_tokens": 4, "doc_count": 3,
                "chunk_ids": [5, 7, big], "offsets": [0, 1, 3], "lengths": [1, 2, 1]}
        with open(os.path.join(d, "index.meta.json"), "w") as f:
            json.dump(meta, f)
        query = np.array([[3, 0], [0, 2]], dtype=np.float32)

        def check(got, expected):
            got = [(int(i), round(s, 6)) for i, s in got[0]["top"]]
            assert got == expected, (got, expected)

        check(search(d, [query], 5), [(big, 1.4), (5, 1.0), (7, 1.0)])  # tie 5/7 by id
        check(search(d, [query], 5, max_query_tokens=1), [(5, 1.0), (big, 0.6), (7, 0.0)])
        check(search(d, [query], 5, candidates=[7, 7, 123]), [(7, 1.0)])
        # xtr, token_k 2: query row 0 retrieves rows 0 (1), 3 (0.6), m_0 = 0.6; query row 1 rows 1 (1),
        # 3 (0.8), m_1 = 0.8. id 5: (1 + m_1) / 2; id 7: (m_0 + 1) / 2; big: (0.6 + 0.8) / 2.
        check(search(d, [query], 5, "xtr", 2), [(5, 0.9), (7, 0.8), (big, 0.7)])
        # token_k 1: rows 0 and 1 only (m = 1); big owns no retrieved row and is not scored.
        check(search(d, [query], 5, "xtr", 1), [(5, 1.0), (7, 1.0)])
        # Candidates 5 and big: rows 0 and 3, both retrieved; m_0 = 0.6, m_1 = 0 (row 0).
        check(search(d, [query], 5, "xtr", 2, candidates=[big, 5]), [(big, 0.7), (5, 0.5)])
        # Ties by row: rows 0 and 2 both score 0 for (0, 1); token_k 3 keeps rows 1, 3, then row 0.
        check(search(d, [np.array([[0, 1]], np.float32)], 5, "xtr", 3), [(7, 1.0), (big, 0.8), (5, 0.0)])
    print("search_reference self-test passed")


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("index_dir")
    parser.add_argument("queries")
    parser.add_argument("rows_per_query")
    parser.add_argument("--k", type=int, required=True)
    parser.add_argument("--mode", choices=["maxsim", "xtr"], default="maxsim")
    parser.add_argument("--token-k", type=int)
    parser.add_argument("--max-query-tokens", type=int, default=32)
    parser.add_argument("--candidates")
    args = parser.parse_args()
    if args.mode == "xtr" and not args.token_k:
        parser.error("--mode xtr needs --token-k")
    meta, _ = open_index(args.index_dir)
    stacked = np.fromfile(args.queries, dtype="<f4").reshape(-1, meta["dim"])
    starts = np.cumsum([0] + json.loads(args.rows_per_query))
    queries = [stacked[a:b] for a, b in zip(starts[:-1], starts[1:])]
    candidates = None
    if args.candidates:
        with open(args.candidates) as f:
            candidates = [int(line) for line in f if line.strip()]
    result = search(args.index_dir, queries, args.k, args.mode, args.token_k, args.max_query_tokens, candidates)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
