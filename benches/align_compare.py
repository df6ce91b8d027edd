#!/usr/bin/env python3
"""mizan align next to hunalign and plain Gale–Church on the alignment dev set (issue 5).

    cargo build --release
    # hunalign (optional; its source is public, build it outside this repository):
    #   git clone https://github.com/danielvarga/hunalign && make -C hunalign/src/hunalign
    python3 benches/align_compare.py [--hunalign PATH/TO/hunalign]

Runs, one after the other on the same machine, each through `../shared/bench/align_score.py`:
- mizan on the gold sentences (`--presegmented`) and on the raw paragraphs (segmentation included);
- mizan's own Gale–Church baseline (`--gale-church`, length model only);
- hunalign without a dictionary on the gold sentences, tokenized (punctuation split from words,
  lower-cased), its ladder output turned into links.
With `--cv`, also mizan on the raw paragraphs with the re-segmentation boundary priors counted on
the other documents only (leave-one-document-out), next to the same counted on all documents.
Prints strict/lax P, R, F1, recall per gold link kind and wall time per system.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
GOLD = os.path.join(SHARED, "data", "parallel", "align-dev")
SCORE = os.path.join(SHARED, "bench", "align_score.py")
MIZAN = os.path.join(ROOT, "target", "release", "mizan")


def docs():
    with open(os.path.join(GOLD, "index.tsv"), encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
    ids = [r[0] for r in rows if r[0] != "doc_id" and r[0] != "id"]
    return [d for d in ids if os.path.isdir(os.path.join(GOLD, "docs", d))]


def score(pred_dir, mode):
    p = subprocess.run([sys.executable, SCORE, "--gold-dir", GOLD, "--pred-dir", pred_dir, "--mode", mode,
                        "--json"], capture_output=True, text=True, check=True)
    return json.loads(p.stdout)


def run_mizan(extra, mode, out_dir, tm):
    t0 = time.perf_counter()
    for d in docs():
        base = os.path.join(GOLD, "docs", d)
        ar, en = (("ar.sent", "en.sent") if mode == "ids" else ("ar.txt", "en.txt"))
        p = subprocess.run([MIZAN, "--tm", tm, "align", os.path.join(base, ar), os.path.join(base, en),
                            "--format", "tsv", *extra], capture_output=True, text=True, check=True)
        with open(os.path.join(out_dir, d + ".tsv"), "w", encoding="utf-8") as f:
            f.write(p.stdout)
    return time.perf_counter() - t0


TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def tokenized(src, dst):
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as g:
        for line in f:
            g.write(" ".join(TOKEN.findall(line.lower())) + "\n")


def run_hunalign(binary, out_dir, work):
    empty = os.path.join(work, "empty.dic")
    open(empty, "w").close()
    t0 = time.perf_counter()
    for d in docs():
        base = os.path.join(GOLD, "docs", d)
        ar, en = os.path.join(work, d + ".ar"), os.path.join(work, d + ".en")
        tokenized(os.path.join(base, "ar.sent"), ar)
        tokenized(os.path.join(base, "en.sent"), en)
        n_ar = sum(1 for _ in open(ar, encoding="utf-8"))
        n_en = sum(1 for _ in open(en, encoding="utf-8"))
        p = subprocess.run([binary, empty, ar, en], capture_output=True, text=True, check=True)
        rungs = [tuple(int(x) for x in l.split("\t")[:2]) for l in p.stdout.splitlines() if l.strip()]
        if not rungs or rungs[-1] != (n_ar, n_en):
            rungs.append((n_ar, n_en))
        links = []
        for (i0, j0), (i1, j1) in zip(rungs, rungs[1:]):
            if i1 > i0 or j1 > j0:
                links.append((",".join(map(str, range(i0, i1))), ",".join(map(str, range(j0, j1)))))
        with open(os.path.join(out_dir, d + ".tsv"), "w", encoding="utf-8") as f:
            f.write("".join(f"{a}\t{e}\n" for a, e in links))
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hunalign", help="path to a built hunalign binary")
    ap.add_argument("--cv", action="store_true",
                    help="also raw paragraphs with the re-segmentation priors counted leave-one-document-out "
                         "(runs `cargo bench --bench align -- --cv DIR`)")
    a = ap.parse_args()
    if not os.path.exists(MIZAN):
        sys.exit("build first: cargo build --release")
    rows = []
    with tempfile.TemporaryDirectory() as work:
        tm = os.path.join(work, "empty.db")
        systems = [
            ("mizan, gold sentences", lambda o: run_mizan(["--presegmented"], "ids", o, tm), "ids"),
            ("mizan, raw paragraphs", lambda o: run_mizan([], "text", o, tm), "text"),
            ("Gale–Church (mizan --gale-church), gold sentences",
             lambda o: run_mizan(["--presegmented", "--gale-church"], "ids", o, tm), "ids"),
        ]
        if a.hunalign:
            systems.append(("hunalign, no dictionary, gold sentences",
                            lambda o: run_hunalign(a.hunalign, o, work), "ids"))
        for name, run, mode in systems:
            out = tempfile.mkdtemp(dir=work)
            wall = run(out)
            s = score(out, mode)
            rows.append((name, s, wall))
        if a.cv:
            out = os.path.join(work, "cv")
            t0 = time.perf_counter()
            subprocess.run(["cargo", "bench", "-q", "--bench", "align", "--", "--cv", out], cwd=ROOT, check=True,
                           env=dict(os.environ, MIZAN_ALIGN_DEV=GOLD), capture_output=True)
            wall = time.perf_counter() - t0
            rows.append(("mizan, raw paragraphs, boundary priors leave-one-document-out",
                         score(os.path.join(out, "cv"), "text"), wall))
            rows.append(("mizan, raw paragraphs, boundary priors counted on all documents",
                         score(os.path.join(out, "insample"), "text"), wall))
    print("| system | strict P / R / F1 | lax F1 | exact recall by gold link kind | wall s (41 docs) |")
    print("|---|---|---|---|---|")
    for name, s, wall in rows:
        st, lx = s["strict"], s["lax"]
        kinds = " ".join(f"{k}:{v['found']}/{v['total']}" for k, v in sorted(s["recall_by_gold_type"].items()))
        print(f"| {name} | {st['P']:.3f} / {st['R']:.3f} / {st['F1']:.3f} | {lx['F1']:.3f} | {kinds} | {wall:.2f} |")


if __name__ == "__main__":
    main()
