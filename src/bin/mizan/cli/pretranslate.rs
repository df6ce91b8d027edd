//! `mizan pretranslate`: every segment of an article with its best suggestion, as TSV for a
//! translator to fill in, TMX, or XLIFF 1.2 for CAT tools. Every suggestion is written as
//! unreviewed, with its score, unit id and the unit's status ([`mizan::formats::pretranslated`]).
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{ranking::PenaltyArgs, Context, UsageError};
use mizan::formats::pretranslated::{write_tmx, write_tsv};
use mizan::formats::xliff::write_xliff;
use mizan::report::pretranslate;
use mizan::segment::Segmenter;
use mizan::tm::suggest::MatchOptions;
use mizan::tm::OpenMode;

/// Arguments of `mizan pretranslate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan pretranslate new.ar.txt --out new.tsv      # edit the suggestion column (or write yes under confirmed), then:\n  mizan import new.tsv                              # stores edited and confirmed lines as reviewed translations\n  mizan pretranslate new.ar.txt --format xliff --out new.xlf"
)]
pub struct Args {
    /// The article (plain text, one paragraph per line; `-` for standard input).
    file: PathBuf,
    /// Lowest score to suggest (after penalties).
    #[arg(long, default_value_t = 75.0)]
    min: f64,
    /// Output format: tsv (index, source, suggestion, score, origin, unit_id, status, confirmed,
    /// original), tmx, or xliff (1.2).
    #[arg(long, default_value = "tsv", value_parser = ["tsv", "tmx", "xliff"])]
    format: String,
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
    let opts = MatchOptions {
        min: a.min,
        top: a.alternatives,
        exhaustive: false,
        penalties: a.ranking.penalties()?,
    };
    let text = super::read_text(&a.file)?;
    let mut tm = ctx.open_tm(OpenMode::ReadOnly)?;
    tm.load_index()?;
    let segs = pretranslate(&tm, &text, &Segmenter::for_language(ctx.src_lang.as_str()), &opts)?;
    let document = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "stdin".into());
    let write = |w: &mut dyn Write| -> anyhow::Result<()> {
        match a.format.as_str() {
            "tmx" => write_tmx(w, &ctx.src_lang, &ctx.tgt_lang, &document, &segs)?,
            "xliff" => write_xliff(w, &document, ctx.src_lang.as_str(), ctx.tgt_lang.as_str(), &segs)?,
            _ => write_tsv(w, &segs)?,
        }
        Ok(())
    };
    if a.out == Path::new("-") {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        write(&mut out)?;
        out.flush()?;
    } else {
        super::export::write_file_atomically(&a.out, &ctx.tm_path, |w| write(w))?;
    }
    let matched = segs.iter().filter(|s| !s.matches.is_empty()).count();
    eprintln!("{} segments, {matched} with a suggestion ≥ {}", segs.len(), a.min);
    Ok(ExitCode::SUCCESS)
}
