//! `mizan match`: fuzzy matches for each query, answered line by line.
use std::io::{BufRead, Write};
use std::process::ExitCode;

use serde::Serialize;

use super::{output, Context, UsageError};
use crate::tm::{OpenMode, Tm};

/// Arguments of `mizan match`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan match 'والزيارة هي الأولى لبوتين منذ 25 عامًا'\n  mizan match --json --min 50 < queries.txt   # one JSON line per query, flushed as it goes"
)]
pub struct Args {
    /// Queries; with none, each line of standard input is one query.
    queries: Vec<String>,
    /// Lowest score to report (0–100).
    #[arg(long, default_value_t = 75.0)]
    min: f64,
    /// Most matches per query.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// One JSON line per query: {"query","matches":[{"id","score","source","target","suggestion"}]}.
    #[arg(long)]
    json: bool,
    /// Scan every unit instead of using the index (the reference the index is tested against).
    #[arg(long)]
    exhaustive: bool,
}

/// One match as printed.
#[derive(Debug, Serialize)]
pub struct MatchOut {
    /// Unit id.
    pub id: i64,
    /// Score 0–100.
    pub score: f64,
    /// The unit's source.
    pub source: String,
    /// The unit's target.
    pub target: String,
    /// The target with the query's numbers substituted.
    pub suggestion: String,
}

#[derive(Serialize)]
struct QueryOut<'a> {
    query: &'a str,
    matches: Vec<MatchOut>,
}

/// Finds and resolves the matches of one query.
pub(crate) fn find(tm: &Tm, query: &str, min: f64, top: usize, exhaustive: bool) -> anyhow::Result<Vec<MatchOut>> {
    Ok(tm
        .suggest(query, min, top, exhaustive)?
        .into_iter()
        .map(|s| MatchOut {
            id: s.unit.id,
            score: s.score,
            source: s.unit.source,
            target: s.unit.target,
            suggestion: s.suggestion,
        })
        .collect())
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    if !(0.0..=100.0).contains(&a.min) {
        return Err(UsageError("--min must be between 0 and 100".into()).into());
    }
    let mut tm = ctx.open_tm(OpenMode::Existing)?;
    if !a.exhaustive && (a.queries.is_empty() || a.queries.len() > 3) {
        // Many queries: load the index once (a few seconds at a million units), then each
        // query takes milliseconds.
        tm.load_index()?;
    }
    let terminal = output::stdout_is_terminal();
    let mut out = std::io::stdout().lock();
    let answer = |query: &str, out: &mut std::io::StdoutLock<'_>| -> anyhow::Result<()> {
        let matches = find(&tm, query, a.min, a.top, a.exhaustive)?;
        if a.json {
            output::json_line(out, &QueryOut { query, matches })?;
        } else if matches.is_empty() {
            writeln!(out, "no match ≥ {} for {}", a.min, output::display(query, terminal))?;
        } else {
            for m in &matches {
                writeln!(
                    out,
                    "{:5.1}  #{}  {}",
                    m.score,
                    m.id,
                    output::display(&m.source, terminal)
                )?;
                writeln!(out, "       → {}", output::display(&m.suggestion, terminal))?;
            }
        }
        out.flush()?;
        Ok(())
    };
    if a.queries.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            answer(line.trim_end_matches('\r'), &mut out)?;
        }
    } else {
        for q in &a.queries {
            answer(q, &mut out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
