//! `mizan align`: align an Arabic document with its English translation into sentence pairs with
//! a confidence each; print them for review, or store them in the TM
//! ([`mizan::workflow::align_and_store`]).
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::{output, Context, UsageError};
use mizan::align::{AlignOptions, Lexicon};
use mizan::tm::OpenMode;
use mizan::workflow::{
    align_and_store, align_documents, aligner_lexicon, AlignAndStoreOptions, DocumentAlignOptions, SentenceSplit,
    StoreOptions,
};

/// Arguments of `mizan align`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan align seeds/seed-article.ar.txt seeds/seed-article.en.txt\n  mizan align ar.sent en.sent --presegmented --format json\n  mizan align article.ar.txt article.en.txt > review.tsv   # fix or delete lines, add a 6th field `yes` to confirm, then:\n  mizan import review.tsv                                    # stores the pairs (origin align; reviewed where confirmed)\n  mizan align article.ar.txt article.en.txt --import --min-confidence 0.5"
)]
pub struct Args {
    /// The Arabic document (UTF-8; one paragraph or headline per line).
    ar_file: PathBuf,
    /// Its English translation.
    en_file: PathBuf,
    /// The files hold one sentence per line (every line counts) instead of paragraphs.
    #[arg(long)]
    presegmented: bool,
    /// tsv: ar_ids, en_ids, ar_text, en_text, confidence; json: JSON Lines with the link kind.
    #[arg(long, default_value = "tsv", value_parser = ["tsv", "json"])]
    format: String,
    /// Store the 1-1, 2-1, 1-2 and 2-2 links at or above --min-confidence in the TM (origin
    /// align, status unreviewed: machine output until a person confirms it); 3-1 and 1-3 links
    /// are left for a person to review.
    #[arg(long)]
    import: bool,
    /// Lowest confidence to store with --import; links below it are listed on stderr.
    #[arg(long, default_value_t = 0.5)]
    min_confidence: f64,
    /// Plain Gale–Church: the length model only (no anchors, paragraphs or lexicon).
    #[arg(long)]
    gale_church: bool,
    /// Align without a lexicon: neither the built-in Arabic–English one nor one learned from
    /// the TM's own pairs (lengths and anchors only).
    #[arg(long)]
    no_lexicon: bool,
}

#[derive(Serialize)]
struct LinkOut<'a> {
    ar_ids: &'a [usize],
    en_ids: &'a [usize],
    ar: String,
    en: String,
    confidence: f64,
    kind: String,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    if !(0.0..=1.0).contains(&a.min_confidence) {
        return Err(UsageError("--min-confidence must be between 0 and 1".into()).into());
    }
    let ar_text = super::read_text(&a.ar_file)?;
    let en_text = super::read_text(&a.en_file)?;
    let alignment = DocumentAlignOptions {
        split: if a.presegmented {
            // Pre-segmented lines stay as given.
            SentenceSplit::Presegmented
        } else {
            // Segmenter output may be corrected by the alignment.
            SentenceSplit::SegmentAndCorrect
        },
        align: if a.gale_church {
            AlignOptions::gale_church()
        } else {
            AlignOptions::default()
        },
        ..DocumentAlignOptions::new(ctx.src_lang.clone(), ctx.tgt_lang.clone())
    };
    let learn = !a.no_lexicon && !a.gale_church;
    let (aligned, stored) = if a.import {
        let mut tm = ctx.open_tm(OpenMode::Create)?;
        let opts = AlignAndStoreOptions {
            alignment,
            learn_lexicon: learn,
            store: StoreOptions {
                min_confidence: a.min_confidence,
                document: a.ar_file.file_name().map(|n| n.to_string_lossy().to_string()),
            },
        };
        let done = align_and_store(&mut *tm, &ar_text, &en_text, &opts)?;
        (done.aligned, Some((done.store, ctx.tm_display())))
    } else {
        // The built-in lexicon, with the TM's own pairs when there is a TM to read.
        let tm = (learn && (ctx.tm_is_database() || ctx.tm_path.exists()))
            .then(|| ctx.open_tm(OpenMode::ReadOnly).ok())
            .flatten();
        let lexicon = if learn {
            aligner_lexicon(
                tm.as_deref().map(|t| t as &dyn mizan::store::Store),
                &ctx.src_lang,
                &ctx.tgt_lang,
            )?
        } else {
            Lexicon::default()
        };
        (align_documents(&ar_text, &en_text, &lexicon, &alignment), None)
    };
    let (ar, en) = (&aligned.ar, &aligned.en);
    if ar.is_empty() && en.is_empty() {
        eprintln!("mizan: both documents are empty: nothing to align");
    }

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut low = 0;
    for l in &aligned.links {
        if l.confidence < a.min_confidence {
            low += 1;
            eprintln!(
                "low confidence {:.3}: {} {} ↔ {}",
                l.confidence,
                l.kind(),
                if l.ar_ids.is_empty() {
                    "-".into()
                } else {
                    format!("ar {}", ids(&l.ar_ids))
                },
                if l.en_ids.is_empty() {
                    "-".into()
                } else {
                    format!("en {}", ids(&l.en_ids))
                }
            );
        }
        if a.format == "json" {
            let rec = LinkOut {
                ar_ids: &l.ar_ids,
                en_ids: &l.en_ids,
                ar: aligned.ar_text(l),
                en: aligned.en_text(l),
                confidence: (l.confidence * 1000.0).round() / 1000.0,
                kind: l.kind(),
            };
            output::json_line(&mut out, &rec)?;
        } else if !a.import {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{:.3}",
                ids(&l.ar_ids),
                ids(&l.en_ids),
                aligned.ar_text(l),
                aligned.en_text(l),
                l.confidence
            )?;
        }
    }
    out.flush()?;
    eprintln!(
        "{} ({} below {:.2}) for {} Arabic and {} English {}",
        output::count(aligned.links.len() as u64, "link"),
        low,
        a.min_confidence,
        ar.len(),
        en.len(),
        if ar.len() == 1 && en.len() == 1 {
            "sentence"
        } else {
            "sentences"
        }
    );
    if let Some((report, path)) = stored {
        eprintln!(
            "stored {} in {} (origin align, unreviewed until confirmed)",
            output::count(report.stored as u64, "pair"),
            path
        );
        if report.over_two > 0 {
            eprintln!(
                "not stored: {} with three sentences on a side (3-1, 1-3); review them in the output",
                output::count(report.over_two as u64, "link")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn ids(v: &[usize]) -> String {
    v.iter().map(usize::to_string).collect::<Vec<_>>().join(",")
}
