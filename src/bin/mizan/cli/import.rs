//! `mizan import`: TSV, CSV, JSON Lines and TMX files into the TM, one transaction per file.
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use serde::Serialize;

use super::{output, Context, UsageError};
use mizan::formats::{self, Format, ReadOptions};
use mizan::tm::import::{import, ImportError, ImportOptions, ImportReport};
use mizan::tm::{DuplicatePolicy, OpenMode};

/// Arguments of `mizan import`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan import pairs.tsv\n  mizan import memory.tmx --src-lang ar --tgt-lang en\n  paste ar.txt en.txt | mizan import - --format tsv\n  mizan import new.csv --on-duplicate replace --strict"
)]
pub struct Args {
    /// Files to import (`-` for standard input).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The format [default: from the file name; standard input is sniffed].
    #[arg(long, value_parser = ["tsv", "csv", "jsonl", "tmx"])]
    format: Option<String>,
    /// When the source is already stored with another target.
    #[arg(long, default_value = "keep-both", value_parser = ["skip", "replace", "keep-both"])]
    on_duplicate: String,
    /// Stop at the first bad line and store nothing from that file.
    #[arg(long)]
    strict: bool,
    /// Report what would happen without writing.
    #[arg(long)]
    dry_run: bool,
    /// With a file that is not well formed: keep its units before the error and go on to the next
    /// file (the exit code is still 1). Without it, such a file stores nothing and import stops.
    #[arg(long)]
    keep_going: bool,
    /// One JSON object per file: {"file","added","replaced","duplicates","used","marked_reviewed",
    /// "ignored","untouched","rejected","error"}.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct FileReport<'a> {
    file: &'a str,
    #[serde(flatten)]
    report: &'a ImportReport,
    error: Option<String>,
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

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    let policy = match a.on_duplicate.as_str() {
        "skip" => DuplicatePolicy::Skip,
        "replace" => DuplicatePolicy::Replace,
        _ => DuplicatePolicy::KeepBoth,
    };
    // Open every input before touching the TM: a file that cannot be read changes nothing.
    let mut inputs = Vec::new();
    for path in &a.files {
        let (mut input, len) = open_input(path)?;
        let format = match &a.format {
            Some(f) => Format::parse(f).ok_or_else(|| UsageError(format!("unknown format {f}")))?,
            None if path == Path::new("-") => Format::sniff(input.fill_buf().context("reading standard input")?),
            None => Format::from_path(path).ok_or_else(|| {
                UsageError(formats::FormatError::UnknownFormat(path.display().to_string()).to_string())
            })?,
        };
        inputs.push((path, input, len, format));
    }
    let mut tm = ctx.open_tm(OpenMode::Create)?;
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    for (path, input, len, format) in inputs {
        let name = if path == Path::new("-") {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let bar = output::progress(len, &name);
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
            Format::Tmx => None,
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
        let result = formats::reader(format, input, read_opts)
            .map_err(ImportError::from)
            .and_then(|records| {
                import(&mut tm, records, &opts, |r| {
                    eprintln!("{name}:{}: {}", r.line, r.reason)
                })
            });
        bar.finish_and_clear();
        let mut partial = false;
        let (report, error) = match result {
            Ok(r) => (r, None),
            Err(e @ ImportError::Partial { .. }) => {
                // --keep-going: what came before the error is stored; report both.
                failed = true;
                partial = true;
                let msg = if a.dry_run {
                    format!("{e} (dry run: nothing was written)")
                } else {
                    e.to_string()
                };
                eprintln!("mizan: {msg}");
                let report = match e {
                    ImportError::Partial { report, .. } => *report,
                    _ => ImportReport::default(),
                };
                (report, Some(msg))
            }
            Err(e) => {
                failed = true;
                let msg = match &e {
                    ImportError::Strict(_) => format!("{name}:{e}"),
                    _ => e.to_string(),
                };
                eprintln!("mizan: {msg}");
                if matches!(e, ImportError::Tm(_)) || (!a.keep_going && matches!(e, ImportError::Format(_))) {
                    return Ok(ExitCode::from(1));
                }
                (ImportReport::default(), Some(msg))
            }
        };
        failed |= report.rejected > 0;
        if a.json {
            output::json_line(
                &mut out,
                &FileReport {
                    file: &name,
                    report: &report,
                    error,
                },
            )?;
        } else if error.is_none() || partial {
            use std::io::Write;
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
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
