#!/usr/bin/env bash
# analyze of a 1,000-segment article against a 1,000,000-unit TM.
#
#   MIZAN_BENCH_CACHE=target/bench-cache python3 ../shared/bench/fuzzy/gen_corpus.py --real-share 0 --sizes 1M
#   bash benches/analyze_bench.sh
#
# The TM is the fuzzy kit's generated 1M-unit Arabic TM (near-duplicate families: numbers, words,
# clitics, diacritics and hamza changed); the article is 1,000 of the kit's queries, one paragraph
# each, so every band is exercised. The index is loaded once (about 2 s of the total).
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${MIZAN_BENCH_CACHE:-target/bench-cache}
tsv=$cache/tm_1M.tsv
[ -f "$tsv" ] || { echo "generate the corpus first (see the top of this script)" >&2; exit 1; }
tm=$cache/analyze-1M.db
[ -f "$tm" ] || target/release/mizan --tm "$tm" import "$tsv"
article=$cache/article-1000.txt
head -1000 "$cache/queries_1M.txt" | awk '{print $0 "\n"}' > "$article"
/usr/bin/time -f "analyze: %e s wall, %M KB peak RSS" target/release/mizan --tm "$tm" analyze "$article" | tail -10
