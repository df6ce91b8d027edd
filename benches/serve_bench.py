#!/usr/bin/env python3
"""`mizan serve` under HTTP load (wrk), side by side with translate-toolkit 3.18.1's tmserver.

Rerun:
    apt-get install -y wrk                                   # the load generator
    pip install rapidfuzz numpy arramooz-pysqlite            # the fuzzy kit's corpus generator
    MIZAN_BENCH_CACHE=/work/bench-cache python3 ../shared/bench/fuzzy/gen_corpus.py --real-share 0 --sizes 10k,1M
    python3 -m venv /work/bench-cache/venv-ttk
    /work/bench-cache/venv-ttk/bin/pip install translate-toolkit==3.18.1 Levenshtein cheroot
    cargo build --release
    python3 benches/serve_bench.py                 # the default plan below, a table at the end
    python3 benches/serve_bench.py --only mizan --sizes 1M --workers 2,4 --routes api --rates 1500

What one run is: start the server, wait until it answers (mizan: /api/health), send a few
sample queries (checks answers are 200 and how many have a match; warms up), then
`wrk -c C -t T -d D --latency --timeout TO` with a Lua script that cycles through the kit's
queries (URL-encoded), stop the server. Recorded beside each row: the 1-minute load average
before and after (the machine is shared: read every figure with it), the server's CPU seconds
during the wrk run (utime+stime from /proc/PID/stat), wrk's own CPU seconds (is the load
generator the bottleneck?), the server's RSS after the run (VmRSS; VmHWM = peak) and its time
to become ready.

"srv CPU ms/req" is the server's CPU time per answered request: the figure least bent by other
load on a shared machine (capacity on N free cores is about N * 1000 / it). With a closed loop of
C connections, mean latency is C / (req/s) (Little's law), so at -c 64 the latencies are mostly
queueing; `--connections 2` shows the service time of one request.

Errors = wrk socket errors (connect/read/write), HTTP statuses >= 400 and timeouts. Beware: wrk
counts a timeout once per connection per check while it stays stuck, so "timeouts" is not a
number of requests; a request that never finished within the run is not in the latencies.

Peer variants: "tmserver" is tmserver 3.18.1 as shipped: over HTTP it gets an Arabic query as
mojibake (cheroot decodes the path as ISO-8859-1 per PEP 3333, tmserver never transcodes) and
answers [] after seconds; "tmserver-utf8" is the same code with cheroot's UTF-8 gateway, which
searches the real text.

Offered load (--rates 1500): the same 64 connections, but each waits a random think time after
every answer (exponential, mean 64/1500 s), as translators at their CAT tools do, so the server
is offered about 1,500 requests/s instead of as many as it can answer. The closed loop measures
capacity (its latencies are queueing: Little's law above); the offered-load rows measure the
latency at a given request rate, which is how a target like "1,500 requests/s at p99 <= 25 ms"
reads. wrk measures each request from its send, after the think time.

Default plan (the issue's): mizan at 1M on /api/match with --workers 2 (the default on 2 CPUs) and 4, and on the tmserver
route; at 10k on both routes; the peer (tmserver 3.18.1, SQLite tmdb) at 10k on its route with
the same load, and both at 10k with a single connection (-c 1 -t 1) for per-request latency,
since the peer answers one query in seconds.

Environment (all optional):
    MIZAN_BENCH_CACHE   corpora, TMs, venv            [/work/bench-cache]
    MIZAN_BIN           the mizan binary              [<repo>/target/release/mizan]
    MIZAN_BENCH_KIT     the fuzzy kit                 [<repo>/../shared/bench/fuzzy]
    MIZAN_BENCH_PG      with --pg: a postgres:// URL; each TM is also served from PostgreSQL
    TTK_VENV            translate-toolkit 3.18.1 venv [$MIZAN_BENCH_CACHE/venv-ttk]
    WRK                 wrk binary                    [wrk]
    BENCH_DURATION, BENCH_CONNECTIONS, BENCH_THREADS, BENCH_TIMEOUT   [30s, 64, 2, 10s]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("MIZAN_BENCH_CACHE", "/work/bench-cache")
MIZAN = os.environ.get("MIZAN_BIN", os.path.join(REPO, "target", "release", "mizan"))
KIT = os.environ.get("MIZAN_BENCH_KIT", os.path.join(os.path.dirname(REPO), "shared", "bench", "fuzzy"))
VENV = os.environ.get("TTK_VENV", os.path.join(CACHE, "venv-ttk"))
WRK = os.environ.get("WRK", "wrk")
TICK = os.sysconf("SC_CLK_TCK")

# wrk's Lua: each thread reads the URL-encoded paths, starts at its own offset and cycles; done()
# prints one machine-readable line with the counts and the latency percentiles (microseconds).
LUA = r"""
local paths = {}
local i = 0
local n_threads = 0
function setup(thread)
  thread:set("tid", n_threads)
  n_threads = n_threads + 1
end
function init(args)
  local f = assert(io.open(os.getenv("BENCH_PATHS"), "r"))
  for line in f:lines() do paths[#paths + 1] = line end
  f:close()
  i = (tid or 0) * 997
  math.randomseed(1 + (tid or 0))
end
-- With BENCH_THINK_MS, each connection waits a random think time (exponential, that mean) after
-- every answer, as a person does: the offered load is connections / think time. Without it, no
-- delay() exists and wrk runs its plain closed loop.
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")
if think > 0 then
  function delay()
    return -think * math.log(1 - math.random())
  end
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def cpu_s(pid):
    """utime + stime of a process (and its reaped children), seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / TICK
    except OSError:
        return float("nan")


def db_cpu_s():
    """CPU seconds of every process named postgres on this machine (the database's share of a
    PostgreSQL row; the bench's server must run here)."""
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                head, rest = f.read().rsplit(")", 1)
            if head.split("(", 1)[1].startswith("postgres"):
                total += sum(int(x) for x in rest.split()[11:13]) / TICK
        except (OSError, IndexError):
            pass
    return total


def mem_mb(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmRSS", "VmHWM"):
                    out[k] = int(v.split()[0]) / 1024
    except OSError:
        pass
    return out.get("VmRSS", float("nan")), out.get("VmHWM", float("nan"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def paths_for(route, queries):
    q = lambda s: urllib.parse.quote(s, safe="")  # noqa: E731
    if route == "api":
        return [f"/api/match?q={q(s)}&min=75&top=5" for s in queries]
    return [f"/tmserver/ar/en/unit/{q(s)}" for s in queries]


def http_get(url, timeout):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_ready(proc, url, limit):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} before answering")
        try:
            # one request in flight at a time, with the whole remaining time: a health check that
            # times out and is sent again piles work onto the server (mizan's /api/health counts
            # the units on a store of the pool, seconds at 1M, and is not cancelled)
            http_get(url, max(1.0, limit - (time.monotonic() - t0)))
            return time.monotonic() - t0
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
        except Exception:  # any answer, even a broken one, means it listens
            return time.monotonic() - t0
    raise RuntimeError(f"no answer from {url} within {limit} s")


def has_match(route, body):
    try:
        doc = json.loads(body)
    except ValueError:
        return False
    if route == "api":
        return bool(doc.get("matches")) if isinstance(doc, dict) else False
    return isinstance(doc, list) and len(doc) > 0


def ensure_inputs(size):
    tsv = os.path.join(CACHE, f"tm_{size}.tsv")
    queries = os.path.join(CACHE, f"queries_{size}.txt")
    if not (os.path.exists(tsv) and os.path.exists(queries)):
        print(f"# generating the {size} corpus with the kit", file=sys.stderr)
        env = dict(os.environ, MIZAN_BENCH_CACHE=CACHE)
        subprocess.run([sys.executable, os.path.join(KIT, "gen_corpus.py"), "--real-share", "0", "--sizes", size],
                       check=True, env=env)
    return tsv, queries


def ensure_mizan_tm(size, notes):
    tsv, queries = ensure_inputs(size)
    tm = os.path.join(CACHE, f"tm-{size}.db")
    if not os.path.exists(tm):
        t0 = time.monotonic()
        r = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", MIZAN, "--tm", tm, "import", tsv],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
        u, s, m = r.stderr.strip().splitlines()[-1].split()
        notes.append(f"mizan import {size}: {time.monotonic() - t0:.1f} s wall, "
                     f"{float(u) + float(s):.1f} s CPU, {int(m) // 1024} MB peak RSS")
    return tm, queries


def ensure_tmdb(size, notes):
    tsv, queries = ensure_inputs(size)
    db = os.path.join(CACHE, f"tmdb-{size}.db")
    if not os.path.exists(db):
        t0 = time.monotonic()
        subprocess.run([os.path.join(VENV, "bin", "python"), os.path.join(KIT, "baselines", "tmdb_cli.py"),
                        "import", "--tm", db, tsv], check=True, stdout=subprocess.DEVNULL)
        notes.append(f"tmdb import {size}: {time.monotonic() - t0:.1f} s wall")
    return db, queries


def ensure_pg_tm(admin_url, size, tm_file, notes):
    """The TM file copied into a database of its own on the server of `admin_url` (once; the copy
    is timed: it is the PostgreSQL import figure)."""
    name = f"mizan_bench_{size.lower()}"
    scheme, rest = admin_url.split("://", 1)
    authority = rest.split("/", 1)[0]
    url = f"{scheme}://{authority}/{name}"
    exists = subprocess.run(["psql", admin_url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                            capture_output=True, text=True, check=True).stdout.strip() == "1"
    if not exists:
        subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
        t0 = time.monotonic()
        r = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", MIZAN, "copy", "--from", tm_file, "--to", url],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
        u, s, m = r.stderr.strip().splitlines()[-1].split()
        notes.append(f"mizan copy {size} into PostgreSQL: {time.monotonic() - t0:.1f} s wall, "
                     f"{float(u) + float(s):.1f} s client CPU, {int(m) // 1024} MB peak RSS")
    return url


def one_run(a, tool, size, route, workers, conns, threads, notes, rate=None):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    if tool in ("mizan", "mizan-pg"):
        tm, queries = ensure_mizan_tm(size, notes)
        if tool == "mizan-pg":
            tm = ensure_pg_tm(a.pg, size, tm, notes)
        cmd = [MIZAN, "--tm", tm, "serve", "--listen", f"127.0.0.1:{port}", "--read-only", "--workers", str(workers)]
        ready_url = base + "/api/health"
    else:
        db, queries = ensure_tmdb(size, notes)
        args = ["-d", db, "-b", "127.0.0.1", "-p", str(port)]
        if tool == "tmserver":
            cmd = [os.path.join(VENV, "bin", "tmserver"), *args]
        else:
            # tmserver-utf8: the same server, but cheroot hands the app PATH_INFO decoded as UTF-8
            # (its WSGI "u.0" gateway). As shipped, cheroot follows PEP 3333 (the path's bytes as
            # ISO-8859-1) and tmserver never transcodes, so an Arabic query reaches tmdb as mojibake
            # and finds nothing, slowly.
            cmd = [os.path.join(VENV, "bin", "python"), "-c",
                   "import sys; from cheroot import wsgi; wsgi.wsgi_gateways[('u', 0)] = wsgi.Gateway_u0; "
                   "wsgi.Server.wsgi_version = ('u', 0); "
                   "from translate.services.tmserver import main; sys.argv[0] = 'tmserver'; main()", *args]
        ready_url = base + "/tmserver/"  # any answer (404 here) means it listens
    with open(queries, encoding="utf-8") as f:
        qs = [line.rstrip("\n") for line in f if line.strip()]
    paths = paths_for(route, qs)
    pfile = os.path.join(CACHE, f"paths-{size}-{route}.txt")
    with open(pfile, "w", encoding="utf-8") as f:
        f.write("\n".join(paths) + "\n")
    lua = os.path.join(CACHE, "serve_bench.lua")
    with open(lua, "w") as f:
        f.write(LUA)

    row = dict(tool=tool, size=size, route=route, workers=workers if tool.startswith("mizan") else "cheroot",
               conns=f"{conns}/{threads}", offered="—" if rate is None else f"{rate:g}/s")
    log = open(os.path.join(CACHE, f"serve-{tool}-{size}-{route}-w{workers}-c{conns}"
                                   f"{'' if rate is None else f'-r{rate:g}'}.log"), "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        row["ready_s"] = wait_ready(proc, ready_url, a.ready_limit)
        # samples: answers are 200, how many have a suggestion; also warms the caches up
        n_samples = a.samples if tool.startswith("mizan") else a.peer_samples
        ok = hits = 0
        t0 = time.monotonic()
        for p in paths[:n_samples]:
            try:
                st, body = http_get(base + p, 120)
            except Exception as e:  # noqa: BLE001 - a broken answer is a failed sample
                st, body = repr(e), b""
            ok += st == 200
            hits += has_match(route, body)
        row["sample"] = f"{ok}/{n_samples} ok, {hits} hit, {1000 * (time.monotonic() - t0) / max(1, n_samples):.0f} ms/q"

        row["load_before"] = loadavg()
        cpu0 = cpu_s(proc.pid)
        db0 = db_cpu_s() if tool == "mizan-pg" else None
        t0 = time.monotonic()
        env = dict(os.environ, BENCH_PATHS=pfile)
        env.pop("BENCH_THINK_MS", None)
        if rate is not None:
            # each connection offers rate / conns requests per second, less its answers' own time
            env["BENCH_THINK_MS"] = f"{1000 * conns / rate:.3f}"
        w = subprocess.run(["/usr/bin/time", "-f", "WRKCPU %U %S", WRK, "-c", str(conns), "-t", str(threads),
                            "-d", a.duration, "--timeout", a.timeout if tool.startswith("mizan") else a.peer_timeout,
                            "--latency", "-s", lua, base],
                           env=env, capture_output=True, text=True)
        row["wall_s"] = time.monotonic() - t0
        row["server_cpu_s"] = cpu_s(proc.pid) - cpu0
        if db0 is not None:
            row["db_cpu_s"] = db_cpu_s() - db0
        row["load_after"] = loadavg()
        row["rss_mb"], row["hwm_mb"] = mem_mb(proc.pid)
        out = w.stdout + w.stderr
        log.write("\n---- wrk ----\n" + out)
        res = None
        for line in out.splitlines():
            if line.startswith("BENCH_JSON "):
                res = json.loads(line[len("BENCH_JSON "):])
            elif line.startswith("WRKCPU "):
                u, s = line.split()[1:]
                row["wrk_cpu_s"] = float(u) + float(s)
        if res is None:
            raise RuntimeError("wrk printed no result:\n" + out)
        dur = res["duration_us"] / 1e6
        row["rps"] = res["requests"] / dur if dur else 0.0
        row["p50_ms"] = res["p50_us"] / 1000
        row["p99_ms"] = res["p99_us"] / 1000
        row["max_ms"] = res["max_us"] / 1000
        row["requests"] = res["requests"]
        row["errors"] = res["connect"] + res["read"] + res["write"] + res["status"]
        row["err_detail"] = (f"conn {res['connect']} read {res['read']} write {res['write']} "
                             f"status>=400 {res['status']} timeout {res['timeout']}")
        row["timeouts"] = res["timeout"]
        if res["requests"]:
            # the figure least sensitive to the other load on the machine: capacity on N free
            # cores is about N * 1000 / this
            row["cpu_ms_per_req"] = 1000 * row["server_cpu_s"] / res["requests"]
            if db0 is not None:
                row["db_cpu_ms_per_req"] = 1000 * row["db_cpu_s"] / res["requests"]
        row["alive"] = proc.poll() is None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            t0 = time.monotonic()
            try:
                proc.wait(15)
                row["stop_s"] = time.monotonic() - t0
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                row["stop_s"] = float("inf")
        log.close()
    return row


def fmt_table(rows):
    cols = [("tool", "tool", "{}"), ("TM", "size", "{}"), ("route", "route", "{}"), ("workers", "workers", "{}"),
            ("c/t", "conns", "{}"), ("offered", "offered", "{}"), ("req/s", "rps", "{:.1f}"), ("p50 ms", "p50_ms", "{:.2f}"),
            ("p99 ms", "p99_ms", "{:.2f}"), ("max ms", "max_ms", "{:.0f}"), ("requests", "requests", "{}"),
            ("errors", "errors", "{}"), ("timeouts", "timeouts", "{}"), ("RSS MB", "rss_mb", "{:.0f}"),
            ("peak MB", "hwm_mb", "{:.0f}"), ("srv CPU s", "server_cpu_s", "{:.1f}"),
            ("srv CPU ms/req", "cpu_ms_per_req", "{:.2f}"),
            ("db CPU ms/req", "db_cpu_ms_per_req", "{:.2f}"), ("wrk CPU s", "wrk_cpu_s", "{:.1f}"), ("wall s", "wall_s", "{:.1f}"), ("ready s", "ready_s", "{:.1f}"),
            ("load before", "load_before", "{}"), ("load after", "load_after", "{}")]
    lines = ["| " + " | ".join(c[0] for c in cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        cells = []
        for _, k, f in cols:
            v = r.get(k)
            cells.append("—" if v is None else f.format(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=["mizan", "tmserver"], help="one tool only (tmserver: both peer variants)")
    ap.add_argument("--sizes", help="mizan TM sizes, e.g. 1M,10k [1M,10k]")
    ap.add_argument("--workers", default="2,4",
                    help="mizan --workers values at the largest size; the first also serves the other rows "
                         "[2,4: 2 is the default on 2 CPUs]")
    ap.add_argument("--rates", default="",
                    help="also run mizan's /api/match at the largest size (first --workers value) at these "
                         "offered loads, requests/s over all connections, each connection thinking "
                         "connections/rate on average between an answer and its next request, e.g. 1500")
    ap.add_argument("--routes", default="api,tmserver", help="mizan routes [api,tmserver]")
    ap.add_argument("--peer-size", default="10k")
    ap.add_argument("--duration", default=os.environ.get("BENCH_DURATION", "30s"))
    ap.add_argument("--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS", "64")))
    ap.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", "2")))
    ap.add_argument("--timeout", default=os.environ.get("BENCH_TIMEOUT", "10s"))
    ap.add_argument("--peer-timeout", default="60s",
                    help="wrk --timeout for the peer, whose answers take seconds (a later answer is not in the latencies)")
    ap.add_argument("--no-single", action="store_true", help="skip the -c 1 -t 1 rows at the peer size")
    ap.add_argument("--samples", type=int, default=50, help="sample queries before a mizan run")
    ap.add_argument("--peer-samples", type=int, default=2, help="sample queries before a tmserver run")
    ap.add_argument("--ready-limit", type=float, default=600)
    ap.add_argument("--json", help="also write the rows to this file")
    ap.add_argument("--pg", default=os.environ.get("MIZAN_BENCH_PG"),
                    help="a postgres:// URL of a role that may create databases: also serve each TM from "
                         "PostgreSQL (copied there once) in the same run [$MIZAN_BENCH_PG]")
    ap.add_argument("--pg-workers", type=int, default=os.cpu_count() or 2,
                    help="mizan --workers when served from PostgreSQL, where each worker holds its own "
                         "copy of the TM [the number of CPUs, the server's default there]")
    a = ap.parse_args()

    if not shutil.which(WRK):
        sys.exit("wrk not found: apt-get install -y wrk (or set WRK)")
    os.makedirs(CACHE, exist_ok=True)
    sizes = (a.sizes or "1M,10k").split(",")
    workers = [int(w) for w in a.workers.split(",")]
    routes = a.routes.split(",")
    c, t = a.connections, a.threads
    plan = []
    if a.only != "tmserver":
        if not os.path.exists(MIZAN):
            sys.exit(f"{MIZAN} not found: cargo build --release (or set MIZAN_BIN)")
        for size in sizes:
            for route in routes:
                for w in (workers if size == sizes[0] else workers[:1]):
                    if route != "api" and w != workers[0]:
                        continue
                    plan.append(("mizan", size, route, w, c, t, None))
                    if a.pg and w == workers[0]:
                        plan.append(("mizan-pg", size, route, a.pg_workers, c, t, None))
                    if route == "api" and size == sizes[0] and w == workers[0]:
                        for rate in (float(x) for x in a.rates.split(",") if x):
                            plan.append(("mizan", size, route, w, c, t, rate))
                            if a.pg:
                                plan.append(("mizan-pg", size, route, a.pg_workers, c, t, rate))
        if a.peer_size in sizes and not a.no_single:
            plan.append(("mizan", a.peer_size, "tmserver", workers[0], 1, 1, None))
    if a.only != "mizan":
        if not os.path.exists(os.path.join(VENV, "bin", "tmserver")):
            sys.exit(f"no tmserver in {VENV}: see the top of this script (or --only mizan)")
        for peer in ("tmserver", "tmserver-utf8"):
            plan.append((peer, a.peer_size, "tmserver", 0, c, t, None))
            if not a.no_single:
                plan.append((peer, a.peer_size, "tmserver", 0, 1, 1, None))

    notes, rows = [], []
    print(f"# {time.strftime('%Y-%m-%d %H:%M:%S %Z')}  nproc {os.cpu_count()}  wrk -d {a.duration} "
          f"--timeout {a.timeout} (peer {a.peer_timeout})  cache {CACHE}", file=sys.stderr)
    for tool, size, route, w, cc, tt, rate in plan:
        print(f"# {tool} {size} {route} workers={w} -c {cc} -t {tt} rate={rate} (load {loadavg()})",
              file=sys.stderr, flush=True)
        try:
            r = one_run(a, tool, size, route, w, cc, tt, notes, rate)
        except Exception as e:  # a failed run is a row too
            r = dict(tool=tool, size=size, route=route, workers=w, conns=f"{cc}/{tt}", failed=str(e))
            print(f"#   FAILED: {e}", file=sys.stderr)
        rows.append(r)
        print("#   " + json.dumps(r, default=str), file=sys.stderr, flush=True)
    print(fmt_table(rows))
    for r in rows:
        extra = [f"{k}: {r[k]}" for k in ("sample", "err_detail", "stop_s", "alive", "failed") if k in r]
        print(f"- {r['tool']} {r['size']} {r['route']} w{r['workers']} c{r['conns']} offered {r.get('offered')}: "
              + "; ".join(extra))
    for n in notes:
        print("- " + n)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rows": rows, "notes": notes}, f, indent=1, default=str)


if __name__ == "__main__":
    main()
