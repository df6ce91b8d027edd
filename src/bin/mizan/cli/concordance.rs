//! `mizan concordance`: units whose source (or target) contains a term, normalization applied.
use std::io::Write;
use std::process::ExitCode;

use super::{output, Context, UsageError};
use mizan::tm::OpenMode;

/// Arguments of `mizan concordance`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan concordance 'الرئيس الروسي'      # also finds والرئيس الروسي, الرئيسَ الروسيّ\n  mizan concordance --target 'sanctions' --json"
)]
pub struct Args {
    /// The term or phrase.
    term: String,
    /// Search the targets instead of the sources.
    #[arg(long)]
    target: bool,
    /// Most units to show.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// JSON Lines: one {"id","source","target","origin","status"} per unit.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct Hit<'a> {
    id: i64,
    source: &'a str,
    target: &'a str,
    origin: &'a str,
    status: &'a str,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    if mizan::text::normalize(&a.term).trim().is_empty() {
        // An empty term would match every unit: that is a mistake in the call, not a search.
        return Err(UsageError(
            "the term is empty (or only marks that matching ignores): give a word or phrase to look for".into(),
        )
        .into());
    }
    let tm = ctx.open_tm(OpenMode::ReadOnly)?;
    let units = tm.concordance(&a.term, a.target, a.limit)?;
    let terminal = output::stdout_is_terminal();
    let mut out = std::io::stdout().lock();
    for u in &units {
        if a.json {
            output::json_line(
                &mut out,
                &Hit {
                    id: u.id,
                    source: &u.source,
                    target: &u.target,
                    origin: u.origin.as_str(),
                    status: u.status.as_str(),
                },
            )?;
        } else {
            writeln!(
                out,
                "#{}  {}, {}  {}",
                u.id,
                u.origin.as_str(),
                u.status,
                output::display(&u.source, terminal)
            )?;
            writeln!(out, "     → {}", output::display(&u.target, terminal))?;
        }
    }
    if !a.json && units.is_empty() {
        writeln!(out, "no unit contains {}", output::display(&a.term, terminal))?;
    }
    Ok(ExitCode::SUCCESS)
}
