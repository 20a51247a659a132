#!/usr/bin/env bash
# Ranking quality of newsidx against two plain baselines on the same articles
# and queries: SQLite FTS5 (porter, whole articles, all words then any) and
# BM25 over whole articles ranking any word (bm25s: English stemmer, stop
# words, k1 1.5, b 0.75). Two query sets:
#   - eval/queries.jsonl over the seeds plus tests/fixtures/eval;
#   - ../shared/dev-queries.jsonl over the 23 development articles it grades
#     (numbered under 100) plus the seeds, when ../shared is there.
# Needs python3 with `pip install bm25s PyStemmer` (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import bm25s, Stemmer" 2>/dev/null || pip install --quiet bm25s PyStemmer
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "${NEWSIDX_BIN:-}" ]; then
  cargo build --release --quiet
  NEWSIDX_BIN=target/release/newsidx
fi

table() { # name articles-dir queries
  local name=$1 articles=$2 queries=$3
  "$NEWSIDX_BIN" --articles "$articles" --index "$work/index-$name" index --quiet >/dev/null
  local ours fts bm25
  ours=$("$NEWSIDX_BIN" --articles "$articles" --index "$work/index-$name" eval search --queries "$queries" --json)
  fts=$(python3 bench/fts5_baseline.py "$articles" "$queries" --json)
  bm25=$(python3 bench/bm25_baseline.py "$articles" "$queries" --json)
  python3 - "$name" "$ours" "$fts" "$bm25" <<'PY'
import json, sys
name, ours, fts, bm25 = sys.argv[1], *(json.loads(a) for a in sys.argv[2:])
print(f"### {name}: {len(ours['queries'])} queries\n")
print("| | newsidx | FTS5 | BM25 (any word) |")
print("| --- | ---: | ---: | ---: |")
for key, label in (("ndcg", "nDCG@10"), ("mrr", "MRR"), ("recall", "recall@10")):
    print(f"| {label} | **{ours[key]:.3f}** | {fts[key]:.3f} | {bm25[key]:.3f} |")
print()
base = {q["id"]: q for q in fts["queries"]}
bm = {q["id"]: q for q in bm25["queries"]}
print("| query | newsidx nDCG@10 | FTS5 | BM25 |")
print("| --- | ---: | ---: | ---: |")
for q in ours["queries"]:
    print("| %s | %.3f | %.3f | %.3f |" % (q["id"], q["ndcg"], base[q["id"]]["ndcg"], bm[q["id"]]["ndcg"]))
print()
PY
}

mkdir "$work/fixtures"
cp seeds/* tests/fixtures/eval/* "$work/fixtures/"
table "eval/queries.jsonl (seeds + tests/fixtures/eval)" "$work/fixtures" eval/queries.jsonl
if [ -f ../shared/dev-queries.jsonl ] && [ -d ../shared/dev-articles ]; then
  mkdir "$work/dev"
  cp seeds/* "$work/dev/"
  for f in ../shared/dev-articles/0[0-9][0-9]_*.txt; do cp "$f" "$work/dev/"; done
  table "../shared/dev-queries.jsonl (23 dev articles + seeds)" "$work/dev" ../shared/dev-queries.jsonl
fi
