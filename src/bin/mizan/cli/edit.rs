//! `mizan delete` and `mizan edit`: fix a wrong unit.
use std::process::ExitCode;

use super::Context;
use mizan::tm::OpenMode;

/// Arguments of `mizan delete`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  mizan delete 17 18")]
pub struct DeleteArgs {
    /// Ids of the units to delete.
    #[arg(required = true)]
    ids: Vec<i64>,
}

/// Arguments of `mizan edit`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  mizan edit 17 --target 'A rare visit'")]
pub struct EditArgs {
    /// Id of the unit.
    id: i64,
    /// The corrected translation.
    #[arg(long)]
    target: String,
    /// Who corrected it [default: $USER].
    #[arg(long)]
    author: Option<String>,
}

pub(super) fn run_delete(ctx: &Context, a: DeleteArgs) -> anyhow::Result<ExitCode> {
    let mut tm = ctx.open_tm(OpenMode::Existing)?;
    let missing = tm.delete(&a.ids)?;
    let deleted = a.ids.len() - missing.len();
    println!("deleted {deleted}");
    if missing.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        let list: Vec<String> = missing.iter().map(i64::to_string).collect();
        eprintln!("mizan: no unit with id {}", list.join(", "));
        Ok(ExitCode::from(1))
    }
}

pub(super) fn run_edit(ctx: &Context, a: EditArgs) -> anyhow::Result<ExitCode> {
    let mut tm = ctx.open_tm(OpenMode::Existing)?;
    let author = a.author.or_else(|| std::env::var("USER").ok());
    tm.edit_target(a.id, &a.target, author.as_deref())?;
    println!("{}", a.id);
    Ok(ExitCode::SUCCESS)
}
