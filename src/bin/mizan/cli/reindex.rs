//! `mizan reindex`: rebuild the fuzzy-match index from the units.
use std::process::ExitCode;

use super::Context;
use mizan::tm::OpenMode;

/// Arguments of `mizan reindex`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  mizan reindex    # after a crash of an old version, or to reclaim space after many deletions"
)]
pub struct Args {}

pub(super) fn run(ctx: &Context, _a: Args) -> anyhow::Result<ExitCode> {
    let mut tm = ctx.open_tm(OpenMode::Existing)?;
    let started = std::time::Instant::now();
    tm.reindex()?;
    eprintln!(
        "reindexed {} in {:.1} s",
        super::output::count(tm.stats()?.units, "unit"),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
