//! Glossary benchmark: store a glossary in a TM file, load the recognizer, time recognition per
//! segment, and measure recall on a test set of inflected and cliticised occurrences.
//!
//! ```text
//! cargo bench --bench terms -- --glossary G.tsv --segments S.txt [--recall R.tsv] [--db TM.db]
//! ```
//!
//! - `G.tsv`: the glossary (`source<TAB>target` lines, as `mizan terms import` reads them);
//! - `S.txt`: one segment per line, each recognized (after one warm-up pass) and timed;
//! - `R.tsv`: `segment<TAB>occurrence<TAB>term<TAB>category` lines: `term` (added to the glossary)
//!   must be found as `occurrence` in `segment` (a hit with exactly the occurrence's span). Recall
//!   is counted twice: with a glossary of that one term, and with it inside the whole glossary (where a longer term may cover
//!   an occurrence: reported as shadowed, not missed).
//!
//! `benches/terms_bench.py` makes these files from the NTREX sentences and runs this; it prints
//! one JSON object. The figures quoted in the README come from it.

use std::collections::BTreeMap;
use std::time::Instant;

use mizan::store::Store;
use mizan::terms::{Glossary, NewTerm, ReadOptions, TermFormat};
use mizan::tm::{LangTag, OpenMode, Tm};

/// Per category: occurrences, found, shadowed by a longer term.
type Counts = BTreeMap<String, (usize, usize, usize)>;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let Some(glossary) = arg(&args, "--glossary") else {
        eprintln!(
            "usage: cargo bench --bench terms -- --glossary G.tsv --segments S.txt [--recall R.tsv] [--db TM.db]"
        );
        return Ok(());
    };
    let segments = std::fs::read_to_string(arg(&args, "--segments").ok_or("--segments")?)?;
    let segments: Vec<&str> = segments.lines().filter(|l| !l.trim().is_empty()).collect();
    let dir = tempfile::tempdir()?;
    let db = arg(&args, "--db")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("tm.db"));
    let _ = std::fs::remove_file(&db);
    let opts = ReadOptions {
        file: glossary.clone(),
        source_lang: LangTag::parse("ar")?,
        target_lang: LangTag::parse("en")?,
        author: None,
    };

    let t = Instant::now();
    let read = mizan::terms::read_file(std::path::Path::new(&glossary), Some(TermFormat::Tsv), &opts)?;
    let read_s = t.elapsed().as_secs_f64();
    let mut terms: Vec<NewTerm> = read.terms.into_iter().map(|t| t.term).collect();
    let recall_set: Vec<(String, String, String, String)> = match arg(&args, "--recall") {
        Some(p) => std::fs::read_to_string(p)?
            .lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f.len() >= 4).then(|| (f[0].to_string(), f[1].to_string(), f[2].to_string(), f[3].to_string()))
            })
            .collect(),
        None => Vec::new(),
    };
    for (_, _, term, _) in &recall_set {
        terms.push(NewTerm::new("ar", term, "en", "test")?);
    }
    let mut tm = Tm::open(&db, OpenMode::Create)?;
    let t = Instant::now();
    let outcomes = tm.add_terms(&terms)?;
    let store_s = t.elapsed().as_secs_f64();
    let store: &dyn Store = &tm;
    let t = Instant::now();
    let g = Glossary::load(store)?;
    let load_s = t.elapsed().as_secs_f64();

    // Recognition time per segment, after a warm-up pass.
    let mut total_hits = 0usize;
    for s in &segments {
        total_hits += g.hits(s).len();
    }
    let mut times = Vec::with_capacity(segments.len() * 3);
    for _ in 0..3 {
        for s in &segments {
            let t = Instant::now();
            let h = g.hits(s);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(h);
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));

    // Recall: clean (the recall terms alone) and inside the whole glossary.
    let recall = |g: &Glossary| {
        let mut per: Counts = BTreeMap::new();
        for (segment, occurrence, term, category) in &recall_set {
            let e = per.entry(category.clone()).or_default();
            e.0 += 1;
            let Some(at) = segment.find(occurrence.as_str()) else {
                continue;
            };
            let span = (at, at + occurrence.len());
            let hits = g.hits(segment);
            let _ = term;
            if hits.iter().any(|h| (h.start, h.end) == span) {
                e.1 += 1;
            } else if hits
                .iter()
                .any(|h| h.start <= span.0 && h.end >= span.1 && (h.start, h.end) != span)
            {
                e.2 += 1;
            }
        }
        per
    };
    // Clean: each occurrence against a glossary of its own term alone (test terms of neighbouring
    // word pairs would otherwise overlap each other).
    let clean_recall = || -> Result<Counts, Box<dyn std::error::Error>> {
        let mut per: Counts = BTreeMap::new();
        for (segment, occurrence, term, category) in &recall_set {
            let e = per.entry(category.clone()).or_default();
            e.0 += 1;
            let g = Glossary::from_terms(vec![NewTerm::new("ar", term, "en", "test")?.stored(1)]);
            let Some(at) = segment.find(occurrence.as_str()) else {
                continue;
            };
            if g.hits(segment)
                .iter()
                .any(|h| (h.start, h.end) == (at, at + occurrence.len()))
            {
                e.1 += 1;
            }
        }
        Ok(per)
    };
    let fmt = |per: Counts| {
        let mut o = serde_json::Map::new();
        let (mut n, mut f, mut s) = (0, 0, 0);
        for (k, (total, found, shadowed)) in per {
            n += total;
            f += found;
            s += shadowed;
            o.insert(
                k,
                serde_json::json!({"occurrences": total, "found": found, "shadowed": shadowed,
                    "recall": found as f64 / total.max(1) as f64}),
            );
        }
        o.insert(
            "all".into(),
            serde_json::json!({"occurrences": n, "found": f, "shadowed": s, "recall": f as f64 / n.max(1) as f64}),
        );
        serde_json::Value::Object(o)
    };
    let added = outcomes
        .iter()
        .filter(|o| matches!(o, mizan::terms::TermOutcome::Added(_)))
        .count();
    let report = serde_json::json!({
        "glossary_entries_read": terms.len() - recall_set.len(),
        "stored": added,
        "read_s": read_s,
        "store_s": store_s,
        "store_rate_per_s": terms.len() as f64 / store_s,
        "load_s": load_s,
        "recognizer_entries": g.len(),
        "segments": segments.len(),
        "hits_per_segment": total_hits as f64 / segments.len().max(1) as f64,
        "recognize_ms": {"p50": percentile(&times, 0.5), "p95": percentile(&times, 0.95),
                          "p99": percentile(&times, 0.99), "max": percentile(&times, 1.0)},
        "recall_clean": fmt(clean_recall()?),
        "recall_in_glossary": fmt(recall(&g)),
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
