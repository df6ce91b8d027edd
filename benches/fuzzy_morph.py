#!/usr/bin/env python3
"""A morphology query set for the fuzzy kit (issue 13): real sentences, queries that differ from
their TM unit only by Arabic morphology, and a distractor per query that a word-level metric
cannot tell from the right unit.

    python3 benches/fuzzy_morph.py [--ar ../shared/data/parallel/ntrex.dev.ar.txt]
    python3 benches/fuzzy_compare.py --sizes morph --single 0

Writes `$MIZAN_BENCH_CACHE/tm_morph.tsv`, `queries_morph.txt` and `queries_morph.meta.jsonl`
(the kit's layout, so `fuzzy_compare.py` and the kit's `run_contract.py` take `--size morph`).

For every sentence S (at least six words) and every kind of edit that applies to it, a query Q is
S with one morphological edit (kind `two`: two edits of different kinds):

- `conj`: the conjunction و added to a word of two or three letters (في → وفي, هل → وهل, قد → وقد),
  or dropped where the rest occurs as a word of its own (وفي → في, not ويلز → يلز);
- `person`: a verb's person or number: the prefix ي ↔ ت / ن, or the plural ending ون added;
- `plural`: a sound plural or dual: ة → ات, or ون / ين / ان added to a word with the article;
- `pronoun`: an attached pronoun: the article replaced by ه / ها / هم (ة written ت before it), or
  ها / هم added to a word without the article.

The distractor D is Q with one other word replaced by a word from another sentence: D differs from
Q by one whole word, S only by morphology, so a metric that reads morphology ranks S first. Every
distractor comes before every sentence in the TM (a lower unit id), so a tie goes to D.
"""
import argparse
import json
import os
import random
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("MIZAN_BENCH_CACHE", os.path.join(ROOT, "target", "bench-cache"))
ARABIC = re.compile(r"^[\u0621-\u064A]+$")
# Words seen on their own in the sentences: و is dropped only where the rest is one of them.
VOCAB = set()


def conj(words, i, rng):
    w = words[i]
    if w.startswith("و") and 3 <= len(w) <= 4 and w[1:] in VOCAB:
        return w[1:]
    if 2 <= len(w) <= 3 and not w.startswith("و"):
        return "و" + w
    return None


def person(words, i, rng):
    w = words[i]
    if len(w) < 4 or w.startswith("ال"):
        return None
    if w.startswith("ي"):
        if w.endswith("ون") or rng.random() < 0.5:
            return rng.choice("تن") + w[1:]
        return w + "ون"
    if w.startswith("ت") and not w.endswith("ة"):
        return "ي" + w[1:]
    return None


def plural(words, i, rng):
    w = words[i]
    if len(w) >= 4 and w.endswith("ة"):
        return w[:-1] + "ات"
    if w.startswith("ال") and len(w) >= 5 and not w.endswith(("ون", "ين", "ان", "ات", "ة", "ى", "ا", "ي")):
        return w + rng.choice(["ون", "ين", "ان"])
    return None


def pronoun(words, i, rng):
    w = words[i]
    if w.startswith("ال") and len(w) >= 5 and not w.startswith("الل"):
        stem = w[2:]
        if stem.endswith("ة"):
            stem = stem[:-1] + "ت"
        return stem + rng.choice(["ه", "ها", "هم"])
    if len(w) >= 4 and not w.startswith(("و", "ف", "ب", "ل", "ك")) and not w.endswith(("ة", "ه", "ها", "هم", "ى", "ا")):
        return w + rng.choice(["ها", "هم"])
    return None


KINDS = {"conj": conj, "person": person, "plural": plural, "pronoun": pronoun}


def edit(words, kind, rng, avoid):
    """Applies one edit of `kind` at a random applicable position; (new words, position) or None."""
    spots = [i for i, w in enumerate(words) if i not in avoid and ARABIC.match(w)]
    rng.shuffle(spots)
    for i in spots:
        new = KINDS[kind](words, i, rng)
        if new and new != words[i]:
            out = list(words)
            out[i] = new
            return out, i
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ar", default=os.path.join(ROOT, "..", "shared", "data", "parallel", "ntrex.dev.ar.txt"))
    ap.add_argument("--en", default=None, help="the English side (default: --ar with .en.txt)")
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()
    en_path = a.en or a.ar.replace(".ar.txt", ".en.txt")
    with open(a.ar, encoding="utf-8") as f:
        ar = [l.strip() for l in f]
    with open(en_path, encoding="utf-8") as f:
        en = [l.strip() for l in f]
    rng = random.Random(a.seed)
    VOCAB.update(w for s in ar for w in s.split())
    pool = [w for s in ar for w in s.split() if ARABIC.match(w) and len(w) >= 4]
    sentences = [(s, e) for s, e in zip(ar, en) if len(s.split()) >= 6 and "\t" not in s + e]
    distractors, queries = [], []
    for n, (s, e) in enumerate(sentences):
        words = s.split()
        for kind in list(KINDS) + ["two"]:
            if kind == "two":
                k1, k2 = rng.sample(list(KINDS), 2)
                r1 = edit(words, k1, rng, set())
                r2 = r1 and edit(r1[0], k2, rng, {r1[1]})
                if not r2:
                    continue
                q, touched = r2[0], {r1[1], r2[1]}
            else:
                r = edit(words, kind, rng, set())
                if not r:
                    continue
                q, touched = r[0], {r[1]}
            others = [i for i, w in enumerate(q) if i not in touched and ARABIC.match(w) and len(w) >= 3]
            if not others:
                continue
            j = rng.choice(others)
            d = list(q)
            while d[j] == q[j] or d[j] in words:
                d[j] = rng.choice(pool)
            distractors.append((" ".join(d), e))
            queries.append((" ".join(q), kind, n))
    os.makedirs(CACHE, exist_ok=True)
    with open(os.path.join(CACHE, "tm_morph.tsv"), "w", encoding="utf-8") as f:
        for d, e in distractors:
            f.write(f"{d}\t{e}\n")
        for s, e in sentences:
            f.write(f"{s}\t{e}\n")
    with open(os.path.join(CACHE, "queries_morph.txt"), "w", encoding="utf-8") as f:
        f.write("".join(q + "\n" for q, _, _ in queries))
    with open(os.path.join(CACHE, "queries_morph.meta.jsonl"), "w", encoding="utf-8") as f:
        for _, kind, n in queries:
            f.write(json.dumps({"kind": kind, "from_line": len(distractors) + n}) + "\n")
    kinds = {}
    for _, k, _ in queries:
        kinds[k] = kinds.get(k, 0) + 1
    print(f"{len(sentences)} sentences, {len(queries)} queries {kinds}, "
          f"TM {len(distractors) + len(sentences)} units in {CACHE}")


if __name__ == "__main__":
    main()
