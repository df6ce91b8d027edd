#!/usr/bin/env python3
"""Import and export benchmark: mizan against a plain-Python peer, same run, same file.

  cargo build --release
  python3 benches/import_bench.py --n 1000000                  # TMX import, then TMX export
  python3 benches/import_bench.py --n 1000000 --format tsv     # TSV import, then TMX export

The corpus is built from the NTREX dev lines (../shared/data/parallel, CC BY-SA 4.0) with a
running number spliced into each pair so that all N pairs are distinct (de-duplication has to
look at every one). In TMX mode each <tu> carries what CAT tools write: tuid, creation and change
dates and authors, one <prop> and, on every tenth unit, a <note>.

Peers (the floor of what the same job costs with stock tools; they do no de-duplication,
provenance or fuzzy index):
- TSV import: ../shared/bench/fuzzy/baselines/rapidfuzz_cli.py `import` (Python's sqlite3
  executemany into one table);
- TMX import: Python's xml.etree.ElementTree.iterparse (the C expat parser) picking the two
  variants of each <tu> by language, executemany into one table (`peer_tmx_import` below);
- TMX export: Python reading the peer's table with sqlite3 and writing one <tu> per row with
  xml.sax.saxutils.escape (`peer_tmx_export` below).

mizan's import includes its fuzzy index, maintained in the same transaction; it parses on one
thread and writes on another, so on a busy machine its wall time says more about the other load
than about mizan: the cpu column (user + system time) is the steadier figure. Reports wall time,
CPU time, units/s and peak RSS of each process.

With `--pg URL` the same file is also imported into PostgreSQL (the team TM) in the same run:

  python3 benches/import_bench.py --n 1000000 --format tsv --pg postgres://u:p@127.0.0.1:54330/scratch

The database at URL is a scratch one: its `public` schema is dropped and created again before the
import. The PostgreSQL row adds the server's CPU time (all `postgres` processes on this machine,
from /proc) to mizan's in the cpu column, since the server does much of that work.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared")

PEER_TMX_IMPORT = r'''
import sqlite3, sys
import xml.etree.ElementTree as ET
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
con = sqlite3.connect(sys.argv[1])
con.execute("create table if not exists tu (id integer primary key, ar text, en text, tuid text, created text)")
def rows():
    for _, el in ET.iterparse(sys.argv[2], events=("end",)):
        if el.tag != "tu":
            continue
        seg = {}
        for tuv in el.iter("tuv"):
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower().split("-")[0]
            s = tuv.find("seg")
            if s is not None:
                seg[lang] = "".join(s.itertext())
        if "ar" in seg and "en" in seg:
            yield seg["ar"], seg["en"], el.get("tuid"), el.get("creationdate")
        el.clear()
con.executemany("insert into tu (ar, en, tuid, created) values (?, ?, ?, ?)", rows())
con.commit()
'''

PEER_TMX_EXPORT = r'''
import sqlite3, sys
from xml.sax.saxutils import escape, quoteattr
con = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n<header creationtool="peer" '
              'creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en" '
              'srclang="ar" o-tmf="peer"/>\n<body>\n')
    for ar, en, tuid, created in con.execute("select ar, en, tuid, created from tu order by id"):
        out.write(f'<tu tuid={quoteattr(tuid or "")} creationdate={quoteattr(created or "")}>\n'
                  f'<tuv xml:lang="ar"><seg>{escape(ar)}</seg></tuv>\n'
                  f'<tuv xml:lang="en"><seg>{escape(en)}</seg></tuv>\n</tu>\n')
    out.write("</body>\n</tmx>\n")
'''


def lines():
    ar = open(os.path.join(SHARED, "data/parallel/ntrex.dev.ar.txt"), encoding="utf-8").read().splitlines()
    en = open(os.path.join(SHARED, "data/parallel/ntrex.dev.en.txt"), encoding="utf-8").read().splitlines()
    return ar, en


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def corpus_tsv(path, n):
    ar, en = lines()
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            j = i % len(ar)
            f.write(f"{ar[j]} ({i})\t{en[j]} ({i})\n")


def corpus_tmx(path, n):
    ar, en = lines()
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                '  <header creationtool="bench" creationtoolversion="1" datatype="plaintext" '
                'segtype="sentence" adminlang="en-US" srclang="ar" o-tmf="bench"/>\n  <body>\n')
        for i in range(n):
            j = i % len(ar)
            day = 1 + i % 28
            note = f"      <note>checked {i}</note>\n" if i % 10 == 0 else ""
            f.write(f'    <tu tuid="{i}" creationdate="202601{day:02d}T10{i % 60:02d}00Z" creationid="lina" '
                    f'changedate="202602{day:02d}T12{i % 60:02d}00Z" changeid="omar">\n{note}'
                    f'      <prop type="x-domain">news</prop>\n'
                    f'      <tuv xml:lang="ar"><seg>{esc(ar[j])} ({i})</seg></tuv>\n'
                    f'      <tuv xml:lang="en"><seg>{esc(en[j])} ({i})</seg></tuv>\n    </tu>\n')
        f.write("  </body>\n</tmx>\n")


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd[0]} failed: {err[-1000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


def postgres_cpu():
    """User + system seconds of every process named postgres on this machine, with those of their
    ended children (the backend that served an import has exited when it is read)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                text = f.read()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        if name.startswith("postgres"):
            fields = text[text.rindex(")") + 2:].split()
            total += sum(int(x) for x in fields[11:15])
    return total / tick


def fresh(db):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--format", choices=["tmx", "tsv"], default="tmx", help="what is imported")
    ap.add_argument("--no-export", action="store_true", help="time the import only")
    ap.add_argument("--dir", default=os.path.join(ROOT, "target", "bench-cache", "import"))
    ap.add_argument("--mizan", default=os.path.join(ROOT, "target", "release", "mizan"))
    ap.add_argument("--pg", metavar="URL", help="also import into this scratch PostgreSQL database (emptied first)")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    src = os.path.join(a.dir, f"pairs-{a.n}.{a.format}")
    if not os.path.exists(src):
        (corpus_tmx if a.format == "tmx" else corpus_tsv)(src, a.n)
    size = os.path.getsize(src)
    mizan_db = os.path.join(a.dir, "mizan.db")
    peer_db = os.path.join(a.dir, "peer.db")
    if a.format == "tsv":
        peer_import = [sys.executable, os.path.join(SHARED, "bench/fuzzy/baselines/rapidfuzz_cli.py"),
                       "import", "--tm", peer_db, src]
        peer_label = "python sqlite3 executemany (peer)"
    else:
        peer_import = [sys.executable, "-c", PEER_TMX_IMPORT, peer_db, src]
        peer_label = "python ElementTree.iterparse + sqlite3 (peer)"
    rows = []
    for label, db, cmd in [
        (f"mizan import ({a.format})", mizan_db, [a.mizan, "--tm", mizan_db, "import", src]),
        (peer_label, peer_db, peer_import),
    ]:
        fresh(db)
        wall, cpu, rss = run(cmd)
        rows.append((label, wall, cpu, a.n / wall, rss, f"{os.path.getsize(db) / size:.2f}"))
    if a.pg:
        psql = shutil.which("psql") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))), None)
        if not psql:
            sys.exit("--pg needs psql (apt-get install postgresql-client)")
        subprocess.run([psql, "-q", a.pg, "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"],
                       check=True, stdout=subprocess.DEVNULL)
        server0 = postgres_cpu()
        wall, cpu, rss = run([a.mizan, "--tm", a.pg, "import", src])
        server = postgres_cpu() - server0
        rows.append((f"mizan import ({a.format}) into PostgreSQL (cpu: mizan {cpu:.1f} s + server {server:.1f} s)",
                     wall, cpu + server, a.n / wall, rss, "-"))
    if not a.no_export:
        if a.format == "tsv":
            # The TSV peer's table has no tuid or date: give it the same columns as the TMX one.
            import sqlite3
            con = sqlite3.connect(peer_db)
            con.execute("alter table tu add column tuid text")
            con.execute("alter table tu add column created text")
            con.commit()
            con.close()
        out = os.path.join(a.dir, "export.tmx")
        for label, cmd in [
            ("mizan export", [a.mizan, "--tm", mizan_db, "export", "--out", out]),
            ("python sqlite3 + saxutils.escape export (peer)", [sys.executable, "-c", PEER_TMX_EXPORT, peer_db, out]),
        ]:
            wall, cpu, rss = run(cmd)
            rows.append((label, wall, cpu, a.n / wall, rss, f"{os.path.getsize(out) / 1e6:.0f} MB out"))
        os.remove(out)
    print(f"# {a.n} units, {a.format.upper()} {size / 1e6:.1f} MB; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs (cpu s = user + system time of the process, all threads)")
    print("| run | wall s | cpu s | units/s | peak RSS MB | size |")
    print("|---|---|---|---|---|---|")
    for label, wall, cpu, ups, rss, ratio in rows:
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {ups:,.0f} | {rss:.0f} | {ratio} |")
    print(f"import mizan / peer wall-time ratio: {rows[0][1] / rows[1][1]:.2f}")
    if a.pg:
        pg_row = next(r for r in rows if "PostgreSQL" in r[0])
        print(f"import PostgreSQL / file wall-time ratio: {pg_row[1] / rows[0][1]:.2f}")
    if not a.no_export:
        print(f"export mizan / peer wall-time ratio: {rows[2][1] / rows[3][1]:.2f}")


if __name__ == "__main__":
    main()
