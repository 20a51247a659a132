#!/usr/bin/env bash
# Ranking quality of newsidx against a plain BM25 baseline (SQLite FTS5,
# porter, whole articles), on the same articles and queries:
# the seeds plus tests/fixtures/eval, scored with eval/queries.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/articles"
cp seeds/* tests/fixtures/eval/* "$work/articles/"
cargo build --release --quiet
bin=target/release/newsidx
"$bin" --articles "$work/articles" --index "$work/index" index --quiet >/dev/null
ours=$("$bin" --articles "$work/articles" --index "$work/index" eval search --queries eval/queries.jsonl --json)
theirs=$(python3 bench/fts5_baseline.py "$work/articles" eval/queries.jsonl --json)
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
base = {q["id"]: q for q in theirs["queries"]}
print("| query | newsidx nDCG@10 | FTS5 nDCG@10 |")
print("| --- | ---: | ---: |")
for q in ours["queries"]:
    print("| %s | %.3f | %.3f |" % (q["id"], q["ndcg"], base[q["id"]]["ndcg"]))
print("| **all** (nDCG@10) | **%.3f** | **%.3f** |" % (ours["ndcg"], theirs["ndcg"]))
print("| **all** (MRR) | **%.3f** | **%.3f** |" % (ours["mrr"], theirs["mrr"]))
print()
print("difference in nDCG@10: %+.3f" % (ours["ndcg"] - theirs["ndcg"]))
PY
