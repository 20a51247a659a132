#!/usr/bin/env bash
# newsidx against SQLite FTS5, tantivy-cli, ripgrep and `cat` on one generated
# corpus, in one run. Not run by CI. See bench/README.md.
#   bench/run.sh                     # 10,000 articles (about 50 MB)
#   bench/run.sh --articles 100000   # the full run (about 500 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/run.py "$@"
