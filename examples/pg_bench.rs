//! Measures the PostgreSQL store beside a TM file: import rate, the in-memory index's first fill,
//! query latency with the loaded index and after a write (when the mirror answers from its
//! in-memory tables), and catching up with other processes' writes.
//!
//! ```sh
//! cargo run --release --example pg_bench -- postgres://user@host/empty_db tm.tsv 100000 queries.txt
//! ```
//! The database must be empty (or hold no mizan schema); a TM file `pg_bench.db` is written in
//! the current directory (removed first).
use std::io::BufRead;
use std::time::Instant;

use mizan::formats::{tabular::TsvReader, ReadOptions};
use mizan::store::{import, open, Store, StoreOptions};
use mizan::tm::import::ImportOptions;
use mizan::tm::suggest::MatchOptions;
use mizan::tm::{DuplicatePolicy, LangTag, NewUnit, OpenMode, Origin};

fn cpu_seconds() -> f64 {
    // utime + stime of this process, and of the children it waited for, in clock ticks.
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let t = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (t(11) + t(12)) / 100.0
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn latencies(store: &dyn Store, queries: &[String], opts: &MatchOptions) -> (f64, f64, f64) {
    let mut ms = Vec::new();
    let started = Instant::now();
    for q in queries {
        let t = Instant::now();
        store.suggest(q, opts).expect("suggest");
        ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let total = started.elapsed().as_secs_f64();
    (
        percentile(&mut ms, 0.5),
        percentile(&mut ms, 0.99),
        queries.len() as f64 / total,
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, tsv, n, queries] = &args[..] else {
        return Err("usage: pg_bench URL TSV UNITS QUERIES".into());
    };
    let n: usize = n.parse()?;
    let file = std::fs::File::open(tsv)?;
    let lines: Vec<String> = std::io::BufReader::new(file)
        .lines()
        .take(n)
        .collect::<Result<_, _>>()?;
    let body = lines.join("\n") + "\n";
    let queries: Vec<String> = std::fs::read_to_string(queries)?
        .lines()
        .take(300)
        .map(String::from)
        .collect();
    let _ = std::fs::remove_file("pg_bench.db");
    let read = || {
        TsvReader::new(
            body.as_bytes(),
            ReadOptions {
                file: "bench".into(),
                source_lang: LangTag::parse("ar").unwrap(),
                target_lang: LangTag::parse("en").unwrap(),
            },
        )
    };
    let opts = MatchOptions {
        min: 50.0,
        top: 5,
        ..MatchOptions::default()
    };
    for (label, location) in [("sqlite", "pg_bench.db"), ("postgres", url.as_str())] {
        let mut store = open(location, &StoreOptions::new(OpenMode::Create))?;
        let (t, c) = (Instant::now(), cpu_seconds());
        let r = import(&mut *store, read(), &ImportOptions::default(), |_| {})?;
        let (wall, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
        println!(
            "{label}: import {} units: {wall:.1} s wall, {cpu:.1} s CPU (this process), {:.0} units/s",
            r.added,
            r.added as f64 / wall
        );
        let mut reader = open(location, &StoreOptions::new(OpenMode::ReadOnly))?;
        let (t, c) = (Instant::now(), cpu_seconds());
        reader.prepare_for_queries()?;
        println!(
            "{label}: prepare_for_queries (index loaded; for postgres the in-memory copy filled first): {:.1} s wall, {:.1} s CPU",
            t.elapsed().as_secs_f64(),
            cpu_seconds() - c
        );
        let (p50, p99, qps) = latencies(&*reader, &queries, &opts);
        println!(
            "{label}: {} queries, loaded index: p50 {p50:.2} ms, p99 {p99:.2} ms, {qps:.0} queries/s (one thread)",
            queries.len()
        );
        // A write by another store: the reader's loaded index is dropped (postgres: when it
        // catches up; a file: only the writer's own, the reader's stays loaded but stale, see
        // the lead's staleness check).
        let mut writer = open(location, &StoreOptions::new(OpenMode::Existing))?;
        writer.add(
            &NewUnit::new(
                "ar",
                "en",
                "وصل الوفد إلى القاهرة للمرة الأولى",
                "The delegation arrived in Cairo for the first time",
                Origin::Human,
            )?,
            DuplicatePolicy::KeepBoth,
        )?;
        let t = Instant::now();
        reader.suggest("وصل الوفد إلى القاهرة", &opts)?;
        println!(
            "{label}: first query after one write by another store: {:.2} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
        let (p50, p99, qps) = latencies(&*reader, &queries, &opts);
        println!("{label}: after it: p50 {p50:.2} ms, p99 {p99:.2} ms, {qps:.0} queries/s");
        let mut w = writer.writer(DuplicatePolicy::KeepBoth)?;
        for i in 0..1000 {
            w.add(&NewUnit::new(
                "ar",
                "en",
                &format!("جملة تجريبية رقم {i} عن الزيارة"),
                &format!("Test sentence {i}"),
                Origin::Human,
            )?)?;
        }
        w.commit()?;
        let t = Instant::now();
        reader.suggest("جملة تجريبية رقم 5 عن الزيارة", &opts)?;
        println!(
            "{label}: first query after 1000 units written by another store: {:.1} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    Ok(())
}
