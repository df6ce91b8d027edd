#!/usr/bin/env python3
"""mizan's fuzzy matching side by side with its peers on the fuzzy kit (issue 4).

    # corpora (once): synthetic, and with the real NTREX pairs mixed in (--real-share 0.5)
    python3 ../shared/bench/fuzzy/gen_corpus.py --real-share 0 --sizes 10k,100k,1M
    python3 benches/fuzzy_compare.py --sizes 10k,100k,1M

    # peers: rapidfuzz (pip install rapidfuzz numpy) and translate-toolkit's tmdb
    python3 -m venv target/bench-cache/venv-ttk
    target/bench-cache/venv-ttk/bin/pip install translate-toolkit==3.18.1 Levenshtein

Per size, through the kit's `run_contract.py` (same queries, same `--min 50 --top 5`, same machine,
one after the other): mizan (import, then batch `match` with the queries on stdin), rapidfuzz brute
force over tokens, and tmdb (10k only, a few queries: about 23 s each). Then `--single` separate
`mizan match "…"` processes, each timed end to end (start-up, opening the TM, search, output).

The accuracy figure is the **first-rank rate**: how often a tool's first match is the TM unit the
query was derived from (the kit's `queries_<size>.meta.jsonl`), over the queries made from a TM
unit. Two readings, both printed:
- `strict`: the derived unit is at rank 1 of the tool's output;
- `ties`: it is among the matches that share the top score (a coarse score ties more often, so this
  reading favours it: a tool scoring everything 100 would reach 1.0);
- `ref best`: strict, over the queries whose derived unit is among the best by the kit's reference
  metric (`gt_<size>.jsonl`): the kit derives queries with many random edits, so a sibling unit of
  the same family is often closer than the derived one, even by the reference.
A peer answering only the first N queries is compared with mizan on the same N (`mizan@N`).

Results: a Markdown table on stdout, and every figure in `$MIZAN_BENCH_CACHE/compare.json`.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KIT = os.path.join(ROOT, "..", "shared", "bench", "fuzzy")
CACHE = os.environ.get("MIZAN_BENCH_CACHE", os.path.join(ROOT, "target", "bench-cache"))
MIZAN = os.environ.get("MIZAN_BIN", os.path.join(ROOT, "target", "release", "mizan"))


def kit(script, *args):
    env = dict(os.environ, MIZAN_BENCH_CACHE=CACHE)
    p = subprocess.run([sys.executable, os.path.join(KIT, script), *args], cwd=ROOT, env=env,
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{script} {' '.join(args)} failed:\n{p.stderr[-3000:]}")
    return p.stdout


def contract(label, size, cmd, *extra):
    out = kit("run_contract.py", "--label", label, "--size", size, "--cmd", cmd, *extra)
    return json.loads(out.strip().splitlines()[-1])


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f]


def first_rank(size, label, limit=None):
    """(strict, ties, n) for the queries derived from a TM unit, within the first `limit`."""
    tm = [l.split("\t", 1)[0] for l in lines(os.path.join(CACHE, f"tm_{size}.tsv"))]
    meta = [json.loads(l) for l in lines(os.path.join(CACHE, f"queries_{size}.meta.jsonl"))]
    outs = [json.loads(l) for l in lines(os.path.join(CACHE, f"out_{label}_{size}.jsonl"))]
    # The reference metric's best units per query (the kit's exhaustive top 5), when computed:
    # a query whose derived unit is not among them has a closer unit even by the reference.
    gt_path = os.path.join(CACHE, f"gt_{size}.jsonl")
    gt = [json.loads(l) for l in lines(gt_path)] if os.path.exists(gt_path) else []
    n = strict = ties = ref_n = ref_strict = 0
    by_kind = {}
    for q, (m, o) in enumerate(list(zip(meta, outs))[:limit]):
        line = m.get("from_line")
        if line is None or line >= len(tm):
            continue
        kind = m["kind"].rstrip("0123456789")
        ms = o.get("matches", [])
        src = tm[line]
        hit = bool(ms) and ms[0]["source"] == src
        tie = hit or any(x["source"] == src and x["score"] == ms[0]["score"] for x in ms)
        n += 1
        strict += hit
        ties += tie
        if q < len(gt) and any(l == line and sc == gt[q]["best"] for l, sc in gt[q]["top"]):
            ref_n += 1
            ref_strict += hit
        k = by_kind.setdefault(kind, [0, 0])
        k[0] += hit
        k[1] += 1
    return {"strict": round(strict / n, 3) if n else None, "ties": round(ties / n, 3) if n else None,
            "n": n, "ref_best_strict": round(ref_strict / ref_n, 3) if ref_n else None, "ref_best_n": ref_n,
            "strict_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_kind.items())}}


def print_misses(size, label, limit):
    """The queries whose derived unit is not at rank 1, with what came first instead."""
    tm = [l.split("\t", 1)[0] for l in lines(os.path.join(CACHE, f"tm_{size}.tsv"))]
    meta = [json.loads(l) for l in lines(os.path.join(CACHE, f"queries_{size}.meta.jsonl"))]
    queries = lines(os.path.join(CACHE, f"queries_{size}.txt"))
    outs = [json.loads(l) for l in lines(os.path.join(CACHE, f"out_{label}_{size}.jsonl"))]
    shown = 0
    for q, m, o in zip(queries, meta, outs):
        line = m.get("from_line")
        if line is None or line >= len(tm):
            continue
        ms = o.get("matches", [])
        if ms and ms[0]["source"] == tm[line]:
            continue
        if shown == limit:
            break
        shown += 1
        want = next((x["score"] for x in ms if x["source"] == tm[line]), None)
        print(f"--- {size} {label} {m['kind']} (derived unit: {want if want is not None else 'not returned'})")
        print(f"  query: {q}")
        print(f"  unit : {tm[line]}")
        for x in ms[:2]:
            print(f"  {x['score']:5}: {x['source']}")


def single_process(db, size, n, min_score):
    queries = lines(os.path.join(CACHE, f"queries_{size}.txt"))[:n]
    times = []
    for q in queries:
        t0 = time.perf_counter()
        subprocess.run([MIZAN, "--tm", db, "match", "--json", "--min", str(min_score), "--top", "5", "--", q],
                       check=True, capture_output=True)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"n": n, "min": min_score, "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
            "max_ms": round(times[-1], 1)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k,100k")
    ap.add_argument("--single", type=int, default=100, help="single-process queries per size")
    ap.add_argument("--rf-queries", default="1M=200", help="rapidfuzz query caps, e.g. 1M=200")
    ap.add_argument("--tmdb-queries", type=int, default=10, help="tmdb queries at 10k (0: skip)")
    ap.add_argument("--no-rf", action="store_true")
    ap.add_argument("--misses", type=int, default=0, help="print up to N of mizan's first-rank misses per size")
    a = ap.parse_args()
    if not os.path.exists(MIZAN):
        sys.exit("build first: cargo build --release")
    caps = dict(kv.split("=") for kv in a.rf_queries.split(",") if kv)
    ttk = os.path.join(CACHE, "venv-ttk", "bin", "python")
    report = {}
    for size in a.sizes.split(","):
        if not os.path.exists(os.path.join(CACHE, f"tm_{size}.tsv")):
            sys.exit(f"no corpus for {size} in {CACHE}: run the kit's gen_corpus.py (see the top of this file)")
        if not os.path.exists(os.path.join(CACHE, f"gt_{size}.jsonl")):
            print(f"[{size}] ground truth (exhaustive reference)…", file=sys.stderr)
            kit("groundtruth.py", "--size", size)
        r = report[size] = {}
        db = os.path.join(CACHE, f"compare-mizan-{size}.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        print(f"[{size}] mizan…", file=sys.stderr)
        r["mizan"] = contract("mizan", size, MIZAN, "--db", db)
        r["mizan"]["first_rank"] = first_rank(size, "mizan")
        r["mizan"]["single"] = [single_process(db, size, a.single, m) for m in (50, 75)] if a.single else []
        if a.misses:
            print_misses(size, "mizan", a.misses)
        peers = []
        if not a.no_rf:
            peers.append(("rf-token", f"{sys.executable} {os.path.join(KIT, 'baselines', 'rapidfuzz_cli.py')}",
                          ["--match-args", "--mode token"], int(caps.get(size, 0))))
        if size == "10k" and a.tmdb_queries and os.path.exists(ttk):
            peers.append(("tmdb", f"{ttk} {os.path.join(KIT, 'baselines', 'tmdb_cli.py')}", [], a.tmdb_queries))
        for label, cmd, extra, cap in peers:
            print(f"[{size}] {label}…", file=sys.stderr)
            args = list(extra) + (["--max-queries", str(cap)] if cap else [])
            r[label] = contract(label, size, cmd, *args)
            r[label]["first_rank"] = first_rank(size, label, cap or None)
            if cap:
                r[label]["mizan_first_rank_same_queries"] = first_rank(size, "mizan", cap)
        with open(os.path.join(CACHE, "compare.json"), "w") as f:
            json.dump(report, f, indent=1)

    print("| size | tool | queries | import s | import MB | batch p50 / p95 ms | match MB | first rank strict / ties | strict where the derived unit is a reference best |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size, r in report.items():
        for label, x in r.items():
            fr = x["first_rank"]
            print(f"| {size} | {label} | {x['queries']} | {x.get('import_s')} | {x.get('import_rss_mb')} | "
                  f"{x['p50_ms']} / {x['p95_ms']} | {x['match_rss_mb']} | {fr['strict']} / {fr['ties']} (n={fr['n']}) | "
                  f"{fr['ref_best_strict']} (n={fr['ref_best_n']}) |")
            same = x.get("mizan_first_rank_same_queries")
            if same:
                print(f"| {size} | mizan@{x['queries']} | | | | | | {same['strict']} / {same['ties']} (n={same['n']}) |")
    print()
    print("| size | single `mizan match` process, min 50: p50 / p95 ms | min 75: p50 / p95 ms |")
    print("|---|---|---|")
    for size, r in report.items():
        if not r["mizan"]["single"]:
            continue
        s50, s75 = r["mizan"]["single"]
        print(f"| {size} | {s50['p50_ms']} / {s50['p95_ms']} | {s75['p50_ms']} / {s75['p95_ms']} |")
    print()
    for size, r in report.items():
        for label, x in r.items():
            print(f"{size} {label}: strict first rank by query kind {x['first_rank']['strict_by_kind']}")


if __name__ == "__main__":
    main()
