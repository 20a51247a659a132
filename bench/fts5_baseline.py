#!/usr/bin/env python3
"""Plain BM25 baseline for `newsidx eval search`: SQLite FTS5 (porter
tokenizer) over whole articles, all query words required, falling back to any
word; no synonyms, no typo correction, no metadata filters (FTS5 has none).

Usage: fts5_baseline.py CORPUS_DIR QUERIES.jsonl [--json]
Scores with the same nDCG@10, MRR and recall@10 as src/eval/search.rs.
"""
import json
import math
import os
import re
import sqlite3
import sys

DEPTH = 10


def ndcg(grades, all_grades):
    def dcg(gs):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gs[:DEPTH]))

    ideal = dcg(sorted(all_grades, reverse=True))
    return 0.0 if ideal == 0 else dcg(grades) / ideal


def rr(grades):
    for i, g in enumerate(grades[:DEPTH]):
        if g > 0:
            return 1.0 / (i + 1)
    return 0.0


def recall(grades, all_grades):
    relevant = sum(1 for g in all_grades if g > 0)
    return 0.0 if relevant == 0 else sum(1 for g in grades[:DEPTH] if g > 0) / relevant


def main():
    corpus, queries = sys.argv[1], sys.argv[2]
    as_json = "--json" in sys.argv[3:]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE a USING fts5(path UNINDEXED, body, tokenize='porter')")
    for root, _, files in os.walk(corpus):
        for name in sorted(files):
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                db.execute("INSERT INTO a VALUES (?, ?)", (os.path.relpath(path, corpus), f.read()))
    scores = []
    with open(queries, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            q = json.loads(line)
            words = re.findall(r"\w+", q["query"])
            ranked = []
            for joiner in (" AND ", " OR "):
                match = joiner.join('"%s"' % w for w in words)
                rows = db.execute(
                    "SELECT path FROM a WHERE a MATCH ? ORDER BY bm25(a) LIMIT ?", (match, DEPTH)
                ).fetchall()
                ranked = [r[0] for r in rows]
                if ranked:
                    break
            rel = q["relevant"]
            grades = [rel.get(p, rel.get(os.path.basename(p), 0)) for p in ranked]
            scores.append(
                {
                    "id": q["id"],
                    "ndcg": ndcg(grades, list(rel.values())),
                    "reciprocal_rank": rr(grades),
                    "recall": recall(grades, list(rel.values())),
                }
            )
    n = max(len(scores), 1)
    report = {
        "queries": scores,
        "ndcg": sum(s["ndcg"] for s in scores) / n,
        "mrr": sum(s["reciprocal_rank"] for s in scores) / n,
        "recall": sum(s["recall"] for s in scores) / n,
    }
    if as_json:
        print(json.dumps(report))
    else:
        for s in scores:
            print("%-30s %7.3f %5.2f %5.2f" % (s["id"], s["ndcg"], s["reciprocal_rank"], s["recall"]))
        print("%-30s %7.3f %5.2f %5.2f  (%d queries)" % ("all", report["ndcg"], report["mrr"], report["recall"], len(scores)))


if __name__ == "__main__":
    main()
