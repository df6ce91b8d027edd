//! `mizan check`: quality checks of bilingual files before delivery (a filled pretranslate TSV,
//! CSV/TSV/JSON Lines with source and target, TMX, XLIFF). The rules are the library's
//! ([`mizan::check`]); this file reads the files, prints the findings and decides the exit code:
//! 1 when a finding of severity error exists (or a file cannot be read), else 0.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::{output, Context, UsageError};
use anyhow::Context as _;
use mizan::check::{self, CheckOptions, Finding, Rule, Segment, Severity, Span, Summary, TermLookup};
use mizan::formats::{Format, ReadOptions};
use mizan::tm::OpenMode;

fn rules_help() -> String {
    let mut s = String::from(
        "Examples:\n  mizan check article.pretranslated.tsv\n  mizan check job.xlf delivery.tmx --json > findings.jsonl\n  mizan check pairs.csv --rules numbers,tags,empty,untranslated\n  mizan check job.xlf --skip end-punctuation,double-space\n\nRules (severity):\n",
    );
    for r in Rule::ALL {
        s.push_str(&format!(
            "  {:<19} {:<8} {}\n",
            r.id(),
            r.severity().as_str(),
            r.description()
        ));
    }
    s.push_str(
        "\nExit status: 0 when no finding is an error, 1 when one is (or a file cannot be read), 2 on a usage error.",
    );
    s
}

/// Arguments of `mizan check`.
#[derive(Debug, clap::Args)]
#[command(after_help = rules_help())]
pub struct Args {
    /// Bilingual files to check (`-` for standard input): a filled pretranslate TSV, TSV/CSV/JSON
    /// Lines with source and target, TMX, XLIFF 1.2/2.x.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The format [default: from the file name; standard input is sniffed].
    #[arg(long, value_parser = ["tsv", "csv", "jsonl", "tmx", "xliff"])]
    format: Option<String>,
    /// Run only these rules (comma-separated ids, see below).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    rules: Vec<String>,
    /// Leave out these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    skip: Vec<String>,
    /// XLIFF: read the file as --src-lang → --tgt-lang whatever languages it declares.
    #[arg(long)]
    assume_languages: bool,
    /// One JSON object per finding: {"file","line","segment","id","rule","severity","message",
    /// "source_span","target_span"} (spans: {"start","end","text"}, byte offsets, or null); the
    /// summary goes to standard error.
    #[arg(long)]
    json: bool,
}

/// Where findings go and how they look.
pub(super) enum Printer<W: Write> {
    /// `file:line: severity rule: message`, for people.
    Human {
        /// The output.
        out: W,
        /// Sanitize and isolate text (a terminal).
        terminal: bool,
        /// Colour the severity.
        color: bool,
    },
    /// One JSON object per finding.
    Json(W),
}

/// A span in a JSON record, with its text.
#[derive(Serialize)]
struct JsonSpan<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

impl<'a> JsonSpan<'a> {
    fn of(span: Option<Span>, text: &'a str) -> Option<JsonSpan<'a>> {
        span.map(|s| JsonSpan {
            start: s.start,
            end: s.end,
            text: s.text(text),
        })
    }
}

/// One finding as a JSON record.
#[derive(Serialize)]
struct JsonFinding<'a> {
    file: &'a str,
    line: u64,
    /// The segment's 1-based position among the file's segments (`null` for an unreadable row).
    segment: Option<u64>,
    /// The segment's id in its file, when it has one.
    id: Option<&'a str>,
    rule: Rule,
    severity: Severity,
    message: &'a str,
    source_span: Option<JsonSpan<'a>>,
    target_span: Option<JsonSpan<'a>>,
}

impl<W: Write> Printer<W> {
    /// Prints one finding of `seg` (the `position`-th segment of `file`), or of an unreadable row
    /// (`seg` is `None`).
    fn finding(&mut self, file: &str, line: u64, seg: Option<(u64, &Segment)>, f: &Finding) -> std::io::Result<()> {
        match self {
            Printer::Json(out) => {
                let (source, target) = seg.map_or(("", ""), |(_, s)| (s.source.as_str(), s.target.as_str()));
                output::json_line(
                    out,
                    &JsonFinding {
                        file,
                        line,
                        segment: seg.map(|(n, _)| n),
                        id: seg.and_then(|(_, s)| s.id.as_deref()),
                        rule: f.rule,
                        severity: f.severity,
                        message: &f.message,
                        source_span: JsonSpan::of(f.source_span, source),
                        target_span: JsonSpan::of(f.target_span, target),
                    },
                )
            }
            Printer::Human { out, terminal, color } => {
                let severity = f.severity.as_str();
                let severity = if *color {
                    let code = match f.severity {
                        Severity::Error => "1;31",
                        Severity::Warning => "1;33",
                        Severity::Info => "1;36",
                    };
                    format!("\x1b[{code}m{severity}\x1b[0m")
                } else {
                    severity.to_string()
                };
                let at = seg
                    .and_then(|(_, s)| s.id.as_deref())
                    .map(|id| format!(" [{}]", output::display(id, *terminal)))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{file}:{line}:{at} {severity} {}: {}",
                    f.rule,
                    output::display(&f.message, *terminal)
                )
            }
        }
    }

    /// The summary line of a run: on the human output, and on standard error with `--json`.
    pub(super) fn summary(&mut self, files: usize, s: &Summary) -> std::io::Result<()> {
        let line = format!(
            "checked {} in {}: {}, {}, {}",
            output::count(s.segments, "segment"),
            output::count(files as u64, "file"),
            output::count(s.errors, "error"),
            output::count(s.warnings, "warning"),
            output::count(s.infos, "note"),
        );
        match self {
            Printer::Human { out, .. } => writeln!(out, "{line}"),
            Printer::Json(_) => {
                eprintln!("{line}");
                Ok(())
            }
        }
    }
}

/// The rules `--rules` and `--skip` leave running.
///
/// # Errors
/// A [`UsageError`] naming an unknown rule id.
pub(super) fn options(ctx: &Context, only: &[String], skip: &[String]) -> anyhow::Result<CheckOptions> {
    let parse = |ids: &[String]| -> anyhow::Result<Vec<Rule>> {
        ids.iter()
            .filter(|id| !id.trim().is_empty())
            .map(|id| {
                Rule::parse(id).ok_or_else(|| {
                    let known: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
                    UsageError(format!("unknown rule `{}` (rules: {})", id.trim(), known.join(", "))).into()
                })
            })
            .collect()
    };
    let mut opts = CheckOptions::for_target_language(ctx.tgt_lang.as_str());
    let only = parse(only)?;
    if !only.is_empty() {
        opts.rules = only;
    }
    let skip = parse(skip)?;
    opts.rules.retain(|r| !skip.contains(r));
    Ok(opts)
}

/// How to read the file `name` in `format` with the command's language pair (XLIFF: checked
/// against the languages the file declares; callers set `assume_languages` to skip that).
pub(super) fn input(ctx: &Context, name: &str, format: Format) -> check::Input {
    check::Input {
        format,
        options: ReadOptions {
            file: name.to_string(),
            source_lang: ctx.src_lang.clone(),
            target_lang: ctx.tgt_lang.clone(),
        },
        assume_languages: false,
    }
}

/// Reads one opened file, checks every segment and prints the findings; returns the counts.
///
/// # Errors
/// The file cannot be read as its format at all; an output error.
pub(super) fn check_input<R: BufRead + Send, W: Write>(
    input: R,
    how: &check::Input,
    opts: &CheckOptions,
    terms: Option<&dyn TermLookup>,
    printer: &mut Printer<W>,
) -> anyhow::Result<Summary> {
    let name = how.options.file.as_str();
    let file = check::read_bilingual(input, how)?;
    let mut summary = Summary::default();
    // Findings in file order: unreadable rows among the segments by their lines.
    let mut rejected = file.rejected.iter().peekable();
    for (n, seg) in file.segments.iter().enumerate() {
        while let Some(r) = rejected.next_if(|r| r.line < seg.line) {
            let f = check::unreadable(&r.reason);
            summary.count(std::slice::from_ref(&f));
            printer.finding(name, r.line, None, &f)?;
        }
        let findings = check::check_segment(seg, opts, terms);
        summary.add(&findings);
        for f in &findings {
            printer.finding(name, seg.line, Some((n as u64 + 1, seg)), f)?;
        }
    }
    for r in rejected {
        let f = check::unreadable(&r.reason);
        summary.count(std::slice::from_ref(&f));
        printer.finding(name, r.line, None, &f)?;
    }
    Ok(summary)
}

/// The glossary of the TM, for the `terms` and `forbidden-terms` rules (of `mizan check` and
/// `import --check`): the TM is opened to read when it exists; a check needs no TM, and without
/// one (or before `import` creates it) those rules find nothing.
///
/// # Errors
/// An existing TM cannot be opened or read.
pub(super) fn glossary(ctx: &Context) -> anyhow::Result<Option<mizan::terms::Glossary>> {
    if !ctx.tm_is_database() && !ctx.tm_path.exists() {
        return Ok(None);
    }
    load_glossary(ctx)
}

fn load_glossary(ctx: &Context) -> anyhow::Result<Option<mizan::terms::Glossary>> {
    let tm = ctx.open_tm(OpenMode::ReadOnly)?;
    let g =
        mizan::terms::Glossary::load(&*tm).with_context(|| format!("reading the glossary of {}", ctx.tm_display()))?;
    Ok((!g.is_empty()).then_some(g))
}

/// Whether an error is a closed standard output (`mizan check … | head`): it ends the run.
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    let opts = options(ctx, &a.rules, &a.skip)?;
    let glossary = glossary(ctx)?;
    let terms: Option<&dyn TermLookup> = glossary.as_ref().map(|g| g as &dyn TermLookup);
    let stdout = std::io::stdout().lock();
    let mut printer = if a.json {
        Printer::Json(stdout)
    } else {
        Printer::Human {
            out: stdout,
            terminal: output::stdout_is_terminal(),
            color: output::color(),
        }
    };
    let mut total = Summary::default();
    let mut unreadable = false;
    for path in &a.files {
        let name = super::import::display_name(path);
        let checked = super::import::open_one(path, a.format.as_deref()).and_then(|(stream, _, format)| {
            let how = check::Input {
                assume_languages: a.assume_languages,
                ..input(ctx, &name, format)
            };
            check_input(stream, &how, &opts, terms, &mut printer)
        });
        match checked {
            Ok(s) => {
                total.segments += s.segments;
                total.errors += s.errors;
                total.warnings += s.warnings;
                total.infos += s.infos;
            }
            // A usage error (an unknown format) stops the run; a file that cannot be read is
            // reported and the others are still checked.
            Err(e) if e.is::<UsageError>() => return Err(e),
            Err(e) if broken_pipe(&e) => return Err(e),
            Err(e) => {
                eprintln!("mizan: {e:#}");
                unreadable = true;
            }
        }
    }
    printer.summary(a.files.len(), &total)?;
    Ok(if total.errors > 0 || unreadable {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
