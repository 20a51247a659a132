#!/usr/bin/env bash
# Peak memory of `newsidx index` on large files of short lines. Not run by CI.
#   bench/memory.sh [--mb 9.9] [--runs 3]
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/memory.py "$@"
