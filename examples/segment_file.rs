//! Segments a file (or standard input with `-`) and prints one segment per line.
//!
//! `cargo run --release --example segment_file -- FILE [LANG] [RULES.srx]`
use std::io::{Read, Write};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "-".to_string());
    let lang = args.next().unwrap_or_else(|| "ar".to_string());
    let mut text = String::new();
    if path == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(&path)?;
    }
    let segmenter = match args.next() {
        Some(rules) => mizan::segment::Segmenter::from_srx(&std::fs::read_to_string(rules)?, &lang)?,
        None => mizan::segment::Segmenter::for_language(&lang),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for s in segmenter.segment(&text) {
        writeln!(out, "{}", s.text)?;
    }
    out.flush()?;
    Ok(())
}
