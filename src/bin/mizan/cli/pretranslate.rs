//! `mizan pretranslate`: every segment of an article with its best suggestion, as TSV for a
//! translator to fill in, TMX, or XLIFF 1.2 / 2.1 for CAT tools. Every suggestion is written as
//! unreviewed, with its score, unit id and the unit's status ([`mizan::workflow::pretranslate`]).
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{ranking::PenaltyArgs, Context, UsageError};
use mizan::tm::suggest::MatchOptions;
use mizan::tm::OpenMode;
use mizan::workflow::{pretranslate, PretranslateFormat, PretranslateOptions};

/// Arguments of `mizan pretranslate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan pretranslate new.ar.txt --out new.tsv      # edit the suggestion column (or write yes under confirmed), then:\n  mizan import new.tsv                              # stores edited and confirmed lines as reviewed translations\n  mizan pretranslate new.ar.txt --format xliff --out new.xlf    # XLIFF 1.2; open it in a CAT tool, then:\n  mizan import new.xlf                              # stores the segments the translator finished\n  mizan pretranslate new.ar.txt --format xliff2 --out new.xlf   # XLIFF 2.1 with the matches module\n  mizan pretranslate new.ar.txt --format xliff --copy-source --out new.xlf   # for OmegaT"
)]
pub struct Args {
    /// The article (plain text, one paragraph per line; `-` for standard input).
    file: PathBuf,
    /// Lowest score to suggest (after penalties).
    #[arg(long, default_value_t = 75.0)]
    min: f64,
    /// Output format: tsv (index, source, suggestion, score, origin, unit_id, status, confirmed,
    /// original), tmx, xliff (XLIFF 1.2) or xliff2 (XLIFF 2.1).
    #[arg(long, default_value = "tsv", value_parser = ["tsv", "tmx", "xliff", "xliff2"])]
    format: String,
    /// XLIFF: give a segment without a suggestion a target holding a copy of its source (state
    /// `new`). OmegaT's XLIFF filter translates the target and skips a segment without one.
    #[arg(long)]
    copy_source: bool,
    /// Output file (`-` for standard output); a file is written whole or not at all.
    #[arg(long, short, default_value = "-")]
    out: PathBuf,
    /// Matches per segment kept as alternatives in XLIFF.
    #[arg(long, default_value_t = 3)]
    alternatives: usize,
    #[command(flatten)]
    ranking: PenaltyArgs,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    if !(0.0..=100.0).contains(&a.min) {
        return Err(UsageError("--min must be between 0 and 100".into()).into());
    }
    let document = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "stdin".into());
    let opts = PretranslateOptions {
        format: PretranslateFormat::parse(&a.format).unwrap_or_default(),
        xliff: mizan::formats::xliff::XliffOptions {
            copy_source: a.copy_source,
        },
        matches: MatchOptions {
            min: a.min,
            top: a.alternatives,
            exhaustive: false,
            penalties: a.ranking.penalties()?,
        },
        ..PretranslateOptions::new(ctx.src_lang.clone(), ctx.tgt_lang.clone(), document)
    };
    let text = super::read_text(&a.file)?;
    let mut tm = ctx.open_tm(OpenMode::ReadOnly)?;
    tm.prepare_for_queries()?;
    let report = if a.out == Path::new("-") {
        pretranslate(&*tm, &text, std::io::BufWriter::new(std::io::stdout().lock()), &opts)?
    } else {
        // Whole or not at all, and never over the TM.
        mizan::outfile::write_atomically(&a.out, tm.file(), |w| pretranslate(&*tm, &text, w, &opts))?
    };
    eprintln!(
        "{}, {} with a suggestion ≥ {}",
        super::output::count(report.segments as u64, "segment"),
        report.with_suggestion,
        a.min
    );
    Ok(ExitCode::SUCCESS)
}
