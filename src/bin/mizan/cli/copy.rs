//! `mizan copy`: every unit of one TM into another, a file or a PostgreSQL database either way
//! ([`mizan::workflow::copy`]).
use std::path::PathBuf;
use std::process::ExitCode;

use super::{display_location, open_location, output, Context, Mirror, UsageError};
use mizan::tm::OpenMode;
use mizan::workflow::{copy, CopyOptions};

/// Arguments of `mizan copy`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan copy --from tm.db --to postgres://lina@db.example/team\n  mizan copy --from postgres://lina@db.example/team --to backup.db"
)]
pub struct Args {
    /// The TM to read [default: --tm, $MIZAN_TM, else ./mizan.db].
    #[arg(long, value_name = "PATH|URL")]
    from: Option<PathBuf>,
    /// The TM to fill: a new file or empty database (created when missing).
    #[arg(long, value_name = "PATH|URL")]
    to: PathBuf,
    /// Add to a destination that already holds units (identical units are stored once).
    #[arg(long)]
    append: bool,
    /// One JSON object: units, added, duplicates, header_items, terms, terms_added.
    #[arg(long)]
    json: bool,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    let from_path = a.from.clone().unwrap_or_else(|| ctx.tm_path.clone());
    if same_location(&from_path, &a.to) {
        return Err(UsageError(format!(
            "--from and --to are the same translation memory ({})",
            display_location(&a.to)
        ))
        .into());
    }
    let from = open_location(&from_path, OpenMode::ReadOnly, ctx.wait, Mirror::InMemory)?;
    let mut to = open_location(&a.to, OpenMode::Create, ctx.wait, Mirror::InMemory)?;
    let report = copy(&*from, &mut *to, &CopyOptions { append: a.append })?;
    let mut out = std::io::stdout().lock();
    if a.json {
        output::json_line(&mut out, &report)?;
    } else {
        use std::io::Write;
        writeln!(
            out,
            "copied {} from {} to {}: added {}, already there {}",
            output::count(report.units, "unit"),
            display_location(&from_path),
            display_location(&a.to),
            report.added,
            report.duplicates
        )?;
        if report.terms > 0 {
            writeln!(
                out,
                "copied {} glossary {}: added {}, already there {}",
                report.terms,
                if report.terms == 1 { "entry" } else { "entries" },
                report.terms_added,
                report.terms - report.terms_added
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether two locations name the same TM: the same URL, or the same file.
fn same_location(a: &std::path::Path, b: &std::path::Path) -> bool {
    if a == b {
        return true;
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
