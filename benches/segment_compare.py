#!/usr/bin/env python3
"""Compare mizan's sentence segmentation with pySBD and sentencex.

Scores each system on the gold sets in tests/data/segment/ (format: tests/data/segment/README.md)
and, if given, on the align-dev documents of the shared NTREX data (paragraph files with gold
sentence files). Two scores per set:

* exact  -- share of cases whose segments are exactly the expected ones (white space at the edges
            of segments ignored);
* P/R/F1 -- boundary precision, recall and F1: a boundary is the position of a segment end,
            counted in non-white-space characters from the start of the case (so that systems that
            keep or drop white space differently are scored alike). Line and paragraph breaks are
            boundaries for every system, because every system is fed one line at a time.

Then the speed of each system on the same Arabic news text (MB/s of UTF-8, one core).

Usage:
  python3 benches/segment_compare.py \
      --mizan 'target/release/examples/segment_file {file} {lang}' \
      [--align-dev /work/shared/data/parallel/align-dev] [--speed-mb 1] [--only mizan,pysbd]

The mizan command gets the case text in a temporary file ({file}) and the language ({lang}); it
prints one segment per line, or JSON Lines with a "text" field if the command contains --json
(e.g. 'target/release/mizan segment {file} --lang {lang} --json').
pySBD and sentencex come from PyPI: pip install pysbd sentencex.
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "tests", "data", "segment")

# White space and invisible format characters (the same set mizan trims at segment edges).
INVISIBLE = re.compile(r"[\s\u200b-\u200f\u061c\ufeff\u2060\u202a-\u202e\u2066-\u2069]+")
LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")


def unescape(s):
    return re.sub(r"\\u\{([0-9A-Fa-f]+)\}", lambda m: chr(int(m.group(1), 16)), s)


def read_gold(path):
    """Returns [(id, input, [expected segments])]."""
    cases, cur = [], None
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if line.startswith("=== "):
                if cur:
                    cases.append(cur)
                cur = [line[4:].split()[0], [], [], False]
            elif cur is not None:
                if line == "---" and not cur[3]:
                    cur[3] = True
                elif cur[3]:
                    if line.strip():
                        cur[2].append(unescape(line))
                else:
                    cur[1].append(line)
    if cur:
        cases.append(cur)
    return [(c[0], unescape("\n".join(c[1])), c[2]) for c in cases]


def read_align_dev(root):
    """Each document: paragraphs file ar.txt/en.txt and gold sentences ar.sent/en.sent."""
    cases = {"ar": [], "en": []}
    docs = os.path.join(root, "docs")
    for doc in sorted(os.listdir(docs)):
        for lang in ("ar", "en"):
            with open(os.path.join(docs, doc, lang + ".txt"), encoding="utf-8") as f:
                text = f.read()
            with open(os.path.join(docs, doc, lang + ".sent"), encoding="utf-8") as f:
                sents = [s for s in f.read().split("\n") if s.strip()]
            cases[lang].append((doc, text, sents))
    return cases


def boundaries(segments):
    out, pos = set(), 0
    for s in segments:
        pos += len(INVISIBLE.sub("", s))
        out.add(pos)
    return out


def clean(segments):
    return [s.strip(" \t\n\r\u00a0\u200b\u200c\u200d\u200e\u200f\u061c\ufeff\u2060") for s in segments if INVISIBLE.sub("", s)]


def by_lines(fn, text):
    out = []
    for line in LINE_BREAK.split(text):
        if INVISIBLE.sub("", line):
            out.extend(fn(line))
    return clean(out)


class Mizan:
    name = "mizan"

    def __init__(self, command):
        self.command = command

    def raw(self, text, lang):
        """Runs the command; returns (raw stdout bytes, seconds spent in the command)."""
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
            f.write(text)
            path = f.name
        try:
            cmd = [a.replace("{file}", path).replace("{lang}", lang) for a in shlex.split(self.command)]
            t0 = time.perf_counter()
            out = subprocess.run(cmd, stdout=subprocess.PIPE, check=True).stdout
            return out, time.perf_counter() - t0
        finally:
            os.unlink(path)

    def segment(self, text, lang):
        lines = [l for l in self.raw(text, lang)[0].decode("utf-8").split("\n") if l]
        if "--json" in self.command:
            lines = [json.loads(l)["text"] for l in lines]
        return clean(lines)


class PySBD:
    name = "pySBD"

    def __init__(self):
        import pysbd

        self.seg = {lang: pysbd.Segmenter(language=lang, clean=False) for lang in ("ar", "en")}

    def segment(self, text, lang):
        return by_lines(self.seg[lang].segment, text)


class Sentencex:
    name = "sentencex"

    def __init__(self):
        import sentencex

        self.mod = sentencex

    def segment(self, text, lang):
        return by_lines(lambda line: list(self.mod.segment(lang, line)), text)


def score(system, cases, lang):
    exact = tp = fp = fn = 0
    for _id, text, expected in cases:
        got = system.segment(text, lang)
        exact += got == expected
        g, e = boundaries(got), boundaries(expected)
        tp += len(g & e)
        fp += len(g - e)
        fn += len(e - g)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return exact / len(cases), p, r, f1


def speed_text(megabytes):
    """Arabic news text: the NTREX dev Arabic file and the seed article, repeated."""
    parts = []
    for path in ("/work/shared/data/parallel/ntrex.dev.ar.txt", os.path.join(DATA, "seed-article.ar.txt")):
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                parts.append(f.read())
    base = "\n\n".join(parts)
    reps = max(1, int(megabytes * 1e6 / len(base.encode("utf-8"))) + 1)
    return "\n\n".join([base] * reps)


def measure_speed(system, text):
    """MB/s of the segmentation call alone (for mizan: the command, including its start-up)."""
    if isinstance(system, Mizan):
        out, dt = system.raw(text, "ar")
        n = out.count(b"\n")
    else:
        t0 = time.perf_counter()
        n = len(system.segment(text, "ar"))
        dt = time.perf_counter() - t0
    return len(text.encode("utf-8")) / 1e6 / dt, n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mizan", required=True, help="command template with {file} and {lang}")
    ap.add_argument("--align-dev", help="align-dev directory (docs/<id>/{ar,en}.{txt,sent})")
    ap.add_argument("--speed-mb", type=float, default=1.0, help="size of the speed test text in MB")
    ap.add_argument("--only", help="comma-separated subset of systems: mizan,pysbd,sentencex")
    args = ap.parse_args()

    systems = [Mizan(args.mizan)]
    for cls in (PySBD, Sentencex):
        try:
            systems.append(cls())
        except ImportError as e:
            print(f"skipping {cls.name}: {e} (pip install pysbd sentencex)", file=sys.stderr)
    if args.only:
        keep = {s.strip().lower() for s in args.only.split(",")}
        systems = [s for s in systems if s.name.lower() in keep]

    sets = [
        ("gold ar", "ar", read_gold(os.path.join(DATA, "ar.gold"))),
        ("gold en", "en", read_gold(os.path.join(DATA, "en.gold"))),
    ]
    if args.align_dev:
        ad = read_align_dev(args.align_dev)
        sets += [("align-dev ar", "ar", ad["ar"]), ("align-dev en", "en", ad["en"])]

    print(f"| set | cases | system | exact | boundary P | boundary R | boundary F1 |")
    print(f"|---|---:|---|---:|---:|---:|---:|")
    for label, lang, cases in sets:
        for s in systems:
            exact, p, r, f1 = score(s, cases, lang)
            print(f"| {label} | {len(cases)} | {s.name} | {exact:.3f} | {p:.3f} | {r:.3f} | {f1:.3f} |")
    sys.stdout.flush()

    text = speed_text(args.speed_mb)
    print()
    print(f"Speed on {len(text.encode('utf-8')) / 1e6:.2f} MB of Arabic news text (one process, one core):")
    print("| system | MB/s | segments |")
    print("|---|---:|---:|")
    for s in systems:
        mbs, n = measure_speed(s, text)
        note = " (includes process start and file I/O)" if s.name == "mizan" else ""
        print(f"| {s.name}{note} | {mbs:.3f} | {n} |")


if __name__ == "__main__":
    main()
