//! Fuzzy-index benchmark: build the index over N units in an SQLite file, then time batch search.
//!
//! ```text
//! cargo bench --bench fuzzy -- [--size 100k] [--min 50,75] [--top 5] [--queries 1000] [--verify 20]
//!                                [--cold 100] [--db target/bench-cache/tm_100k.db]
//! ```
//!
//! `--db PATH` keeps the built TM file (and reuses it if it exists); `--cold N` also times N
//! queries through [`index::search`] (no loading, index read from SQLite per query).
//!
//! Figures on the 2-core development machine (shared with other builds, so ±30 %), corpus from
//! `gen_corpus.py --real-share 0`, top 5, 1,000 generated queries (+ 1–3-word ones apart):
//!
//! | units | index build | TM file / TSV | load | min 50 p50 / p95 | min 75 p50 / p95 | 1–3 words p95 |
//! |---|---|---|---|---|---|---|
//! | 10⁵ | 1.8 s | 1.59 | 0.17 s | 0.23 / 0.49 ms | 0.13 / 0.32 ms | 0.01 ms |
//! | 10⁶ | 18.1 s | 1.56 | 1.9 s | 1.60 / 4.20 ms | 0.58 / 1.26 ms | 0.01 ms |
//!
//! Data: `$MIZAN_BENCH_CACHE/tm_<size>.tsv` and `queries_<size>.txt` as written by
//! `python3 ../shared/bench/fuzzy/gen_corpus.py` (default cache `target/bench-cache`). Without
//! them, a synthetic TM is made from the NTREX sentences in `tests/data/fuzzy` (each sentence
//! and edited copies of it: numbers, clitics, dropped and swapped words), with the size given.
//!
//! Prints: build time (units + index, one transaction), file size against the TSV, load time,
//! and per-query latency (mean, p50, p95, p99, max; `--rounds R` runs every query R times) per
//! `min`, for all queries and for short (1–3 words: 200 more queries made of the first words of
//! TM units) ones, the mean result count, and `--verify N`: the first N queries checked against
//! the exhaustive scan.

use std::time::{Duration, Instant};

use mizan::tm::index::{self, FuzzyIndex, Indexer};

struct Args {
    size: String,
    mins: Vec<f64>,
    top: usize,
    queries: usize,
    verify: usize,
    db: Option<String>,
    cold: usize,
    /// Times each query is run (the latencies of every round count; more rounds, steadier figures).
    rounds: usize,
}

fn parse_size(s: &str) -> usize {
    let s = s.trim();
    let (num, mul) = if let Some(n) = s.strip_suffix(['k', 'K']) {
        (n, 1_000)
    } else if let Some(n) = s.strip_suffix(['m', 'M']) {
        (n, 1_000_000)
    } else {
        (s, 1)
    };
    num.parse::<usize>().unwrap_or(10) * mul
}

fn args() -> Args {
    let mut a = Args {
        size: "100k".into(),
        mins: vec![50.0, 75.0],
        top: 5,
        queries: 1000,
        verify: 0,
        db: None,
        cold: 0,
        rounds: 1,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.windows(2) {
        let v = &pair[1];
        match pair[0].as_str() {
            "--size" => a.size = v.clone(),
            "--min" => a.mins = v.split(',').filter_map(|x| x.parse().ok()).collect(),
            "--top" => a.top = v.parse().unwrap_or(5),
            "--queries" => a.queries = v.parse().unwrap_or(1000),
            "--verify" => a.verify = v.parse().unwrap_or(0),
            "--db" => a.db = Some(v.clone()),
            "--cold" => a.cold = v.parse().unwrap_or(0),
            "--rounds" => a.rounds = v.parse().unwrap_or(1).max(1),
            _ => {}
        }
    }
    a
}

/// Units (source, target) and queries: from the benchmark cache, or synthetic.
fn data(a: &Args) -> (Vec<(String, String)>, Vec<String>, u64) {
    let cache = std::env::var("MIZAN_BENCH_CACHE").unwrap_or_else(|_| "target/bench-cache".into());
    let tsv = format!("{cache}/tm_{}.tsv", a.size);
    let qf = format!("{cache}/queries_{}.txt", a.size);
    if let (Ok(t), Ok(q)) = (std::fs::read_to_string(&tsv), std::fs::read_to_string(&qf)) {
        eprintln!("data: {tsv}");
        let units = t
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(s, t)| (s.to_string(), t.to_string()))
            .collect();
        let queries = q.lines().take(a.queries).map(str::to_string).collect();
        return (units, queries, t.len() as u64);
    }
    eprintln!("data: synthetic from NTREX ({tsv} not found)");
    let ar: Vec<&str> = include_str!("../tests/data/fuzzy/ntrex.ar.txt").lines().collect();
    let en: Vec<&str> = include_str!("../tests/data/fuzzy/ntrex.en.txt").lines().collect();
    let n = parse_size(&a.size);
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut units = Vec::with_capacity(n);
    let mut bytes = 0u64;
    while units.len() < n {
        let k = (next() % ar.len() as u64) as usize;
        let mut words: Vec<String> = ar[k].split(' ').map(str::to_string).collect();
        // A few random edits (drawn from other sentences) so that most units are distinct.
        for _ in 0..(next() % 6) {
            let other = ar[(next() % ar.len() as u64) as usize].split(' ').collect::<Vec<_>>();
            let w = other[(next() % other.len() as u64) as usize].to_string();
            let at = (next() % words.len() as u64) as usize;
            match next() % 4 {
                0 => words[at] = w,
                1 => words.insert(at, w),
                2 if words.len() > 2 => {
                    words.remove(at);
                }
                _ => words[at] = format!("و{}", words[at]),
            }
        }
        let s = words.join(" ");
        bytes += (s.len() + en[k].len() + 2) as u64;
        units.push((s, en[k].to_string()));
    }
    let queries = (0..a.queries)
        .map(|_| {
            let (s, _) = &units[(next() % n as u64) as usize];
            let mut w: Vec<&str> = s.split(' ').collect();
            if next() % 2 == 0 && w.len() > 3 {
                w.remove((next() % w.len() as u64) as usize);
            }
            w.join(" ")
        })
        .collect();
    (units, queries, bytes)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let k = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[k].as_secs_f64() * 1e3
}

/// Inserts the units and indexes them in one transaction; prints time and sizes.
fn build(
    conn: &mut rusqlite::Connection,
    path: &std::path::Path,
    units: &[(String, String)],
    tsv_bytes: u64,
) -> rusqlite::Result<()> {
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE TABLE unit(id INTEGER PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL,
                           source_lang TEXT, target_lang TEXT);",
    )?;

    let t0 = Instant::now();
    let mut index_time = Duration::ZERO;
    let tx = conn.transaction()?;
    {
        let mut ix = Indexer::new(&tx)?;
        let mut ins = tx.prepare(
            "INSERT INTO unit(id, source, target, source_lang, target_lang) VALUES (?1, ?2, ?3, 'ar', 'en')",
        )?;
        for (k, (s, t)) in units.iter().enumerate() {
            let id = k as i64 + 1;
            ins.execute(rusqlite::params![id, s, t])?;
            let ti = Instant::now();
            ix.add(id, s)?;
            index_time += ti.elapsed();
        }
        let ti = Instant::now();
        ix.finish()?;
        index_time += ti.elapsed();
    }
    tx.commit()?;
    let build = t0.elapsed();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    let db_bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let (fuzzy_bytes,): (i64,) = conn
        .query_row(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'fuzzy%' OR name LIKE 'sqlite_autoindex_fuzzy%'",
            [],
            |r| Ok((r.get(0)?,)),
        )
        .unwrap_or((-1,));
    println!(
        "units {}  build {:.1} s (index part {:.1} s)  file {:.0} MB = {:.2}× TSV ({:.0} MB; index tables {:.0} MB)",
        units.len(),
        build.as_secs_f64(),
        index_time.as_secs_f64(),
        db_bytes as f64 / 1e6,
        db_bytes as f64 / tsv_bytes.max(1) as f64,
        tsv_bytes as f64 / 1e6,
        fuzzy_bytes as f64 / 1e6
    );

    Ok(())
}

fn main() -> rusqlite::Result<()> {
    let a = args();
    let (units, mut queries, tsv_bytes) = data(&a);
    // Short queries (1–3 words): the first words of every 997th unit.
    let short: Vec<String> = units
        .iter()
        .step_by(997)
        .take(200)
        .enumerate()
        .map(|(k, (s, _))| s.split_whitespace().take(1 + k % 3).collect::<Vec<_>>().join(" "))
        .collect();
    let generated = queries.len();
    queries.extend(short);
    let dir = tempfile::tempdir().map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let path =
        a.db.clone()
            .map_or_else(|| dir.path().join("tm.db"), std::path::PathBuf::from);
    let reuse = path.exists();
    let mut conn = rusqlite::Connection::open(&path)?;
    if reuse {
        println!("reusing {} (no build)", path.display());
    } else {
        build(&mut conn, &path, &units, tsv_bytes)?;
    }
    let t0 = Instant::now();
    let index = FuzzyIndex::load(&conn)?;
    println!("load {:.2} s", t0.elapsed().as_secs_f64());

    for &min in &a.mins {
        let mut all = Vec::with_capacity(queries.len());
        let mut short = Vec::new();
        let mut found = 0usize;
        for round in 0..a.rounds {
            for (n, q) in queries.iter().enumerate() {
                let t = Instant::now();
                let m = index.search(&conn, q, min, a.top)?;
                let dt = t.elapsed();
                if round == 0 {
                    found += m.len();
                }
                if n < generated {
                    all.push(dt);
                }
                if (1..=3).contains(&mizan::text::words(q).len()) {
                    short.push(dt);
                }
            }
        }
        all.sort();
        short.sort();
        let mean = all.iter().sum::<Duration>().as_secs_f64() * 1000.0 / all.len().max(1) as f64;
        println!(
            "min {min:>3}: {} queries (+ short)  mean {mean:.3} ms  p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms  max {:.1} ms  | short (1–3 words, {}) p50 {:.2} p95 {:.2} ms  | {:.2} matches/query",
            all.len(),
            pct(&all, 0.5),
            pct(&all, 0.95),
            pct(&all, 0.99),
            pct(&all, 1.0),
            short.len(),
            pct(&short, 0.5),
            pct(&short, 0.95),
            found as f64 / queries.len().max(1) as f64
        );
        if a.cold > 0 {
            let mut times = Vec::new();
            for q in queries.iter().take(a.cold) {
                let t = Instant::now();
                let m = index::search(&conn, q, min, a.top)?;
                times.push(t.elapsed());
                assert_eq!(m, index.search(&conn, q, min, a.top)?, "cold != loaded for {q}");
            }
            times.sort();
            println!(
                "min {min:>3}: {} single queries without loading (index::search)  p50 {:.2} ms  p95 {:.2} ms",
                times.len(),
                pct(&times, 0.5),
                pct(&times, 0.95)
            );
        }
        let mut checked = 0;
        for q in queries.iter().take(a.verify) {
            let want = index::search_exhaustive(&conn, q, min, a.top)?;
            let got = index.search(&conn, q, min, a.top)?;
            assert_eq!(got, want, "indexed != exhaustive for {q}");
            checked += 1;
        }
        if checked > 0 {
            println!("min {min:>3}: {checked} queries verified against the exhaustive scan");
        }
    }
    Ok(())
}
