//! `mizan align`: align an Arabic document with its English translation into sentence pairs with
//! a confidence each; print them for review, or store them in the TM.
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::{output, Context, UsageError};
use mizan::align::{
    align, align_resegmented, document_sentences, AlignOptions, Lexicon, Link, Sentence, MAX_LEARN_PAIRS,
};
use mizan::segment::Segmenter;
use mizan::tm::{DuplicatePolicy, NewUnit, OpenMode, Origin, Tm, UnitFilter};

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
    /// Store the 1-1, 2-1, 1-2 and 2-2 links at or above --min-confidence in the TM (origin align,
    /// status unreviewed: machine output until a person confirms it).
    #[arg(long)]
    import: bool,
    /// Lowest confidence to store with --import; links below it are listed on stderr.
    #[arg(long, default_value_t = 0.5)]
    min_confidence: f64,
    /// Plain Gale–Church: the length model only (no anchors, paragraphs or lexicon).
    #[arg(long)]
    gale_church: bool,
    /// Do not learn a lexicon from the TM's own pairs.
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

/// The texts of a link's sentences joined by one space, as one TSV field.
pub(super) fn join(ids: &[usize], s: &[Sentence]) -> String {
    ids.iter()
        .map(|&i| output::tsv_field(&s[i].text))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Learns the aligner's lexicon from the TM's pairs of this language pair (at most
/// [`MAX_LEARN_PAIRS`]).
fn learn_lexicon(tm: &Tm, ctx: &Context) -> anyhow::Result<Lexicon> {
    let filter = UnitFilter {
        source_lang: Some(ctx.src_lang.clone()),
        target_lang: Some(ctx.tgt_lang.clone()),
        ..Default::default()
    };
    let mut pairs = Vec::new();
    tm.visit_units(&filter, |u| {
        pairs.push((u.source, u.target));
        pairs.len() < MAX_LEARN_PAIRS
    })?;
    Ok(Lexicon::learn(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str()))))
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    if !(0.0..=1.0).contains(&a.min_confidence) {
        return Err(UsageError("--min-confidence must be between 0 and 1".into()).into());
    }
    let ar_text = super::read_text(&a.ar_file)?;
    let en_text = super::read_text(&a.en_file)?;
    let ar = document_sentences(
        &ar_text,
        &Segmenter::for_language(ctx.src_lang.as_str()),
        a.presegmented,
    );
    let en = document_sentences(
        &en_text,
        &Segmenter::for_language(ctx.tgt_lang.as_str()),
        a.presegmented,
    );
    if ar.is_empty() && en.is_empty() {
        eprintln!("mizan: both documents are empty: nothing to align");
    }
    let opts = if a.gale_church {
        AlignOptions::gale_church()
    } else {
        AlignOptions::default()
    };
    let mut tm = if a.import {
        Some(ctx.open_tm(OpenMode::Create)?)
    } else if ctx.tm_path.exists() && !a.no_lexicon && !a.gale_church {
        ctx.open_tm(OpenMode::ReadOnly).ok()
    } else {
        None
    };
    let lexicon = match (&tm, a.no_lexicon || a.gale_church) {
        (Some(tm), false) => learn_lexicon(tm, ctx)?,
        _ => Lexicon::default(),
    };
    // Segmenter output may be corrected by the alignment; pre-segmented lines stay as given.
    let (ar, en, links) = if a.presegmented {
        let links = align(&ar, &en, &lexicon, &opts);
        (ar, en, links)
    } else {
        let r = align_resegmented(&ar, &en, &lexicon, &opts);
        (r.ar, r.en, r.links)
    };

    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut low = 0;
    for l in &links {
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
                ar: join(&l.ar_ids, &ar),
                en: join(&l.en_ids, &en),
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
                join(&l.ar_ids, &ar),
                join(&l.en_ids, &en),
                l.confidence
            )?;
        }
    }
    out.flush()?;
    eprintln!(
        "{} links ({} below {:.2}) for {} Arabic and {} English sentences",
        links.len(),
        low,
        a.min_confidence,
        ar.len(),
        en.len()
    );
    if let Some(tm) = tm.as_mut().filter(|_| a.import) {
        let document = a.ar_file.file_name().map(|n| n.to_string_lossy().to_string());
        let stored = store(tm, ctx, &links, &ar, &en, a.min_confidence, document)?;
        eprintln!(
            "stored {stored} pairs in {} (origin align, unreviewed until confirmed)",
            tm.path().display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn ids(v: &[usize]) -> String {
    v.iter().map(usize::to_string).collect::<Vec<_>>().join(",")
}

/// Stores the links with both sides and at least `min` confidence as units of origin `align`,
/// unreviewed (the origin's default status: alignment is machine output), in one transaction;
/// returns how many were added.
pub(super) fn store(
    tm: &mut Tm,
    ctx: &Context,
    links: &[Link],
    ar: &[Sentence],
    en: &[Sentence],
    min: f64,
    document: Option<String>,
) -> anyhow::Result<usize> {
    let mut batch = tm.batch(DuplicatePolicy::KeepBoth)?;
    let mut stored = 0;
    for l in links
        .iter()
        .filter(|l| !l.ar_ids.is_empty() && !l.en_ids.is_empty() && l.confidence >= min)
    {
        let Ok(mut unit) = NewUnit::with_tags(
            ctx.src_lang.clone(),
            ctx.tgt_lang.clone(),
            join(&l.ar_ids, ar),
            join(&l.en_ids, en),
            Origin::Align,
        ) else {
            continue;
        };
        unit.document = document.clone();
        unit.position = Some(l.ar_ids[0] as i64);
        unit.props
            .push(("x-mizan-confidence".into(), format!("{:.3}", l.confidence)));
        if matches!(batch.add(&unit)?, mizan::tm::AddOutcome::Added(_)) {
            stored += 1;
        }
    }
    batch.commit()?;
    Ok(stored)
}
