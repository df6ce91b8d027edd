//! `mizan analyze`: the leverage report of new articles against the TM
//! ([`mizan::workflow::analyze`]), as a table or JSON.
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{output, ranking::PenaltyArgs, Context, UsageError};
use mizan::report::{Analysis, Bands, FileAnalysis};
use mizan::tm::OpenMode;
use mizan::workflow::{analyze, AnalyzeOptions};

/// Arguments of `mizan analyze`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan analyze new-article.ar.txt\n  mizan analyze a.txt b.txt --json --bands 100,90,70,50"
)]
pub struct Args {
    /// Article files (plain text, one paragraph per line; `-` for standard input).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Fuzzy band thresholds, from 100 down (each ≥ 50).
    #[arg(long, default_value = "100,95,85,75,50")]
    bands: String,
    /// One JSON object (schemas/analysis.schema.json).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    ranking: PenaltyArgs,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    let opts = AnalyzeOptions {
        bands: Bands::parse(&a.bands).map_err(|e| UsageError(e.to_string()))?,
        penalties: a.ranking.penalties()?,
        ..AnalyzeOptions::new(ctx.src_lang.clone())
    };
    let mut docs = Vec::new();
    for f in &a.files {
        docs.push((f.display().to_string(), super::read_text(f)?));
    }
    let mut tm = ctx.open_tm(OpenMode::ReadOnly)?;
    tm.prepare_for_queries()?;
    let result = analyze(&*tm, &docs, &opts)?;
    let mut out = std::io::stdout().lock();
    if a.json {
        output::json_line(&mut out, &result)?;
    } else {
        print_table(&mut out, &result)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(out: &mut impl Write, r: &Analysis) -> std::io::Result<()> {
    let mut table = |f: &FileAnalysis| -> std::io::Result<()> {
        writeln!(out, "{}", f.file)?;
        writeln!(
            out,
            "  {:<12} {:>9} {:>9} {:>11} {:>8} {:>10}",
            "band", "segments", "words", "characters", "% words", "in frags"
        )?;
        for b in &f.bands {
            let pct = if f.counts.words == 0 {
                0.0
            } else {
                100.0 * b.counts.words as f64 / f.counts.words as f64
            };
            // Fragment words are counted for new segments only: the column is empty elsewhere.
            let frags = if b.band == "new" {
                b.counts.fragment_words.to_string()
            } else {
                String::new()
            };
            let line = format!(
                "  {:<12} {:>9} {:>9} {:>11} {:>7.1}% {:>10}",
                b.band, b.counts.segments, b.counts.words, b.counts.characters, pct, frags
            );
            writeln!(out, "{}", line.trim_end())?;
        }
        writeln!(
            out,
            "  {:<12} {:>9} {:>9} {:>11} {:>8} {:>10}",
            "total", f.counts.segments, f.counts.words, f.counts.characters, "", f.counts.fragment_words
        )
    };
    for f in &r.files {
        table(f)?;
    }
    if r.files.len() > 1 {
        table(&r.total)?;
    }
    Ok(())
}
