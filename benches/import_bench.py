#!/usr/bin/env python3
"""Import benchmark: mizan import of N TSV pairs vs a plain-SQLite peer, same run, same file.

  cargo build --release
  python3 benches/import_bench.py --n 1000000

The corpus is built from the NTREX dev lines (../shared/data/parallel, CC BY-SA 4.0) with a
running number spliced into each pair so that all N pairs are distinct (de-duplication has to
look at every one). The peer is ../shared/bench/fuzzy/baselines/rapidfuzz_cli.py `import`
(Python's sqlite3 executemany into one table: no de-duplication, no index, no provenance) —
the floor of what storing pairs in SQLite costs. Reports wall time, units/s, peak RSS, TM size.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared")


def corpus(path, n):
    ar = open(os.path.join(SHARED, "data/parallel/ntrex.dev.ar.txt"), encoding="utf-8").read().splitlines()
    en = open(os.path.join(SHARED, "data/parallel/ntrex.dev.en.txt"), encoding="utf-8").read().splitlines()
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            j = i % len(ar)
            f.write(f"{ar[j]} ({i})\t{en[j]} ({i})\n")


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd[0]} failed: {err[-1000:]}")
    return wall, ru.ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--dir", default=os.path.join(ROOT, "target", "bench-cache", "import"))
    ap.add_argument("--mizan", default=os.path.join(ROOT, "target", "release", "mizan"))
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    tsv = os.path.join(a.dir, f"pairs-{a.n}.tsv")
    if not os.path.exists(tsv):
        corpus(tsv, a.n)
    size = os.path.getsize(tsv)
    rows = []
    peer = os.path.join(SHARED, "bench/fuzzy/baselines/rapidfuzz_cli.py")
    for label, db, cmd in [
        ("mizan import", os.path.join(a.dir, "mizan.db"), lambda db: [a.mizan, "--tm", db, "import", tsv]),
        ("python sqlite3 executemany (peer)", os.path.join(a.dir, "peer.db"), lambda db: [sys.executable, peer, "import", "--tm", db, tsv]),
    ]:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        wall, rss = run(cmd(db))
        rows.append((label, wall, a.n / wall, rss, os.path.getsize(db) / size))
    print(f"# {a.n} pairs, TSV {size / 1e6:.1f} MB")
    print("| tool | wall s | units/s | peak RSS MB | file / TSV |")
    print("|---|---|---|---|---|")
    for label, wall, ups, rss, ratio in rows:
        print(f"| {label} | {wall:.2f} | {ups:,.0f} | {rss:.0f} | {ratio:.2f} |")
    print(f"mizan / peer wall-time ratio: {rows[0][1] / rows[1][1]:.2f}")


if __name__ == "__main__":
    main()
