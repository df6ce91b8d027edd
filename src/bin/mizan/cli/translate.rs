//! `mizan translate`: translate an article segment by segment in the terminal, storing each
//! confirmed translation at once (so a session can stop anywhere and resume).
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use rustyline::error::ReadlineError;

use super::{output, ranking::PenaltyArgs, Context};
use mizan::segment::Segmenter;
use mizan::tm::suggest::{MatchOptions, Suggestion};
use mizan::tm::{AddOutcome, DuplicatePolicy, NewUnit, OpenMode, Origin};

/// Arguments of `mizan translate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Keys at the prompt:\n  Enter or 1-9  accept that match (Enter: the best)\n  e, e2         edit the best (or 2nd) suggestion, then Enter\n  t             type a new translation\n  s             skip this segment      q  quit (resume later where you stopped)\n\nExample:\n  mizan translate new-article.ar.txt --author lina"
)]
pub struct Args {
    /// The article (plain text, one paragraph per line).
    file: PathBuf,
    /// Who translates [default: $USER].
    #[arg(long)]
    author: Option<String>,
    /// Lowest score to show.
    #[arg(long, default_value_t = 50.0)]
    min: f64,
    /// Matches shown per segment (at most 9).
    #[arg(long, default_value_t = 3)]
    top: usize,
    /// Start again at the first segment instead of where the last session stopped.
    #[arg(long)]
    restart: bool,
    #[command(flatten)]
    ranking: PenaltyArgs,
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

enum Step {
    Store(String, Option<i64>),
    Skip,
    Quit,
}

fn ask(rl: &mut rustyline::DefaultEditor, matches: &[Suggestion]) -> anyhow::Result<Step> {
    let keys = if matches.is_empty() {
        "t type · s skip · q quit › "
    } else {
        "Enter/1-9 accept · e edit · t type · s skip · q quit › "
    };
    loop {
        let line = match rl.readline(keys) {
            Ok(l) => l,
            Err(ReadlineError::Eof | ReadlineError::Interrupted) => return Ok(Step::Quit),
            Err(e) => return Err(e.into()),
        };
        let cmd = line.trim();
        let pick = |n: usize| {
            matches
                .get(n)
                .map(|m| Step::Store(m.suggestion.clone(), Some(m.unit.id)))
        };
        let step = match cmd {
            "" => pick(0),
            "s" => Some(Step::Skip),
            "q" => Some(Step::Quit),
            "t" => match rl.readline("translation › ") {
                Ok(t) if !t.trim().is_empty() => Some(Step::Store(t, None)),
                Ok(_) => None,
                Err(ReadlineError::Eof | ReadlineError::Interrupted) => return Ok(Step::Quit),
                Err(e) => return Err(e.into()),
            },
            c if c.starts_with('e') => {
                let n = c[1..].trim().parse::<usize>().unwrap_or(1).saturating_sub(1);
                match matches.get(n) {
                    Some(m) => match rl.readline_with_initial("edit › ", (&m.suggestion, "")) {
                        Ok(t) if !t.trim().is_empty() => Some(Step::Store(t, None)),
                        Ok(_) => None,
                        Err(ReadlineError::Eof | ReadlineError::Interrupted) => return Ok(Step::Quit),
                        Err(e) => return Err(e.into()),
                    },
                    None => None,
                }
            }
            c => c.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).and_then(pick),
        };
        match step {
            Some(s) => return Ok(s),
            None => println!("?  (see `mizan translate --help` for the keys)"),
        }
    }
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    let opts = MatchOptions {
        min: a.min,
        top: a.top.clamp(1, 9),
        exhaustive: false,
        penalties: a.ranking.penalties()?,
    };
    let text = super::read_text(&a.file)?;
    let document = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let author = a
        .author
        .or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.is_empty());
    let segments = Segmenter::for_language(ctx.src_lang.as_str()).segment(&text);
    let mut tm = ctx.open_tm(OpenMode::Create)?;
    let key = format!("translate-progress:{document}");
    let mut start = if a.restart {
        0
    } else {
        tm.meta(&key)?.and_then(|v| v.parse::<usize>().ok()).unwrap_or(0)
    };
    if start >= segments.len() {
        start = 0;
    }
    let color = output::color();
    let (b, d, r) = if color { (BOLD, DIM, RESET) } else { ("", "", "") };
    let terminal = output::stdout_is_terminal();
    let mut rl = rustyline::DefaultEditor::new()?;
    if start > 0 {
        println!("Resuming {document} at segment {} of {}.", start + 1, segments.len());
    }
    let mut stored = 0;
    // The glossary does not change while one person translates: loaded once.
    let glossary = mizan::terms::Glossary::load(&*tm)?;
    for seg in &segments[start..] {
        println!("\n{b}── {} / {} ──{r}", seg.index + 1, segments.len());
        println!("{b}{}{r}", output::display(&seg.text, terminal));
        let matches = tm.suggest(&seg.text, &opts)?;
        for (i, m) in matches.iter().enumerate() {
            println!(
                "  [{}] {:5.1}  {d}{}, {}{r}  {}",
                i + 1,
                m.score,
                m.unit.origin.as_str(),
                m.unit.status,
                output::highlight_source(&seg.text, &m.unit.source, color, terminal)
            );
            println!("        {d}→{r} {}", output::display(&m.suggestion, terminal));
        }
        if matches.is_empty() {
            println!("  {d}(no match ≥ {}){r}", a.min);
        }
        for h in glossary.hits(&seg.text) {
            let mut line = format!(
                "  {d}term{r}  {} {d}→{r} {}",
                output::display(&h.text, terminal),
                output::display(&h.targets.join(" | "), terminal)
            );
            if !h.forbidden.is_empty() {
                line.push_str(&format!(
                    "  {d}(not: {}){r}",
                    output::display(&h.forbidden.join(" | "), terminal)
                ));
            }
            println!("{line}");
        }
        std::io::stdout().flush()?;
        match ask(&mut rl, &matches)? {
            Step::Quit => {
                tm.set_meta(&key, &seg.index.to_string())?;
                println!(
                    "Stopped at segment {} of {}; {} stored. Run the same command to resume.",
                    seg.index + 1,
                    segments.len(),
                    output::count(stored as u64, "translation")
                );
                return Ok(ExitCode::SUCCESS);
            }
            Step::Skip => {}
            Step::Store(target, from) => {
                let mut unit = NewUnit::with_tags(
                    ctx.src_lang.clone(),
                    ctx.tgt_lang.clone(),
                    seg.text.clone(),
                    target,
                    Origin::Human,
                )?;
                unit.created_by = author.clone();
                unit.document = Some(document.clone());
                unit.position = Some(seg.index as i64);
                match tm.add(&unit, DuplicatePolicy::KeepBoth)? {
                    AddOutcome::Duplicate(id) => {
                        tm.record_use(id)?;
                        println!("{d}  kept unit {id} (used once more){r}");
                    }
                    // Accepting an unreviewed unit's exact translation confirms it.
                    AddOutcome::MarkedReviewed(id) => {
                        tm.record_use(id)?;
                        println!("{d}  kept unit {id}, now reviewed (used once more){r}");
                    }
                    outcome => println!(
                        "{d}  stored as unit {}{}{r}",
                        outcome.id(),
                        from.map(|f| format!(" (from {f})")).unwrap_or_default()
                    ),
                }
                stored += 1;
            }
        }
        tm.set_meta(&key, &(seg.index + 1).to_string())?;
    }
    tm.set_meta(&key, &segments.len().to_string())?;
    println!(
        "\nDone: {} stored for {document}.",
        output::count(stored as u64, "translation")
    );
    Ok(ExitCode::SUCCESS)
}
