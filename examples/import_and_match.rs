//! Imports translation pairs from a TSV text into a translation memory in memory, then looks up
//! fuzzy matches for a new sentence: the library's import and match in a few lines.
//!
//! ```text
//! cargo run --example import_and_match [-- "Arabic sentence"]
//! ```
//! Without an argument it matches a sentence of the seed article with one number changed
//! (24 → 25 years): the stored translation comes back with the new number put in.
use mizan::formats::{self, Format, ReadOptions};
use mizan::tm::import::{import, ImportOptions};
use mizan::tm::suggest::MatchOptions;
use mizan::tm::{LangTag, Tm};

/// Five pairs of the seed article (`seeds/seed-article.pairs.tsv`), with its header line.
const PAIRS: &str = "source\ttarget\n\
بوتين خلال زيارة نادرة لكوريا الشمالية: نحن نحارب الإمبريالية الأمريكية (فيديو)\tPutin on rare visit to North Korea: We are fighting American imperialism (video)\n\
زيارة نادرة\tA rare visit\n\
والزيارة هي الأولى لبوتين إلى العاصمة الكورية الشمالية منذ 24 عامًا، ومن المرجح أن تعيد تشكيل عقود من العلاقات بين البلدين في وقت يواجهان فيه عزلة دولية.\tThe visit is Putin's first to the North Korean capital in 24 years and is likely to reshape decades of relations between the two countries at a time when both face international isolation.\n\
الزيارة تثير قلق أمريكا\tVisit stirs US concern\n\
على الجانب المقابل، قالت واشنطن إن زيارة بوتين إلى كوريا الشمالية تثير “قلقًا كبيرًا”.\tWashington, for its part, said Putin's visit to North Korea was a matter of “great concern.”\n";

/// A stored sentence with "24 years" changed to "25 years".
const QUERY: &str = "والزيارة هي الأولى لبوتين إلى العاصمة الكورية الشمالية منذ 25 عامًا، ومن المرجح أن تعيد تشكيل عقود من العلاقات بين البلدين في وقت يواجهان فيه عزلة دولية.";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let query = std::env::args().nth(1).unwrap_or_else(|| QUERY.to_string());
    let (ar, en) = (LangTag::parse("ar")?, LangTag::parse("en")?);

    // A TM in memory (Tm::open(path, OpenMode::Create) for a file), matching ar → en only.
    let mut tm = Tm::open_in_memory()?;
    tm.set_language_pair(Some((ar.clone(), en.clone())));

    // Any format mizan reads (TSV, CSV, JSON Lines, TMX) from any reader, in one transaction.
    let records = formats::reader(
        Format::Tsv,
        PAIRS.as_bytes(),
        ReadOptions {
            file: "pairs.tsv".into(),
            source_lang: ar,
            target_lang: en,
        },
    )?;
    let report = import(&mut tm, records, &ImportOptions::default(), |bad| {
        eprintln!("pairs.tsv:{}: {}", bad.line, bad.reason)
    })?;
    println!("imported {} pairs ({} rejected)", report.added, report.rejected);

    // The best matches scoring 50 or more, at most three.
    let opts = MatchOptions {
        min: 50.0,
        top: 3,
        ..MatchOptions::default()
    };
    let matches = tm.suggest(&query, &opts)?;
    println!("query: {query}");
    if matches.is_empty() {
        println!("no match of 50 or more");
    }
    for m in matches {
        println!(
            "{:5.1}  unit {} ({}, {})  {}",
            m.score,
            m.unit.id,
            m.unit.origin.as_str(),
            m.unit.status.as_str(),
            m.unit.source
        );
        println!("       → {}", m.suggestion);
    }
    Ok(())
}
