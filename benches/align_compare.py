#!/usr/bin/env python3
"""mizan align next to hunalign and Gale–Church on the alignment dev set, in-sample and cross-validated.

    cargo build --release                    # the mizan binary (rows "mizan CLI")
    # hunalign (optional; its source is public, build it outside this repository):
    #   git clone https://github.com/danielvarga/hunalign && make -C hunalign/src/hunalign
    python3 benches/align_compare.py [--hunalign PATH/TO/hunalign] [--cv [--folds K]] [--debug]

Scores every system with `../shared/bench/align_score.py` (imported, so that the per-link
correctness behind the calibration figures is the scorer's own) on the 41 documents of
`../shared/data/parallel/align-dev`, in two modes: `ids` (the gold sentences, pre-segmented)
and `text` (the raw paragraphs, each system segmenting as it does).

Rows:
- mizan CLI (`target/release/mizan align`, shipped defaults), both modes;
- with `--cv`: `cargo run --example align_cv` (see examples/align_cv.rs) aligns every document with
  every learned parameter (bead priors, length ratio and variance, re-segmentation boundary priors,
  lexicon) estimated on all documents ("in-sample"), and on the other documents only
  ("CV", leave-one-document-out, or K folds by document with `--folds K`), plus mizan's
  Gale–Church baseline (length model and priors only) with the same CV parameters;
- hunalign without a dictionary: on the gold sentences (ids) and on mizan's segmentation of the
  raw paragraphs (text), tokenized (punctuation split from words, lower-cased).

Prints strict P/R/F1, lax F1, strict recall per gold link kind, strict precision per predicted
link kind, confidence calibration (share of links with confidence >= 0.9 that are right; wrong links
below 0.5), and wall time per system.
"""
import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
GOLD = os.path.join(SHARED, "data", "parallel", "align-dev")
SCORE = os.path.join(SHARED, "bench", "align_score.py")
MIZAN = os.path.join(ROOT, "target", "release", "mizan")

_spec = importlib.util.spec_from_file_location("align_score", SCORE)
scorer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scorer)


def docs():
    with open(os.path.join(GOLD, "index.tsv"), encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
    ids = [r[0] for r in rows if r[0] not in ("doc_id", "id")]
    return [d for d in ids if os.path.isdir(os.path.join(GOLD, "docs", d))]


def kind(link):
    return f"{len(link[0])}-{len(link[1])}"


def score(pred_dir, mode):
    """Pooled strict/lax figures, per-kind recall and precision, calibration."""
    P, R = [0, 0, 0, 0], [0, 0, 0, 0]
    rec = defaultdict(lambda: [0, 0])
    prec = defaultdict(lambda: [0, 0])
    conf = []  # (confidence, right)
    for d in docs():
        dd = os.path.join(GOLD, "docs", d)
        gold, _ = scorer.read_links(os.path.join(dd, "gold.tsv"), "ids")
        path = os.path.join(pred_dir, d + ".tsv")
        pred, ok = scorer.read_links(path, mode)
        confs = []
        if ok:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    line = line.rstrip("\n")
                    if line.strip() and not line.startswith("#"):
                        c = line.split("\t")
                        confs.append(float(c[4]) if len(c) > 4 and c[4] else None)
        if mode == "text" and ok:
            pred = scorer.text_links_to_ids(pred, scorer.read_lines(os.path.join(dd, "ar.sent")),
                                            scorer.read_lines(os.path.join(dd, "en.sent")))
        p, r = scorer.score_doc(gold, pred)
        P = [x + y for x, y in zip(P, p)]
        R = [x + y for x, y in zip(R, r)]
        gset = set((tuple(x), tuple(y)) for x, y in gold)
        pset = set((tuple(x), tuple(y)) for x, y in pred)
        for g in gold:
            rec[kind(g)][1] += 1
            rec[kind(g)][0] += (tuple(g[0]), tuple(g[1])) in pset
        for k, l in enumerate(pred):
            right = (tuple(l[0]), tuple(l[1])) in gset
            prec[kind(l)][1] += 1
            prec[kind(l)][0] += right
            if k < len(confs) and confs[k] is not None:
                conf.append((confs[k], right))
    s = scorer.prf(P, R)
    s["recall"] = dict(rec)
    s["precision"] = dict(prec)
    s["conf"] = conf
    return s


def calibration(conf):
    if not conf:
        return "–"
    hi = [r for c, r in conf if c >= 0.9]
    wrong = [c for c, r in conf if not r]
    low = sum(1 for c in wrong if c < 0.5)
    hi_s = f"{sum(hi)}/{len(hi)} = {100 * sum(hi) / len(hi):.1f} %" if hi else "0/0"
    return f"≥0.9 right {hi_s}; wrong <0.5 {low}/{len(wrong)}"


def run_mizan(extra, mode, out_dir, tm):
    t0 = time.perf_counter()
    for d in docs():
        base = os.path.join(GOLD, "docs", d)
        ar, en = (("ar.sent", "en.sent") if mode == "ids" else ("ar.txt", "en.txt"))
        p = subprocess.run([MIZAN, "--tm", tm, "align", os.path.join(base, ar), os.path.join(base, en),
                            "--format", "tsv", *extra], capture_output=True, text=True, check=True)
        # the CLI's TSV: ar_ids, en_ids, ar text, en text, confidence
        with open(os.path.join(out_dir, d + ".tsv"), "w", encoding="utf-8") as f:
            f.write(p.stdout)
    return time.perf_counter() - t0


TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def run_hunalign(binary, out_dir, work, sentences):
    """`sentences(doc)` gives the (ar, en) sentence lists to align."""
    empty = os.path.join(work, "empty.dic")
    open(empty, "w").close()
    t0 = time.perf_counter()
    for d in docs():
        ar_s, en_s = sentences(d)
        ar, en = os.path.join(work, d + ".ar"), os.path.join(work, d + ".en")
        for src, dst in ((ar_s, ar), (en_s, en)):
            with open(dst, "w", encoding="utf-8") as g:
                g.write("".join(" ".join(TOKEN.findall(l.lower())) + "\n" for l in src))
        p = subprocess.run([binary, empty, ar, en], capture_output=True, text=True, check=True)
        rungs, conf = [], []
        for l in p.stdout.splitlines():
            if l.strip():
                c = l.split("\t")
                rungs.append((int(c[0]), int(c[1])))
                conf.append(float(c[2]) if len(c) > 2 else 0.0)
        if not rungs or rungs[-1] != (len(ar_s), len(en_s)):
            rungs.append((len(ar_s), len(en_s)))
        with open(os.path.join(out_dir, d + ".tsv"), "w", encoding="utf-8") as f:
            for (i0, j0), (i1, j1) in zip(rungs, rungs[1:]):
                if i1 > i0 or j1 > j0:
                    f.write("\t".join([",".join(map(str, range(i0, i1))), ",".join(map(str, range(j0, j1))),
                                       " ".join(ar_s[i0:i1]), " ".join(en_s[j0:j1])]) + "\n")
    return time.perf_counter() - t0


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hunalign", help="path to a built hunalign binary")
    ap.add_argument("--cv", action="store_true", help="in-sample and cross-validated runs (examples/align_cv.rs)")
    ap.add_argument("--folds", type=int, help="K folds by document instead of leave-one-document-out")
    ap.add_argument("--debug", action="store_true", help="build the CV example without --release")
    ap.add_argument("--keep", help="write the link files here instead of a temporary folder")
    a = ap.parse_args()
    rows = []
    work = a.keep or tempfile.mkdtemp()
    os.makedirs(work, exist_ok=True)
    tm = os.path.join(work, "empty.db")
    if os.path.exists(MIZAN):
        for mode, extra in (("ids", ["--presegmented"]), ("text", [])):
            out = os.path.join(work, "cli", mode)
            os.makedirs(out, exist_ok=True)
            wall = run_mizan(extra, mode, out, tm)
            rows.append((f"mizan CLI (shipped defaults)", mode, score(out, mode), wall))
    else:
        print(f"(no {MIZAN}: CLI rows skipped; cargo build --release)", file=sys.stderr)
    segments = None
    if a.cv:
        out = os.path.join(work, "cv")
        cmd = ["cargo", "run", "-q", "--example", "align_cv"] + ([] if a.debug else ["--release"])
        cmd += ["--", out, "--dev", GOLD] + (["--folds", str(a.folds)] if a.folds else [])
        subprocess.run(["cargo", "build", "-q", "--example", "align_cv"] + ([] if a.debug else ["--release"]),
                       cwd=ROOT, check=True)
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        wall = time.perf_counter() - t0
        cv_name = f"{a.folds}-fold by document" if a.folds else "leave-one-document-out"
        for run, name in (("insample", "mizan, in-sample parameters"),
                          ("cv", f"mizan, CV ({cv_name})"),
                          ("cv-no-lexicon", "mizan without a lexicon, CV"),
                          ("cv-lexicon", "mizan + lexicon of the training folds' pairs, CV"),
                          ("cv-ibm1", "mizan + IBM-1 lexicon of the training folds' pairs, CV"),
                          ("cv-gale-church", "Gale–Church (mizan's length model + priors), CV")):
            for mode in ("ids", "text"):
                rows.append((name, mode, score(os.path.join(out, run, mode), mode), wall))
        segments = os.path.join(out, "insample", "text")
    if a.hunalign:
        out = os.path.join(work, "hunalign-ids")
        os.makedirs(out, exist_ok=True)
        gold_sents = lambda d: (read_lines(os.path.join(GOLD, "docs", d, "ar.sent")),
                                read_lines(os.path.join(GOLD, "docs", d, "en.sent")))
        wall = run_hunalign(a.hunalign, out, work, gold_sents)
        rows.append(("hunalign, no dictionary", "ids", score(out, "ids"), wall))
        if a.cv:
            # mizan's segmentation of the raw paragraphs (before re-segmentation), written by the CV example
            seg = segmented(os.path.join(work, "cv", "segments"))
            out = os.path.join(work, "hunalign-text")
            os.makedirs(out, exist_ok=True)
            wall = run_hunalign(a.hunalign, out, work, lambda d: seg[d])
            rows.append(("hunalign, no dictionary (mizan's segmenter)", "text", score(out, "text"), wall))
    print("| system | input | strict P / R / F1 | lax F1 | strict recall by gold kind | strict precision by "
          "predicted kind | calibration | wall s |")
    print("|---|---|---|---|---|---|---|---|")
    for name, mode, s, wall in rows:
        st, lx = s["strict"], s["lax"]
        rk = " ".join(f"{k}:{v[0]}/{v[1]}" for k, v in sorted(s["recall"].items()))
        pk = " ".join(f"{k}:{v[0]}/{v[1]}" for k, v in sorted(s["precision"].items()))
        inp = "gold sentences" if mode == "ids" else "raw paragraphs"
        print(f"| {name} | {inp} | {st['P']:.3f} / {st['R']:.3f} / {st['F1']:.3f} | {lx['F1']:.3f} | {rk} | {pk} "
              f"| {calibration(s['conf'])} | {wall:.1f} |")
    print(f"(link files in {work})", file=sys.stderr)


def segmented(folder):
    """The segments the CV example wrote: folder/<doc>.{ar,en}, one sentence a line."""
    out = {}
    for d in docs():
        out[d] = (read_lines(os.path.join(folder, d + ".ar")), read_lines(os.path.join(folder, d + ".en")))
    return out


if __name__ == "__main__":
    main()
