//! `mizan match`: fuzzy matches for each query, answered line by line.
use std::io::{BufRead, Write};
use std::process::ExitCode;

use serde::Serialize;

use super::{output, ranking::PenaltyArgs, Context, UsageError};
use mizan::store::Store;
use mizan::tm::rank::AppliedPenalty;
use mizan::tm::suggest::{FragmentOptions, MatchOptions};
use mizan::tm::{OpenMode, Origin, Status};

/// Arguments of `mizan match`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan match 'والزيارة هي الأولى لبوتين منذ 25 عامًا'\n  mizan match --json --min 50 < queries.txt   # one JSON line per query, flushed as it goes\n  mizan match --penalty unreviewed=10 --penalty align=0 'زيارة نادرة'"
)]
pub struct Args {
    /// Queries; with none, each line of standard input is one query.
    queries: Vec<String>,
    /// Lowest score to report (0–100), after penalties.
    #[arg(long, default_value_t = 75.0)]
    min: f64,
    /// Most matches per query.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// One JSON line per query: {"query","matches":[{"id","score","source","target","suggestion",
    /// "origin","status","fuzzy_score","penalties"}],"terms":[{"start","end","text","source",
    /// "targets","forbidden","term_id"}]} (term hits: glossary terms found in the query, byte
    /// offsets).
    #[arg(long)]
    json: bool,
    /// Scan every unit instead of using the index (the reference the index is tested against).
    #[arg(long)]
    exhaustive: bool,
    /// Say why each match scores what it does: the token diff, the normalizations, the penalties.
    #[arg(long)]
    explain: bool,
    /// Also show fragments: units sharing a run of at least --min-words words with the query
    /// (always shown when no unit reaches --min).
    #[arg(long)]
    fragments: bool,
    /// Shortest shared run of words a fragment needs.
    #[arg(long, default_value_t = 4, value_name = "N")]
    min_words: usize,
    #[command(flatten)]
    ranking: PenaltyArgs,
}

/// A fragment match as printed: a unit that shares a run of words with the query.
#[derive(Debug, Serialize)]
pub struct FragmentOut {
    /// Unit id.
    pub id: i64,
    /// Words in the shared run.
    pub words: usize,
    /// The run as it reads in the query.
    pub query_text: String,
    /// Where it is in the query (character offsets, end exclusive).
    pub query_span: (usize, usize),
    /// The run as it reads in the unit's source.
    pub source_text: String,
    /// Where it is in the source.
    pub source_span: (usize, usize),
    /// What translates the run in the unit's target, as far as the alignment of words shows
    /// (null when the evidence is too weak).
    pub target_text: Option<String>,
    /// Where that is in the target (null with it).
    pub target_span: Option<(usize, usize)>,
    /// The unit's source.
    pub source: String,
    /// The unit's target.
    pub target: String,
    /// Where the unit came from.
    pub origin: Origin,
    /// Whether a person vouches for it.
    pub status: Status,
}

/// Fragment matches of one query, resolved for printing.
pub(crate) fn find_fragments(tm: &dyn Store, query: &str, opts: &FragmentOptions) -> anyhow::Result<Vec<FragmentOut>> {
    Ok(tm
        .fragments(query, opts)?
        .into_iter()
        .map(|f| FragmentOut {
            id: f.unit.id,
            words: f.words,
            query_text: f.query_text(query),
            query_span: f.query_span,
            source_text: f.source_text(),
            source_span: f.source_span,
            target_text: f.target_text(),
            target_span: f.target_span,
            source: f.unit.source,
            target: f.unit.target,
            origin: f.unit.origin,
            status: f.unit.status,
        })
        .collect())
}

/// One match as printed.
#[derive(Debug, Serialize)]
pub struct MatchOut {
    /// Unit id.
    pub id: i64,
    /// Ranked score 0–100: the fuzzy score less the penalties.
    pub score: f64,
    /// The unit's source.
    pub source: String,
    /// The unit's target.
    pub target: String,
    /// The target with the query's numbers substituted.
    pub suggestion: String,
    /// Where the unit came from.
    pub origin: Origin,
    /// Whether a person vouches for it.
    pub status: Status,
    /// The fuzzy score before penalties.
    pub fuzzy_score: f64,
    /// The penalties taken off.
    pub penalties: Vec<AppliedPenalty>,
    /// Why it scores what it does (with `--explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<mizan::fuzzy::Explanation>,
}

#[derive(Serialize)]
struct QueryOut<'a> {
    query: &'a str,
    matches: Vec<MatchOut>,
    /// The glossary terms found in the query ([`mizan::terms::TermHit`]), in query order.
    terms: Vec<mizan::terms::TermHit>,
    /// Only when asked for, or when no whole unit matched (then omitted if there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fragments: Vec<FragmentOut>,
}

/// Finds and resolves the matches of one query.
pub(crate) fn find(tm: &dyn Store, query: &str, opts: &MatchOptions) -> anyhow::Result<Vec<MatchOut>> {
    Ok(tm
        .suggest(query, opts)?
        .into_iter()
        .map(|s| MatchOut {
            id: s.unit.id,
            score: s.score,
            source: s.unit.source,
            target: s.unit.target,
            suggestion: s.suggestion,
            origin: s.unit.origin,
            status: s.unit.status,
            fuzzy_score: s.fuzzy_score,
            penalties: s.penalties,
            explain: None,
        })
        .collect())
}

/// The human form of the penalties a match got, e.g. `unreviewed −5, align −1 (fuzzy 100.0)`;
/// `None` without penalties.
pub(crate) fn penalty_note(penalties: &[AppliedPenalty], fuzzy_score: f64) -> Option<String> {
    if penalties.is_empty() {
        return None;
    }
    let list: Vec<String> = penalties
        .iter()
        .map(|p| format!("{} −{}", p.penalty, p.points))
        .collect();
    Some(format!("{} (fuzzy {fuzzy_score:.1})", list.join(", ")))
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    if !(0.0..=100.0).contains(&a.min) {
        return Err(UsageError("--min must be between 0 and 100".into()).into());
    }
    if a.top == 0 {
        return Err(UsageError("--top must be at least 1".into()).into());
    }
    if a.min_words == 0 {
        return Err(UsageError("--min-words must be at least 1".into()).into());
    }
    let fragment_opts = FragmentOptions {
        min_words: a.min_words,
        top: a.top,
        ..FragmentOptions::default()
    };
    let opts = MatchOptions {
        min: a.min,
        top: a.top,
        exhaustive: a.exhaustive,
        penalties: a.ranking.penalties()?,
    };
    let mut tm = ctx.open_tm(OpenMode::ReadOnly)?;
    if !a.exhaustive && (a.queries.is_empty() || a.queries.len() > 3) {
        // Many queries: load the index once (a few seconds at a million units), then each
        // query takes milliseconds.
        tm.prepare_for_queries()?;
    }
    let glossary = mizan::terms::Glossary::load(&*tm)?;
    let terminal = output::stdout_is_terminal();
    let color = output::color();
    let mut out = std::io::stdout().lock();
    let answer = |query: &str, out: &mut std::io::StdoutLock<'_>| -> anyhow::Result<()> {
        let mut matches = find(&*tm, query, &opts)?;
        let terms = glossary.hits(query);
        if a.explain {
            for m in &mut matches {
                m.explain = Some(mizan::fuzzy::explain(query, &m.source));
            }
        }
        let fragments = if a.fragments || matches.is_empty() {
            find_fragments(&*tm, query, &fragment_opts)?
        } else {
            Vec::new()
        };
        if a.json {
            output::json_line(
                out,
                &QueryOut {
                    query,
                    matches,
                    terms,
                    fragments,
                },
            )?;
            out.flush()?;
            return Ok(());
        }
        if matches.is_empty() {
            writeln!(out, "no match ≥ {} for {}", a.min, output::display(query, terminal))?;
        } else {
            for m in &matches {
                let source = output::highlight_source(query, &m.source, color, terminal);
                writeln!(
                    out,
                    "{:5.1}  #{}  {}, {}  {source}",
                    m.score,
                    m.id,
                    m.origin.as_str(),
                    m.status
                )?;
                writeln!(out, "       → {}", output::display(&m.suggestion, terminal))?;
                if let Some(note) = penalty_note(&m.penalties, m.fuzzy_score) {
                    writeln!(out, "       penalties: {note}")?;
                }
                if let Some(e) = &m.explain {
                    write_explanation(out, e, terminal)?;
                }
            }
        }
        for f in &fragments {
            writeln!(
                out,
                "frag   #{}  {}, {}  {} words  {}",
                f.id,
                f.origin.as_str(),
                f.status,
                f.words,
                output::display(&f.source, terminal)
            )?;
            writeln!(out, "       shared: {}", output::display(&f.query_text, terminal))?;
            writeln!(out, "       → {}", output::display(&f.target, terminal))?;
            if let Some(t) = &f.target_text {
                writeln!(out, "       shared → {}", output::display(t, terminal))?;
            }
        }
        for h in &terms {
            write_term_hit(out, h, terminal)?;
        }
        out.flush()?;
        Ok(())
    };
    if a.queries.is_empty() {
        // Lines are read as bytes: a line that is not UTF-8 is reported with its number and
        // skipped, and the service goes on with the next one.
        let mut input = std::io::stdin().lock();
        let mut line = Vec::new();
        let mut number = 0usize;
        let mut bad = false;
        loop {
            line.clear();
            if input.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            number += 1;
            let bytes = line.strip_suffix(b"\n").unwrap_or(&line);
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            match std::str::from_utf8(bytes) {
                Ok(query) => answer(query, &mut out)?,
                Err(e) => {
                    bad = true;
                    eprintln!(
                        "mizan: <stdin>:{number}: not UTF-8 (invalid byte at column {}); line skipped",
                        e.valid_up_to() + 1
                    );
                    if a.json {
                        output::json_line(
                            &mut out,
                            &serde_json::json!({"line": number, "error": "not UTF-8", "matches": []}),
                        )?;
                        out.flush()?;
                    }
                }
            }
        }
        if bad {
            return Ok(ExitCode::from(1));
        }
    } else {
        for q in &a.queries {
            answer(q, &mut out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The human form of a term hit: `term   #12  لمجلس الأمن = مجلس الأمن → Security Council`, with
/// the forbidden variants after `not:`.
pub(crate) fn write_term_hit(out: &mut impl Write, h: &mizan::terms::TermHit, terminal: bool) -> std::io::Result<()> {
    let mut line = format!("term   #{}  {}", h.term_id, output::display(&h.text, terminal));
    if h.text != h.source {
        line.push_str(&format!(" = {}", output::display(&h.source, terminal)));
    }
    line.push_str(&format!(" → {}", output::display(&h.targets.join(" | "), terminal)));
    if !h.forbidden.is_empty() {
        line.push_str(&format!(
            "  (not: {})",
            output::display(&h.forbidden.join(" | "), terminal)
        ));
    }
    writeln!(out, "{line}")
}

/// The human form of an explanation: the token diff, then normalizations and penalties.
fn write_explanation(out: &mut impl Write, e: &mizan::fuzzy::Explanation, terminal: bool) -> std::io::Result<()> {
    use mizan::fuzzy::OpKind;
    let mut steps = Vec::new();
    for op in &e.ops {
        let q = op.query.as_deref().unwrap_or("");
        let s = op.source.as_deref().unwrap_or("");
        let why = op
            .reason
            .map(|r| {
                format!(
                    " {}",
                    serde_json::to_value(r)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default();
        match op.op {
            OpKind::Equal if op.reason.is_none() => {}
            OpKind::Equal => steps.push(format!("{s}≈{q}{why}")),
            OpKind::Substituted => steps.push(format!("{s}→{q} ({:.2}{why})", op.cost)),
            OpKind::Inserted => steps.push(format!("+{q} ({:.2})", op.cost)),
            OpKind::Deleted => steps.push(format!("-{s} ({:.2})", op.cost)),
        }
    }
    let diff = if steps.is_empty() {
        "identical".to_string()
    } else {
        steps.join("  ")
    };
    writeln!(
        out,
        "       why: distance {:.2} of {:.1} words → base {:.1}; {}",
        e.distance,
        e.length,
        e.base,
        output::display(&diff, terminal)
    )?;
    let names = |v: &[mizan::fuzzy::Normalization]| -> String {
        v.iter()
            .filter_map(|n| serde_json::to_value(n).ok())
            .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !e.query_normalizations.is_empty() || !e.source_normalizations.is_empty() {
        writeln!(
            out,
            "       normalized: query [{}], source [{}]",
            names(&e.query_normalizations),
            names(&e.source_normalizations)
        )?;
    }
    for p in &e.penalties {
        writeln!(out, "       penalty: {}", serde_json::to_string(p).unwrap_or_default())?;
    }
    Ok(())
}
