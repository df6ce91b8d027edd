//! `mizan stats`: what the TM holds.
use std::process::ExitCode;

use super::{output, Context};
use mizan::tm::OpenMode;

/// Arguments of `mizan stats`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  mizan stats --json")]
pub struct Args {
    /// One JSON object: units, language_pairs, origins, statuses, documents, dates.
    #[arg(long)]
    json: bool,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    let tm = ctx.open_tm(OpenMode::ReadOnly)?;
    let s = tm.stats()?;
    let mut out = std::io::stdout().lock();
    if a.json {
        output::json_line(&mut out, &s)?;
        return Ok(ExitCode::SUCCESS);
    }
    use std::io::Write;
    writeln!(out, "{}: {}", tm.location(), super::output::count(s.units, "unit"))?;
    for p in &s.language_pairs {
        writeln!(out, "  {} → {}: {}", p.source, p.target, p.units)?;
    }
    let origins: Vec<String> = s.origins.iter().map(|(k, v)| format!("{k} {v}")).collect();
    writeln!(out, "origins: {}", origins.join(", "))?;
    let statuses: Vec<String> = s.statuses.iter().map(|(k, v)| format!("{k} {v}")).collect();
    writeln!(out, "statuses: {}", statuses.join(", "))?;
    writeln!(out, "documents: {}", s.documents)?;
    if let (Some(f), Some(l)) = (&s.first_created, &s.last_changed) {
        writeln!(out, "created from {f}, last changed {l}")?;
    }
    Ok(ExitCode::SUCCESS)
}
