#!/usr/bin/env python3
"""Plain BM25 baseline for `newsidx eval search`: bm25s (method "lucene",
k1 1.5, b 0.75, English stemmer and stop words) over whole articles, ranking
every article that holds any query word; quotes are dropped, no synonyms, no
typo correction, no metadata filters.

Usage: bm25_baseline.py CORPUS_DIR QUERIES.jsonl [--json]
Needs `pip install bm25s PyStemmer`. Scores with the same nDCG@10, MRR and
recall@10 as src/eval/search.rs (fts5_baseline.py holds the metrics).
"""
import json
import os
import sys

import bm25s
import Stemmer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fts5_baseline import DEPTH, ndcg, recall, rr  # noqa: E402


def main():
    corpus, queries = sys.argv[1], sys.argv[2]
    as_json = "--json" in sys.argv[3:]
    paths, texts = [], []
    for root, _, files in os.walk(corpus):
        for name in sorted(files):
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                paths.append(os.path.relpath(path, corpus))
                texts.append(f.read())
    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    retriever.index(
        bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False),
        show_progress=False,
    )
    scores = []
    with open(queries, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            q = json.loads(line)
            words = bm25s.tokenize(
                q["query"].replace('"', " "),
                stopwords="en",
                stemmer=stemmer,
                return_ids=False,
                show_progress=False,
            )[0]
            words = [w for w in words if w in retriever.vocab_dict]
            ranked = []
            if words:
                s = retriever.get_scores(words)
                order = sorted((i for i in range(len(paths)) if s[i] > 0), key=lambda i: (-float(s[i]), paths[i]))
                ranked = [paths[i] for i in order[:DEPTH]]
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
