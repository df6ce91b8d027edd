//! Writes a translation memory to standard output as TMX 1.4b.
//!
//! ```text
//! cargo run --example export_tmx [-- TM_PATH] > memory.tmx
//! ```
//! Without `TM_PATH` it exports a TM in memory holding the seed article's hand-checked pairs
//! (`seeds/seed-article.pairs.tsv`). The count of units goes to standard error.
use std::io::Write;
use std::path::Path;

use mizan::formats::{self, Format, ReadOptions};
use mizan::tm::import::{import, ImportOptions};
use mizan::tm::{LangTag, OpenMode, Tm, UnitFilter};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tm = match std::env::args().nth(1) {
        // An existing TM, opened for reading only.
        Some(path) => Tm::open(Path::new(&path), OpenMode::ReadOnly)?,
        None => seed_tm()?,
    };
    let stdout = std::io::stdout().lock();
    let report = mizan::workflow::export_tmx(&tm, &UnitFilter::default(), std::io::BufWriter::new(stdout))?;
    writeln!(std::io::stderr(), "exported {} units", report.units)?;
    Ok(())
}

/// A TM in memory with the seed article's hand-checked pairs.
fn seed_tm() -> Result<Tm, Box<dyn std::error::Error>> {
    let pairs = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/seed-article.pairs.tsv");
    let mut tm = Tm::open_in_memory()?;
    let records = formats::reader(
        Format::Tsv,
        std::io::BufReader::new(std::fs::File::open(&pairs)?),
        ReadOptions {
            file: pairs.display().to_string(),
            source_lang: LangTag::parse("ar")?,
            target_lang: LangTag::parse("en")?,
        },
    )?;
    import(&mut tm, records, &ImportOptions::default(), |_| {})?;
    Ok(tm)
}
