#!/usr/bin/env bash
# analyze of a 1,000-segment article against the 1,000,000-unit TM that benches/import_bench.py
# builds (run that first). The article: 1,000 NTREX dev lines (CC BY-SA 4.0), one paragraph each,
# every third with a word dropped, so several bands are exercised.
set -euo pipefail
cd "$(dirname "$0")/.."
tm=target/bench-cache/import/mizan.db
[ -f "$tm" ] || { echo "run python3 benches/import_bench.py --n 1000000 first" >&2; exit 1; }
article=target/bench-cache/import/article-1000.txt
python3 - "$article" <<'PY'
import sys
lines = open("../shared/data/parallel/ntrex.dev.ar.txt", encoding="utf-8").read().splitlines()
out = []
for i in range(1000):
    w = lines[i % len(lines)].split()
    if i % 3 == 0 and len(w) > 4:
        del w[len(w) // 2]
    out.append(" ".join(w))
open(sys.argv[1], "w", encoding="utf-8").write("\n\n".join(out) + "\n")
PY
echo "article: $(grep -c . "$article") segments; TM: $(target/release/mizan --tm "$tm" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"])') units"
/usr/bin/time -f "analyze: %e s wall, %M KB peak RSS" target/release/mizan --tm "$tm" analyze "$article" | tail -10
