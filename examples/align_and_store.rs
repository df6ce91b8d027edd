//! Aligns the seed article (`seeds/seed-article.ar.txt`) with its English translation and stores
//! the sentence pairs in a translation memory: `mizan align --import` as one library call.
//!
//! ```text
//! cargo run --example align_and_store [-- TM_PATH [AR_FILE EN_FILE]]
//! ```
//! Without `TM_PATH` the TM lives in memory. Pairs of confidence 0.5 and up are stored, with
//! origin `align` and status `unreviewed` (machine output until a person confirms it).
use std::path::{Path, PathBuf};

use mizan::tm::{LangTag, OpenMode, Tm};
use mizan::workflow::{align_and_store, AlignAndStoreOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let (ar_path, en_path) = match &args[..] {
        [_, ar, en] => (PathBuf::from(ar), PathBuf::from(en)),
        [] | [_] => (seeds.join("seed-article.ar.txt"), seeds.join("seed-article.en.txt")),
        _ => return Err("usage: align_and_store [TM_PATH [AR_FILE EN_FILE]]".into()),
    };
    let ar_text = std::fs::read_to_string(&ar_path)?;
    let en_text = std::fs::read_to_string(&en_path)?;

    let mut tm = match args.first() {
        Some(path) => Tm::open(Path::new(path), OpenMode::Create)?,
        None => Tm::open_in_memory()?,
    };
    let mut opts = AlignAndStoreOptions::new(LangTag::parse("ar")?, LangTag::parse("en")?);
    opts.store.document = ar_path.file_name().map(|n| n.to_string_lossy().to_string());
    let done = align_and_store(&mut tm, &ar_text, &en_text, &opts)?;

    let aligned = &done.aligned;
    println!(
        "aligned {} Arabic and {} English sentences into {} links",
        aligned.ar.len(),
        aligned.en.len(),
        aligned.links.len()
    );
    println!(
        "stored {} {} in {} ({} below confidence {:.2}, {} already there, {} one-sided)",
        done.store.stored,
        if done.store.stored == 1 { "pair" } else { "pairs" },
        tm.path().display(),
        done.store.below_min_confidence,
        opts.store.min_confidence,
        done.store.duplicates,
        done.store.one_sided
    );
    for l in aligned.links.iter().take(3) {
        println!("{:.3}  {}", l.confidence, aligned.ar_text(l));
        println!("       {}", aligned.en_text(l));
    }
    Ok(())
}
