//! `mizan export`: the TM as TMX 1.4b, streamed from a cursor straight to the output
//! ([`mizan::workflow::export_tmx`]).
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Context, UsageError};
use mizan::tm::{date, OpenMode, Origin, Status, UnitFilter};
use mizan::workflow::export_tmx;

/// Arguments of `mizan export`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan export --out memory.tmx\n  mizan export --since 2026-01-01 --origin human > recent.tmx\n  mizan export --status reviewed --out trusted.tmx"
)]
pub struct Args {
    /// Output file (`-` for standard output). A file is written whole or not at all.
    #[arg(long, short, default_value = "-")]
    out: PathBuf,
    /// Only units created or changed on or after this date (2026-11-27 or 2026-11-27T10:00:00Z).
    #[arg(long)]
    since: Option<String>,
    /// Only units of this origin.
    #[arg(long, value_parser = ["human", "import", "align", "tmx"])]
    origin: Option<String>,
    /// Only units of this review status (every `<tu>` carries it as `x-mizan-status`).
    #[arg(long, value_parser = ["reviewed", "unreviewed"])]
    status: Option<String>,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    let since = a
        .since
        .as_deref()
        .map(date::parse)
        .transpose()
        .map_err(|e| UsageError(format!("--since: {e}")))?;
    let filter = UnitFilter {
        since,
        origin: a.origin.as_deref().and_then(Origin::parse),
        status: a.status.as_deref().and_then(Status::parse),
        source_lang: ctx.langs_given.then(|| ctx.src_lang.clone()),
        target_lang: ctx.langs_given.then(|| ctx.tgt_lang.clone()),
    };
    let tm = ctx.open_tm(OpenMode::ReadOnly)?;
    // Progress on a terminal's stderr (never on a pipe), like import's.
    let bar = super::output::progress_unsized("exporting");
    let report = if a.out == Path::new("-") {
        let stdout = std::io::stdout().lock();
        let out = super::output::ProgressWriter::new(stdout, bar.clone());
        export_tmx(&*tm, &filter, std::io::BufWriter::with_capacity(1 << 16, out))?
    } else {
        // Whole or not at all, and never over the TM.
        mizan::outfile::write_atomically(&a.out, tm.file(), |w| {
            export_tmx(&*tm, &filter, super::output::ProgressWriter::new(w, bar.clone()))
        })?
    };
    bar.finish_and_clear();
    let dest = if a.out == Path::new("-") {
        "standard output".to_string()
    } else {
        a.out.display().to_string()
    };
    eprintln!(
        "exported {} to {dest}",
        super::output::count(report.units as u64, "unit")
    );
    if report.forbidden_chars > 0 {
        eprintln!(
            "note: {} characters that XML 1.0 forbids were left out of the XML text (kept exactly in x-mizan-*-raw properties)",
            report.forbidden_chars
        );
    }
    Ok(ExitCode::SUCCESS)
}
