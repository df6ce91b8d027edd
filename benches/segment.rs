//! Segmentation throughput on Arabic and English news text (divan).
//!
//! `cargo bench --bench segment` — the text is the seed article plus the gold-set news sentences of
//! `tests/data/segment/`, repeated to about 1 MB; divan reports bytes per second.
use std::path::Path;

use divan::counter::BytesCount;
use divan::Bencher;

fn main() {
    divan::main();
}

/// News text from the repository's segmentation data, repeated to at least `bytes` bytes.
fn news(lang: &str, bytes: usize) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/segment");
    let mut base = String::new();
    if lang == "ar" {
        base.push_str(&std::fs::read_to_string(dir.join("seed-article.ar.txt")).unwrap_or_default());
        base.push_str("\n\n");
    }
    let gold = std::fs::read_to_string(dir.join(format!("{lang}.gold"))).unwrap_or_default();
    for line in gold.lines() {
        if !(line.starts_with("===") || line.starts_with('#') || line == "---") {
            base.push_str(line);
            base.push('\n');
        }
    }
    assert!(!base.trim().is_empty(), "no benchmark text found in {}", dir.display());
    let mut text = String::with_capacity(bytes + base.len());
    while text.len() < bytes {
        text.push_str(&base);
        text.push('\n');
    }
    text
}

#[divan::bench(args = ["ar", "en"])]
fn segment_1mb(bencher: Bencher, lang: &str) {
    let text = news(lang, 1 << 20);
    let segmenter = mizan::segment::Segmenter::for_language(lang);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| segmenter.segment(divan::black_box(&text)));
}

#[divan::bench]
fn compile_builtin_arabic_rules() -> mizan::segment::Segmenter {
    mizan::segment::Segmenter::from_srx(mizan::segment::BUILTIN_SRX, "ar").expect("built-in rules compile")
}
