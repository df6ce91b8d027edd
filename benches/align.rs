//! Alignment speed on long documents: `cargo bench --bench align`.
//!
//! Builds documents of N Arabic and N English sentences from the NTREX sample in
//! `tests/data/align/` (repeated, so that the texts are real but the documents long) and times
//! `mizan::align::align` on (a) a document and its translation, with a few sentences dropped on
//! one side, and (b) two unrelated documents of the same size (the worst case for the band,
//! which widens when the best path touches its edge), and (c) `align_resegmented` on an Arabic
//! side with every tenth sentence run into the next. Prints one line per case; run it under
//! `/usr/bin/time -v` for the peak memory (`--no-learn` skips the lexicon-learning timing, whose
//! 100 000 pairs would dominate the peak; `--ibm1` also times `Lexicon::learn_ibm1` on them).
//! Sizes can be given as arguments (default 1000 5000).
//!
//! The cross-validation of the accuracy is `examples/align_cv.rs` (run by
//! `benches/align_compare.py --cv`).

use std::time::Instant;

/// CPU time of this process (user + system) in seconds, from /proc (Linux); None elsewhere.
/// The wall time is also printed, but on a loaded machine only the CPU time is comparable.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

use mizan::align::{align, align_resegmented, AlignOptions, Lexicon, Sentence};

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/align/");
    let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).unwrap_or_default();
    let (ar_text, en_text) = (read("ntrex.sample.ar.txt"), read("ntrex.sample.en.txt"));
    let ar_lines: Vec<&str> = ar_text.lines().collect();
    let en_lines: Vec<&str> = en_text.lines().collect();
    if ar_lines.is_empty() || en_lines.is_empty() {
        eprintln!("no sample data in {dir}");
        return;
    }
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect::<Vec<_>>();
    let sizes = if sizes.is_empty() { vec![1000, 5000] } else { sizes };
    let lexicon = Lexicon::learn(ar_lines.iter().copied().zip(en_lines.iter().copied()));
    // Lexicon learning on 100 000 pairs: each made of two sample lines (k and a pseudo-random
    // other one) so that the pairs are distinct and co-occurrences many.
    let learn_pairs = if std::env::args().any(|a| a == "--no-learn") {
        0
    } else {
        100_000
    };
    let pairs: Vec<(String, String)> = (0..learn_pairs)
        .map(|k| {
            let (a, b) = (k % ar_lines.len(), (k * 7919 + k / ar_lines.len()) % ar_lines.len());
            (
                format!("{} {}", ar_lines[a], ar_lines[b]),
                format!("{} {}", en_lines[a], en_lines[b]),
            )
        })
        .collect();
    let (t, c0) = (Instant::now(), cpu_seconds());
    let big = Lexicon::learn(pairs.iter().map(|(a, e)| (a.as_str(), e.as_str())));
    let cpu = match (c0, cpu_seconds()) {
        (Some(a), Some(b)) => format!("{:.2} s", b - a),
        _ => "?".to_string(),
    };
    println!(
        "learn {learn_pairs} pairs: cpu {cpu}  wall {:.3} s  entries {}",
        t.elapsed().as_secs_f64(),
        big.len()
    );
    drop(big);
    // IBM model 1 on the same pairs only when asked (`--ibm1`): about six times Dice's CPU.
    let ibm1_pairs = if std::env::args().any(|a| a == "--ibm1") {
        &pairs[..]
    } else {
        &[]
    };
    let (t, c0) = (Instant::now(), cpu_seconds());
    let ibm1 = Lexicon::learn_ibm1(ibm1_pairs.iter().map(|(a, e)| (a.as_str(), e.as_str())));
    let cpu = match (c0, cpu_seconds()) {
        (Some(a), Some(b)) => format!("{:.2} s", b - a),
        _ => "?".to_string(),
    };
    println!(
        "learn {} pairs, IBM model 1: cpu {cpu}  wall {:.3} s  entries {}",
        ibm1_pairs.len(),
        t.elapsed().as_secs_f64(),
        ibm1.len()
    );
    drop(ibm1);
    for n in sizes {
        let para = |k: usize| k / 4;
        let ar: Vec<Sentence> = (0..n)
            .map(|k| Sentence::new(ar_lines[k % ar_lines.len()], para(k)))
            .collect();
        // the translation, with every 97th English sentence dropped and then padded back to n
        let mut en: Vec<Sentence> = (0..n)
            .filter(|k| k % 97 != 50)
            .map(|k| Sentence::new(en_lines[k % en_lines.len()], para(k)))
            .collect();
        let mut k = 0;
        while en.len() < n {
            en.push(Sentence::new(en_lines[k % en_lines.len()], para(n + k)));
            k += 1;
        }
        // an unrelated English document: the sample rotated by a third and reversed in blocks
        let other: Vec<Sentence> = (0..n)
            .map(|k| Sentence::new(en_lines[(k * 7 + en_lines.len() / 3) % en_lines.len()], para(k)))
            .collect();
        // the Arabic with every 10th sentence run into the next one (its final stop removed), as
        // a segmenter leaves a sentence that ends without punctuation: re-segmentation's work
        let mut ar_run: Vec<Sentence> = Vec::with_capacity(n);
        for (k, s) in ar.iter().enumerate() {
            match ar_run.last_mut() {
                Some(last) if k % 10 == 1 => {
                    let head = last.text.trim_end_matches(['.', '!', '؟', '?']).to_string();
                    last.text = format!("{head} {}", s.text);
                }
                _ => ar_run.push(s.clone()),
            }
        }
        for (name, ar_doc, en_doc, lex, reseg) in [
            ("translation, empty lexicon", &ar, &en, &Lexicon::default(), false),
            ("translation, built-in lexicon", &ar, &en, Lexicon::builtin(), false),
            ("translation, learned lexicon", &ar, &en, &lexicon, false),
            ("unrelated, empty lexicon", &ar, &other, &Lexicon::default(), false),
            ("unrelated, built-in lexicon", &ar, &other, Lexicon::builtin(), false),
            ("run-on Arabic, re-segmented", &ar_run, &en, &Lexicon::default(), true),
            (
                "run-on Arabic, built-in lexicon",
                &ar_run,
                &en,
                Lexicon::builtin(),
                true,
            ),
        ] {
            let (t, c0) = (Instant::now(), cpu_seconds());
            let (links, splits) = if reseg {
                let a = align_resegmented(ar_doc, en_doc, lex, &AlignOptions::default());
                (a.links, format!("  splits {}", a.splits))
            } else {
                (align(ar_doc, en_doc, lex, &AlignOptions::default()), String::new())
            };
            let secs = t.elapsed().as_secs_f64();
            let cpu = match (c0, cpu_seconds()) {
                (Some(a), Some(b)) => format!("{:.2} s", b - a),
                _ => "?".to_string(),
            };
            let one_one = links
                .iter()
                .filter(|l| l.ar_ids.len() == 1 && l.en_ids.len() == 1)
                .count();
            let mean_conf = links.iter().map(|l| l.confidence).sum::<f64>() / links.len().max(1) as f64;
            println!(
                "{n:>6} x {n:<6} {name:<30} cpu {cpu:>7}  wall {secs:>6.3} s  links {:>6}  1-1 {:>6}  mean confidence {mean_conf:.3}{splits}",
                links.len(),
                one_one
            );
        }
    }
}
