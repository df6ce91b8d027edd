#!/usr/bin/env python3
"""Glossary benchmark: a 100k-term glossary from the NTREX sentences, `mizan terms import` timed,
then recognition time per segment and recall (benches/terms.rs).

    python3 benches/terms_bench.py [--size 100000] [--mizan target/release/mizan]

Data (written to target/bench-cache/terms/):
- glossary.tsv: `size` distinct Arabic n-grams (1-16 words) of ../shared/data/parallel/ntrex.dev.ar.txt
  (and the seed article), each with a placeholder target;
- segments.txt: the 659 NTREX Arabic sentences;
- recall.tsv: occurrences in those sentences whose glossary form differs from the text's, built by
  rules written here (independent of mizan's Rust code):
  * proclitic: a word with و ف ب ل ك in front, then the next word (`لمجلس الشيوخ` → term
    `مجلس الشيوخ`);
  * article: `الX الY` found for the term `X Y` (article dropped in the glossary);
  * clitic+article: `للX Y` / `بالX Y` / `والX Y` → term `الX Y`;
  * spelling: the occurrence itself with hamza-alef / ta marbuta / alef maqsura written plainly in
    the term (أ إ آ → ا, ة → ه, ى → ي).
Prints a JSON object: CLI import (wall, CPU, rate), library store rate, load, recognition p50/p95
per segment, recall per category, and the load average.
"""
import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARALLEL = os.path.join(ROOT, "..", "shared", "data", "parallel", "ntrex.dev.ar.txt")
SEED = os.path.join(ROOT, "seeds", "seed-article.ar.txt")
CACHE = os.path.join(ROOT, "target", "bench-cache", "terms")

WORD = re.compile(r"[\u0621-\u064A\u0640\u064B-\u065F]+")
ARABIC_LETTER = re.compile(r"^[\u0621-\u064A]+$")


def words(line):
    return [w for w in line.split() if w]


def plain(w):
    return w.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"}))


def clean(w):
    """A word without punctuation around it (quotes, commas, full stops)."""
    m = WORD.search(w)
    return m.group(0) if m and m.group(0) == w.strip('.,،:؛"\'()«»!?؟') else None


def recall_set(sentences):
    out = []
    for s in sentences:
        ws = [clean(w) for w in words(s)]
        for i in range(len(ws) - 1):
            a, b = ws[i], ws[i + 1]
            if not a or not b or not ARABIC_LETTER.match(a) or not ARABIC_LETTER.match(b):
                continue
            occ = a + " " + b
            if occ not in s:
                continue
            # clitic + article: للX, بالX, والX, فالX, كالX
            for p in ("لل", "بال", "وال", "فال", "كال"):
                if a.startswith(p) and len(a) - len(p) >= 3:
                    stem = a[len(p):]
                    out.append((s, occ, "ال" + stem + " " + b, "clitic+article"))
                    break
            else:
                if a.startswith("ال") and b.startswith("ال") and len(a) >= 5 and len(b) >= 5:
                    out.append((s, occ, a[2:] + " " + b[2:], "article"))
                elif a[0] in "وفبلك" and len(a) >= 5 and not a.startswith("ال"):
                    out.append((s, occ, a[1:] + " " + b, "proclitic"))
            if plain(occ) != occ:
                out.append((s, occ, plain(occ), "spelling"))
    return out


def bench_binary(profile):
    """Builds benches/terms.rs with `profile` and returns the executable's path."""
    out = subprocess.run(
        ["cargo", "build", "--bench", "terms", "--profile", profile, "--message-format", "json"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    for line in out.splitlines():
        m = json.loads(line)
        if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "terms" and m.get("executable"):
            return m["executable"]
    raise SystemExit("no bench executable built")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--mizan", default=os.path.join(ROOT, "target", "release", "mizan"))
    ap.add_argument("--max-recall", type=int, default=2000)
    ap.add_argument("--profile", default="release", help="cargo profile of the bench binary (release, dev)")
    a = ap.parse_args()
    os.makedirs(CACHE, exist_ok=True)
    sentences = [l.strip() for l in open(PARALLEL, encoding="utf-8") if l.strip()]
    extra = [l.strip() for l in open(SEED, encoding="utf-8") if l.strip()] if os.path.exists(SEED) else []
    grams = {}
    for s in sentences + extra:
        ws = [w.strip('.,،:؛"\'()«»!?؟') for w in words(s)]
        ws = [w for w in ws if w]
        for n in range(1, 17):
            for i in range(len(ws) - n + 1):
                g = " ".join(ws[i:i + n])
                grams.setdefault(g, None)
    grams = list(grams)
    random.Random(7).shuffle(grams)
    grams = grams[: a.size]
    gl = os.path.join(CACHE, "glossary.tsv")
    with open(gl, "w", encoding="utf-8") as f:
        for i, g in enumerate(grams):
            f.write(f"{g}\tterm {i}\n")
    seg = os.path.join(CACHE, "segments.txt")
    with open(seg, "w", encoding="utf-8") as f:
        f.write("\n".join(sentences) + "\n")
    rs = recall_set(sentences)
    random.Random(7).shuffle(rs)
    rs = rs[: a.max_recall]
    rc = os.path.join(CACHE, "recall.tsv")
    with open(rc, "w", encoding="utf-8") as f:
        for r in rs:
            f.write("\t".join(r) + "\n")

    result = {"glossary_terms": len(grams), "recall_occurrences": len(rs), "loadavg_before": os.getloadavg()}
    tm = os.path.join(CACHE, "cli.db")
    for p in (tm, tm + "-wal", tm + "-shm"):
        if os.path.exists(p):
            os.remove(p)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([a.mizan, "--tm", tm, "terms", "import", gl], check=True, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["cli_import"] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "terms_per_s": round(len(grams) / wall)}
    # `mizan match` over all sentences with the glossary loaded (fuzzy matching included).
    t = time.perf_counter()
    subprocess.run([a.mizan, "--tm", tm, "match", "--json"], stdin=open(seg, "rb"), stdout=subprocess.DEVNULL, check=True)
    result["cli_match_all_segments_s"] = round(time.perf_counter() - t, 3)
    binary = bench_binary(a.profile)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(
        [binary, "--glossary", gl, "--segments", seg, "--recall", rc],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["bench_wall_s"] = round(time.perf_counter() - t, 3)
    result["bench_cpu_s"] = round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 3)
    result["library"] = json.loads(out[out.index("{"):])
    result["loadavg_after"] = os.getloadavg()
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
