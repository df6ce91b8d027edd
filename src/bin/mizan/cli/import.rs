//! `mizan import`: TSV, CSV, JSON Lines, TMX and translated XLIFF files into the TM, one
//! transaction per file.
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use serde::Serialize;

use super::{output, Context, UsageError};
use mizan::formats::{self, Format, ReadOptions};
use mizan::tm::import::{ImportError, ImportOptions, ImportReport};
use mizan::tm::{DuplicatePolicy, OpenMode};

/// Arguments of `mizan import`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan import pairs.tsv\n  mizan import memory.tmx --src-lang ar --tgt-lang en\n  paste ar.txt en.txt | mizan import - --format tsv\n  mizan import translated.xlf                       # XLIFF 1.2/2.x, .sdlxliff, .mqxliff: finished segments only\n  mizan import new.csv --on-duplicate replace --strict\n  mizan import delivered.xlf --check --strict       # refuse it all if a check finds an error"
)]
pub struct Args {
    /// Files to import (`-` for standard input).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The format [default: from the file name; standard input is sniffed].
    #[arg(long, value_parser = ["tsv", "csv", "jsonl", "tmx", "xliff"])]
    format: Option<String>,
    /// When the source is already stored with another target.
    #[arg(long, default_value = "keep-both", value_parser = ["skip", "replace", "keep-both"])]
    on_duplicate: String,
    /// Stop at the first bad line and store nothing from that file. With --check: also refuse
    /// the whole import (nothing stored from any file) when a check finds an error.
    #[arg(long)]
    strict: bool,
    /// Run `mizan check`'s quality rules on each file first and report the findings on standard
    /// error; nothing is refused unless --strict is given. Reads each file into memory.
    #[arg(long)]
    check: bool,
    /// Report what would happen without writing.
    #[arg(long)]
    dry_run: bool,
    /// With a file that stops being readable part-way (XML that is not well formed, a truncated
    /// TMX): keep its units before the error and go on to the next file (the exit code is still
    /// 1). Without it, such a file stores nothing and import stops.
    #[arg(long)]
    keep_going: bool,
    /// XLIFF: read the file as --src-lang → --tgt-lang whatever languages it declares (for tools
    /// that write a placeholder: translate-toolkit's po2xliff declares source-language="en-US").
    /// Without it, an XLIFF file whose languages are not the TM's is refused.
    #[arg(long)]
    assume_languages: bool,
    /// One JSON object per file named, in order: {"file","read","added","replaced","duplicates",
    /// "used","marked_reviewed","ignored","untouched","rejected","error"}, plus "line" and
    /// "column" when the error is at one place; a file that was not read has "read": false and
    /// says why in "error".
    #[arg(long)]
    json: bool,
}

/// One JSON line per file named on the command line.
#[derive(Serialize)]
struct FileReport<'a> {
    file: &'a str,
    /// Whether mizan read the file (to its end, or to the error that refused it).
    read: bool,
    #[serde(flatten)]
    report: &'a ImportReport,
    /// Why the file was refused, stopped part-way, or not read; `null` when all went well.
    error: Option<String>,
    /// Where the error is, when it is at one place.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u64>,
}

/// The name a file goes by in messages.
pub(super) fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

fn open_input(path: &Path) -> anyhow::Result<(Box<dyn BufRead + Send>, u64)> {
    if path == Path::new("-") {
        return Ok((Box::new(BufReader::with_capacity(1 << 16, std::io::stdin())), 0));
    }
    let f = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        anyhow::bail!("cannot read {}: it is a directory", path.display());
    }
    Ok((Box::new(BufReader::with_capacity(1 << 16, f)), len))
}

/// Opens one input and settles its format.
pub(super) fn open_one(path: &Path, format: Option<&str>) -> anyhow::Result<(Box<dyn BufRead + Send>, u64, Format)> {
    let (mut input, len) = open_input(path)?;
    let format = match format {
        Some(f) => Format::parse(f).ok_or_else(|| UsageError(format!("unknown format {f}")))?,
        None if path == Path::new("-") => Format::sniff(input.fill_buf().context("reading standard input")?),
        // `.xml` says only that it is XML: the content tells TMX from XLIFF.
        None if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) => {
            match Format::sniff(
                input
                    .fill_buf()
                    .with_context(|| format!("cannot read {}", path.display()))?,
            ) {
                f @ (Format::Tmx | Format::Xliff) => f,
                _ => {
                    return Err(
                        UsageError(formats::FormatError::UnknownFormat(path.display().to_string()).to_string()).into(),
                    )
                }
            }
        }
        None => Format::from_path(path)
            .ok_or_else(|| UsageError(formats::FormatError::UnknownFormat(path.display().to_string()).to_string()))?,
    };
    Ok((input, len, format))
}

/// Writes the report of each file in `names` that was never read, under `--json`.
fn report_unread(out: &mut impl Write, names: &[String], why: &str) -> std::io::Result<()> {
    for name in names {
        output::json_line(
            out,
            &FileReport {
                file: name,
                read: false,
                report: &ImportReport::default(),
                error: Some(format!("not read: {why}")),
                line: None,
                column: None,
            },
        )?;
    }
    Ok(())
}

/// An opened input: its path, its name in messages, the stream, its length and its format.
type Opened<'p> = (&'p PathBuf, &'p String, Box<dyn BufRead + Send>, u64, Format);

/// `--check`: reads each input into memory, runs the quality checks on it and reports their
/// findings on standard error, and puts the bytes back for the import.
///
/// # Errors
/// With `--strict`, a finding of severity error (nothing has been stored: the TM is not open
/// yet); an input that cannot be read.
fn check_inputs(ctx: &Context, a: &Args, inputs: &mut [Opened<'_>]) -> anyhow::Result<()> {
    use std::io::IsTerminal as _;
    let opts = super::check::options(ctx, &[], &[])?;
    let stderr = std::io::stderr();
    let mut printer = super::check::Printer::Human {
        out: stderr.lock(),
        terminal: stderr.is_terminal(),
        color: false,
    };
    let glossary = super::check::glossary(ctx)?;
    let mut errors = 0;
    for (_, name, input, _, format) in inputs.iter_mut() {
        let mut bytes = Vec::new();
        input
            .read_to_end(&mut bytes)
            .with_context(|| format!("reading {name}"))?;
        let how = mizan::check::Input {
            assume_languages: a.assume_languages,
            ..super::check::input(ctx, name, *format)
        };
        match super::check::check_input(
            &bytes[..],
            &how,
            &opts,
            glossary.as_ref().map(|g| g as &dyn mizan::check::TermLookup),
            &mut printer,
        ) {
            Ok(summary) => {
                printer.summary(1, &summary)?;
                errors += summary.errors;
            }
            // The import reads the file again and reports why it cannot.
            Err(e) => eprintln!("mizan: check: {e:#}"),
        }
        *input = Box::new(std::io::Cursor::new(bytes));
    }
    if a.strict && errors > 0 {
        anyhow::bail!(
            "import refused: the checks found {} (--check --strict); nothing was stored",
            output::count(errors, "error")
        );
    }
    Ok(())
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    // clap only lets the three names through.
    let policy = DuplicatePolicy::parse(&a.on_duplicate).unwrap_or_default();
    let names: Vec<String> = a.files.iter().map(|p| display_name(p)).collect();
    let mut out = std::io::stdout().lock();
    // Open every input before touching the TM: a file that cannot be read changes nothing.
    let mut inputs = Vec::new();
    for (i, path) in a.files.iter().enumerate() {
        match open_one(path, a.format.as_deref()) {
            Ok((input, len, format)) => inputs.push((path, &names[i], input, len, format)),
            Err(e) => {
                let others: Vec<String> = names
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, n)| n.clone())
                    .collect();
                if a.json {
                    let why = format!("{} cannot be read, so nothing was imported", names[i]);
                    report_unread(&mut out, &names[..i], &why)?;
                    output::json_line(
                        &mut out,
                        &FileReport {
                            file: &names[i],
                            read: false,
                            report: &ImportReport::default(),
                            error: Some(format!("{e:#}")),
                            line: None,
                            column: None,
                        },
                    )?;
                    report_unread(&mut out, &names[i + 1..], &why)?;
                }
                if others.is_empty() {
                    return Err(e);
                }
                let msg = format!("{e:#}; nothing was imported (not read: {})", others.join(", "));
                return Err(if e.is::<UsageError>() {
                    UsageError(msg).into()
                } else {
                    anyhow::anyhow!(msg)
                });
            }
        }
    }
    if a.check {
        check_inputs(ctx, &a, &mut inputs)?;
    }
    // A dry run creates nothing: with no TM yet, it counts against an empty one in memory.
    let mut tm = if a.dry_run && !ctx.tm_is_database() && !ctx.tm_path.exists() {
        let mut tm = mizan::tm::Tm::open_in_memory()?;
        tm.set_language_pair(Some((ctx.src_lang.clone(), ctx.tgt_lang.clone())));
        Box::new(tm) as Box<dyn mizan::store::Store + Send>
    } else {
        ctx.open_tm(OpenMode::Create)?
    };
    let mut failed = false;
    for (index, (path, name, input, len, format)) in inputs.into_iter().enumerate() {
        let bar = output::progress(len, name);
        let input: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(
            1 << 16,
            output::ProgressReader::new(input, bar.clone()),
        ));
        let read_opts = ReadOptions {
            file: name.clone(),
            source_lang: ctx.src_lang.clone(),
            target_lang: ctx.tgt_lang.clone(),
        };
        let document = match format {
            Format::Tmx | Format::Xliff => None,
            _ => path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .filter(|_| path != Path::new("-")),
        };
        let opts = ImportOptions {
            policy,
            strict: a.strict,
            dry_run: a.dry_run,
            keep_going: a.keep_going,
            document,
        };
        let records = if format == Format::Xliff && a.assume_languages {
            formats::xliff::XliffReader::assuming_languages(input, read_opts)
                .map(|r| Box::new(r) as Box<dyn Iterator<Item = _> + Send>)
        } else {
            formats::reader(format, input, read_opts)
        };
        let result = records.map_err(ImportError::from).and_then(|records| {
            mizan::store::import(&mut *tm, records, &opts, |r| {
                eprintln!("{name}:{}: {}", r.line, r.reason)
            })
        });
        bar.finish_and_clear();
        let mut partial = false;
        let mut location = None;
        let mut stop = false;
        let (report, error) = match result {
            Ok(r) => (r, None),
            Err(e) => {
                failed = true;
                location = e.location();
                let msg = match &e {
                    ImportError::Strict(_) => format!("{name}:{e}"),
                    ImportError::Partial { .. } if a.dry_run => format!("{e} (dry run: nothing was written)"),
                    _ => e.to_string(),
                };
                eprintln!("mizan: {msg}");
                // Without --keep-going a file that cannot be read stops the import; a TM error
                // always does.
                stop = matches!(e, ImportError::Tm(_)) || (!a.keep_going && matches!(e, ImportError::Format(_)));
                let report = match e {
                    // --keep-going: what came before the error is stored; report both.
                    ImportError::Partial { report, .. } => {
                        partial = true;
                        *report
                    }
                    _ => ImportReport::default(),
                };
                (report, Some(msg))
            }
        };
        failed |= report.rejected > 0;
        if a.json {
            output::json_line(
                &mut out,
                &FileReport {
                    file: name,
                    read: true,
                    report: &report,
                    error,
                    line: location.map(|(line, _)| line),
                    column: location.and_then(|(_, column)| column),
                },
            )?;
        } else if error.is_none() || partial {
            let mut ignored = String::new();
            if report.ignored > 0 {
                ignored.push_str(&format!(", ignored {}", report.ignored));
            }
            if report.used > 0 {
                ignored.push_str(&format!(", confirmed {} exact matches", report.used));
            }
            if report.untouched > 0 {
                ignored.push_str(&format!(
                    ", left out {} untouched fuzzy suggestions (edit them, or mark them confirmed, to store them)",
                    report.untouched
                ));
            }
            if report.marked_reviewed > 0 {
                ignored.push_str(&format!(", marked {} stored units reviewed", report.marked_reviewed));
            }
            writeln!(
                out,
                "{name}: {}added {}, replaced {}, skipped {} duplicates, rejected {}{ignored}",
                if a.dry_run { "(dry run) " } else { "" },
                report.added,
                report.replaced,
                report.duplicates,
                report.rejected
            )?;
        }
        if stop {
            let unread = &names[index + 1..];
            if !unread.is_empty() {
                eprintln!(
                    "mizan: not read: {} (import stops at a file it cannot read; --keep-going goes on with the next)",
                    unread.join(", ")
                );
                if a.json {
                    report_unread(&mut out, unread, &format!("import stopped at {name}"))?;
                }
            }
            return Ok(ExitCode::from(1));
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
