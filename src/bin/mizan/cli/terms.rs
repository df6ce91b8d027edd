//! `mizan terms`: the glossary kept in the TM — import, export, add, list, delete
//! ([`mizan::terms`]).
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use serde::Serialize;

use super::{output, Context, UsageError};
use mizan::terms::{NewTerm, TermFormat, TermOutcome, TermTarget};
use mizan::tm::{OpenMode, Status};

/// Arguments of `mizan terms`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan terms add 'مجلس الأمن' 'Security Council' --pos noun --forbidden 'Safety Council'\n  mizan terms import glossary.tbx\n  mizan terms import names.tsv --author lina\n  mizan terms list --json\n  mizan terms export --format tbx --out glossary.tbx\n  mizan terms delete 12 13\n\nA term is found in text whatever clitics, article or spelling variant the text gives it:\n`مجلس الأمن` is found in `ومجلس الأمن`, `لمجلس الأمن`, `مجلس الامن`. `mizan match` shows the\nterm hits of each query beside its matches."
)]
pub struct Args {
    /// What to do with the glossary.
    #[command(subcommand)]
    command: TermsCommand,
}

/// The `terms` subcommands.
#[derive(Debug, clap::Subcommand)]
enum TermsCommand {
    /// Import a glossary file (TSV, CSV with a header, TBX 2008 or v3): all of it or nothing.
    #[command(
        after_help = "Examples:\n  mizan terms import glossary.tbx\n  mizan terms import names.csv --format csv\n\nTSV columns: source, target, pos, note, forbidden (a header line naming them is optional;\nseveral targets or forbidden variants in one field are separated by `|`). CSV needs a header\nnaming at least source and target. TBX: <termEntry>/<langSet> (TBX 2008) or\n<conceptEntry>/<langSec> (TBX v3); terms in --src-lang are sources, in --tgt-lang targets;\ndeprecated or superseded target terms are forbidden variants."
    )]
    Import(ImportArgs),
    /// Export the glossary as TBX (TBX-Basic v3) or TSV.
    #[command(
        after_help = "Examples:\n  mizan terms export --out glossary.tbx\n  mizan terms export --format tsv > glossary.tsv"
    )]
    Export(ExportArgs),
    /// Add one term and print its id.
    #[command(
        after_help = "Examples:\n  mizan terms add 'كيم جونغ أون' 'Kim Jong Un' --pos properNoun\n  mizan terms add 'مجلس الأمن' 'Security Council' --forbidden 'Safety Council' --note 'UN organ'"
    )]
    Add(AddArgs),
    /// List the glossary.
    #[command(after_help = "Examples:\n  mizan terms list\n  mizan terms list --json | jq -r .source")]
    List(ListArgs),
    /// Delete terms by id.
    #[command(after_help = "Example:\n  mizan terms delete 12 13")]
    Delete(DeleteArgs),
}

#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// The glossary file.
    file: PathBuf,
    /// Its format [default: from the extension, else from the content].
    #[arg(long, value_parser = ["tsv", "csv", "tbx"])]
    format: Option<String>,
    /// Who the entries are from, when the file does not say [default: $USER].
    #[arg(long)]
    author: Option<String>,
    /// Mark the imported entries unreviewed.
    #[arg(long)]
    unreviewed: bool,
    /// One JSON object on stdout: {"file","added","duplicates","skipped":[{"line","reason"}]}.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// tbx (TBX-Basic v3, valid against the TBX core RNG) or tsv [default: from --out's extension,
    /// else tbx].
    #[arg(long, value_parser = ["tbx", "tsv"])]
    format: Option<String>,
    /// Output file (`-` for standard output). A file is written whole or not at all.
    #[arg(long, short, default_value = "-")]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct AddArgs {
    /// The source term.
    source: String,
    /// Its translation(s).
    #[arg(required = true)]
    target: Vec<String>,
    /// Part of speech (noun, properNoun, verb, adjective, …).
    #[arg(long)]
    pos: Option<String>,
    /// A note (definition, usage).
    #[arg(long)]
    note: Option<String>,
    /// A translation that must not be used (repeatable).
    #[arg(long, value_name = "TERM")]
    forbidden: Vec<String>,
    /// Who adds it [default: $USER].
    #[arg(long)]
    author: Option<String>,
    /// Mark it unreviewed.
    #[arg(long)]
    unreviewed: bool,
}

#[derive(Debug, clap::Args)]
struct ListArgs {
    /// One JSON line per term: {"id","source_lang","source","targets":[{"lang","text"}],
    /// "forbidden","pos","note","status","created_by","document","created_at","changed_at"}.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct DeleteArgs {
    /// Term ids.
    #[arg(required = true)]
    ids: Vec<i64>,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    match a.command {
        TermsCommand::Import(a) => import(ctx, a),
        TermsCommand::Export(a) => export(ctx, a),
        TermsCommand::Add(a) => add(ctx, a),
        TermsCommand::List(a) => list(ctx, a),
        TermsCommand::Delete(a) => delete(ctx, a),
    }
}

fn author(given: Option<String>) -> Option<String> {
    given.or_else(|| std::env::var("USER").ok()).filter(|s| !s.is_empty())
}

#[derive(Serialize)]
struct SkippedOut<'a> {
    line: u64,
    reason: &'a str,
}

#[derive(Serialize)]
struct ImportOut<'a> {
    file: &'a str,
    added: usize,
    duplicates: usize,
    skipped: Vec<SkippedOut<'a>>,
}

fn import(ctx: &Context, a: ImportArgs) -> anyhow::Result<ExitCode> {
    let file = a.file.display().to_string();
    let opts = mizan::terms::ReadOptions {
        file: file.clone(),
        source_lang: ctx.src_lang.clone(),
        target_lang: ctx.tgt_lang.clone(),
        author: author(a.author),
    };
    let format = a.format.as_deref().and_then(TermFormat::parse);
    let mut report = mizan::terms::read_file(&a.file, format, &opts)?;
    if a.unreviewed {
        for t in &mut report.terms {
            t.term.status = Status::Unreviewed;
        }
    }
    for (line, why) in &report.skipped {
        eprintln!("mizan: {file}:{line}: skipped: {why}");
    }
    let mut tm = ctx.open_tm(OpenMode::Create)?;
    let terms: Vec<NewTerm> = report.terms.iter().map(|t| t.term.clone()).collect();
    let outcomes = tm
        .add_terms(&terms)
        .with_context(|| format!("importing {file} (nothing was stored)"))?;
    let added = outcomes.iter().filter(|o| matches!(o, TermOutcome::Added(_))).count();
    let duplicates = outcomes.len() - added;
    if a.json {
        let out = ImportOut {
            file: &file,
            added,
            duplicates,
            skipped: report
                .skipped
                .iter()
                .map(|(line, reason)| SkippedOut { line: *line, reason })
                .collect(),
        };
        output::json_line(&mut std::io::stdout().lock(), &out)?;
    }
    eprintln!(
        "imported {} from {file} ({} already there, {} skipped)",
        output::count(added as u64, "term"),
        duplicates,
        report.skipped.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn export(ctx: &Context, a: ExportArgs) -> anyhow::Result<ExitCode> {
    let format = match a.format.as_deref() {
        Some(f) => TermFormat::parse(f),
        None => TermFormat::from_path(&a.out).filter(|f| *f != TermFormat::Csv),
    }
    .unwrap_or(TermFormat::Tbx);
    let tm = ctx.open_tm(OpenMode::ReadOnly)?;
    let terms = tm.terms()?;
    let write = |w: &mut dyn Write| -> anyhow::Result<u64> {
        let mut w = std::io::BufWriter::new(w);
        let dropped = match format {
            TermFormat::Tsv => {
                mizan::terms::tabular::write_tsv(&mut w, &terms)?;
                0
            }
            _ => mizan::terms::tbx::write(&mut w, &terms)?,
        };
        w.flush()?;
        Ok(dropped)
    };
    let dropped = if a.out == Path::new("-") {
        write(&mut std::io::stdout().lock())?
    } else {
        mizan::outfile::write_atomically(&a.out, tm.file(), |w| write(w))?
    };
    let dest = if a.out == Path::new("-") {
        "standard output".to_string()
    } else {
        a.out.display().to_string()
    };
    eprintln!("exported {} to {dest}", output::count(terms.len() as u64, "term"));
    if dropped > 0 {
        eprintln!("note: {dropped} characters that XML 1.0 forbids were left out");
    }
    Ok(ExitCode::SUCCESS)
}

fn add(ctx: &Context, a: AddArgs) -> anyhow::Result<ExitCode> {
    let tgt = ctx.tgt_lang.as_str().to_string();
    let tag = |text: String| TermTarget {
        lang: tgt.clone(),
        text,
    };
    let term = NewTerm {
        source_lang: ctx.src_lang.as_str().to_string(),
        source: a.source,
        targets: a.target.into_iter().map(tag).collect(),
        forbidden: a.forbidden.into_iter().map(tag).collect(),
        pos: a.pos,
        note: a.note,
        status: if a.unreviewed {
            Status::Unreviewed
        } else {
            Status::Reviewed
        },
        created_by: author(a.author),
        created_at: None,
        document: None,
    };
    term.check().map_err(|e| UsageError(e.to_string()))?;
    let mut tm = ctx.open_tm(OpenMode::Create)?;
    let outcome = tm.add_terms(std::slice::from_ref(&term))?;
    if let Some(TermOutcome::Duplicate(id)) = outcome.first() {
        eprintln!("mizan: term {id} is already this entry; nothing changed");
    }
    if let Some(o) = outcome.first() {
        println!("{}", o.id());
    }
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Context, a: ListArgs) -> anyhow::Result<ExitCode> {
    let tm = ctx.open_tm(OpenMode::ReadOnly)?;
    let terms = tm.terms()?;
    let terminal = output::stdout_is_terminal();
    let mut out = std::io::stdout().lock();
    for t in &terms {
        if a.json {
            output::json_line(&mut out, t)?;
            continue;
        }
        let targets: Vec<&str> = t.term.targets.iter().map(|x| x.text.as_str()).collect();
        let mut line = format!(
            "#{}  {}  → {}",
            t.id,
            output::display(&t.term.source, terminal),
            output::display(&targets.join(" | "), terminal)
        );
        if !t.term.forbidden.is_empty() {
            let f: Vec<&str> = t.term.forbidden.iter().map(|x| x.text.as_str()).collect();
            line.push_str(&format!("  (not: {})", output::display(&f.join(" | "), terminal)));
        }
        if let Some(pos) = &t.term.pos {
            line.push_str(&format!("  [{}]", output::display(pos, terminal)));
        }
        if t.term.status == Status::Unreviewed {
            line.push_str("  unreviewed");
        }
        writeln!(out, "{line}")?;
    }
    if !a.json {
        eprintln!("{}", output::count(terms.len() as u64, "term"));
    }
    Ok(ExitCode::SUCCESS)
}

fn delete(ctx: &Context, a: DeleteArgs) -> anyhow::Result<ExitCode> {
    let mut tm = ctx.open_tm(OpenMode::Existing)?;
    let missing = tm.delete_terms(&a.ids)?;
    let deleted = a.ids.len() - missing.len();
    println!("deleted {deleted}");
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|id| id.to_string()).collect();
        eprintln!("mizan: no term with id {}", list.join(", "));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
