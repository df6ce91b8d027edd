#!/usr/bin/env python3
"""Fragment lookup per query (issue 13: p95 ≤ 20 ms at 1M units), timed one query at a time.

    cargo build --release --bin mizan
    python3 benches/fragment_bench.py --tm target/bench-cache/tm-1M.db \
        --pairs target/bench-cache/tm_1M.tsv --kit-queries target/bench-cache/queries_1M.txt

One `mizan match --json` process per mode, its index loaded before the clock starts (a first
query that is not timed); then each query is written to its standard input and the time until
its answer line comes back is one sample (the service mode of `match`: one line per query,
flushed). Modes, same queries, same process settings, one after the other:
- `off`: `match --min 75 --top 5` (the whole-unit search alone, the peer);
- `on`: the same with `--fragments` (fragments looked for on every query, target spans included).

Queries: `--kit` lines of the fuzzy kit's queries (perturbed TM units: most have a whole match),
and `--splice` queries made of the opening words of one TM unit and the closing words of another
(no whole unit is close: the case fragments are for). The fragment cost of a query is its `on`
time less its `off` time; p50/p95 of each are printed, with the load average and the CPU time of
each process. Nothing is written to the TM (it is opened read-only); copy it first if the build
would migrate its schema.
"""
import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def splice_queries(pairs, n, seed, head=7, tail=7):
    """`n` queries: the first `head` words of one unit's source, then the last `tail` of another's."""
    rng = random.Random(seed)
    sources = []
    with open(pairs, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= 200_000:
                break
            src = line.split("\t", 1)[0].split()
            if len(src) >= head + tail:
                sources.append(src)
    out = []
    for _ in range(n):
        a, b = rng.sample(sources, 2)
        out.append(" ".join(a[:head] + b[-tail:]))
    return out


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def run(mizan, tm, queries, extra):
    cmd = [mizan, "--tm", tm, "match", "--json", "--min", "75", "--top", "5", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def ask(q):
        p.stdin.write(q + "\n")
        p.stdin.flush()
        return json.loads(p.stdout.readline())

    ask(queries[0])  # index load, not timed
    times, answers = [], []
    for q in queries:
        t = time.perf_counter()
        a = ask(q)
        times.append((time.perf_counter() - t) * 1000)
        answers.append(a)
    p.stdin.close()
    p.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return times, answers, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mizan", default=os.path.join(ROOT, "target", "release", "mizan"))
    ap.add_argument("--tm", required=True)
    ap.add_argument("--pairs", help="the TM's TSV, for splice queries")
    ap.add_argument("--kit-queries", help="the fuzzy kit's queries file")
    ap.add_argument("--kit", type=int, default=200)
    ap.add_argument("--splice", type=int, default=200)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--json-out", help="write every figure here")
    a = ap.parse_args()

    sets = {}
    if a.kit_queries and a.kit:
        with open(a.kit_queries, encoding="utf-8") as f:
            sets["kit"] = [l.rstrip("\n") for l in f if l.strip()][: a.kit]
    if a.pairs and a.splice:
        sets["splice"] = splice_queries(a.pairs, a.splice, a.seed)
    if not sets:
        sys.exit("give --kit-queries and/or --pairs")

    report = {"load_before": os.getloadavg(), "sets": {}}
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| queries | mode | n | p50 ms | p95 ms | mean ms | CPU s | with fragments | with a target span |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, qs in sets.items():
        res = {}
        for mode, extra in (("off", []), ("on", ["--fragments"])):
            times, answers, cpu = run(a.mizan, a.tm, qs, extra)
            frags = [x.get("fragments", []) for x in answers]
            with_f = sum(1 for f in frags if f)
            with_t = sum(1 for f in frags if any(g.get("target_span") for g in f))
            res[mode] = {"times": times, "cpu": cpu, "with_fragments": with_f, "with_target": with_t}
            print(
                f"| {name} | {mode} | {len(qs)} | {statistics.median(times):.2f} | {pct(times, 95):.2f} | "
                f"{statistics.mean(times):.2f} | {cpu:.1f} | {with_f} | {with_t} |"
            )
        diff = [on - off for on, off in zip(res["on"]["times"], res["off"]["times"])]
        print(
            f"| {name} | fragment cost (on − off, per query) | {len(qs)} | {statistics.median(diff):.2f} | "
            f"{pct(diff, 95):.2f} | {statistics.mean(diff):.2f} | | | |"
        )
        report["sets"][name] = {
            m: {"p50": statistics.median(r["times"]), "p95": pct(r["times"], 95), "cpu": r["cpu"],
                "with_fragments": r["with_fragments"], "with_target": r["with_target"]}
            for m, r in res.items()
        }
        report["sets"][name]["cost"] = {"p50": statistics.median(diff), "p95": pct(diff, 95)}
    report["load_after"] = os.getloadavg()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if a.json_out:
        with open(a.json_out, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
