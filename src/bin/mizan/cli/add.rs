//! `mizan add`: store one human translation.
use std::process::ExitCode;

use super::Context;
use mizan::tm::{AddOutcome, DuplicatePolicy, NewUnit, OpenMode, Origin};

/// Arguments of `mizan add`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  mizan add --source 'زيارة نادرة' --target 'A rare visit' --author lina")]
pub struct Args {
    /// The source text.
    #[arg(long)]
    source: String,
    /// Its translation.
    #[arg(long)]
    target: String,
    /// Who translated it [default: $USER].
    #[arg(long)]
    author: Option<String>,
    /// A note kept with the unit.
    #[arg(long)]
    note: Option<String>,
    /// The document the segment belongs to.
    #[arg(long)]
    document: Option<String>,
    /// Its 0-based segment position in that document.
    #[arg(long, requires = "document")]
    position: Option<i64>,
    /// Replace the target of a unit with the same source instead of keeping both.
    #[arg(long)]
    replace: bool,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    let mut unit = NewUnit::with_tags(
        ctx.src_lang.clone(),
        ctx.tgt_lang.clone(),
        a.source,
        a.target,
        Origin::Human,
    )
    .map_err(|e| super::UsageError(e.to_string()))?;
    unit.created_by = a
        .author
        .or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.is_empty());
    unit.note = a.note;
    unit.document = a.document;
    unit.position = a.position;
    let mut tm = ctx.open_tm(OpenMode::Create)?;
    let policy = if a.replace {
        DuplicatePolicy::Replace
    } else {
        DuplicatePolicy::KeepBoth
    };
    let outcome = tm.add(&unit, policy)?;
    match outcome {
        AddOutcome::Duplicate(id) => eprintln!("mizan: unit {id} already holds this translation; nothing changed"),
        AddOutcome::MarkedReviewed(id) => {
            eprintln!("mizan: unit {id} already holds this translation; it is now reviewed")
        }
        AddOutcome::Replaced(id) => eprintln!("mizan: replaced the target of unit {id}"),
        _ => {}
    }
    println!("{}", outcome.id());
    Ok(ExitCode::SUCCESS)
}
