//! The command-line interface: clap parses into [`Cli`], each subcommand lives in its own file and
//! turns its arguments into plain library calls. The library never sees clap.
//!
//! Invariants: stdout carries data (segments, matches, TMX, JSON), stderr carries diagnostics and
//! progress; exit codes are decided here and in `main` only.

mod add;
mod align;
mod analyze;
mod check;
mod completions;
mod concordance;
mod copy;
mod demo;
mod edit;
mod export;
mod import;
pub mod matching;
pub mod output;
mod pretranslate;
mod ranking;
mod reindex;
mod segment;
mod serve;
mod stats;
mod terms;
mod translate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use mizan::store::{Store, StoreOptions};
use mizan::tm::{LangTag, OpenMode, TmError};

/// mizan — an Arabic→English translation memory: segment, align, match, import and export TMX.
#[derive(Debug, Parser)]
#[command(name = "mizan", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Start with `mizan demo`. The TM file is --tm, else $MIZAN_TM, else ./mizan.db.\nA PostgreSQL TM keeps a copy of its index between runs in $MIZAN_CACHE_DIR (default ~/.cache/mizan; set it empty for none)."
)]
pub struct Cli {
    /// The translation memory: a file, or a PostgreSQL database (postgres://user@host/db)
    /// [default: $MIZAN_TM, else ./mizan.db].
    #[arg(long, global = true, value_name = "PATH|URL")]
    pub tm: Option<PathBuf>,
    /// How long to wait for another process that is writing the TM, in seconds.
    #[arg(
        long,
        global = true,
        env = "MIZAN_WAIT",
        value_name = "SECONDS",
        default_value_t = 60,
        hide_env_values = true
    )]
    pub wait: u64,
    /// Source language (BCP 47) [default: ar].
    #[arg(long, global = true, value_name = "TAG")]
    pub src_lang: Option<String>,
    /// Target language (BCP 47) [default: en].
    #[arg(long, global = true, value_name = "TAG")]
    pub tgt_lang: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Split Arabic or English text into sentences, one segment per line.
    Segment(segment::Args),
    /// Store one human translation in the TM and print its id.
    Add(add::Args),
    /// Import translation pairs from TSV, CSV, JSON Lines or TMX files.
    Import(import::Args),
    /// Align an Arabic document with its English translation into sentence pairs.
    Align(align::Args),
    /// Find fuzzy matches for new text in the TM.
    Match(matching::Args),
    /// Units whose source (or target) contains a term, Arabic normalization applied.
    Concordance(concordance::Args),
    /// The glossary kept in the TM: import, export, add, list and delete terms.
    Terms(terms::Args),
    /// Rebuild the fuzzy-match index from the units.
    Reindex(reindex::Args),
    /// Export the TM as TMX 1.4b.
    Export(export::Args),
    /// Show what the TM holds.
    Stats(stats::Args),
    /// Delete units by id.
    Delete(edit::DeleteArgs),
    /// Replace the target of a unit.
    Edit(edit::EditArgs),
    /// Leverage report: segments, words and characters per match band.
    Analyze(analyze::Args),
    /// Each segment of an article with its best suggestion, for a translator or a CAT tool.
    Pretranslate(pretranslate::Args),
    /// Quality checks of a bilingual file before delivery: numbers, terms, tags, empty targets.
    Check(check::Args),
    /// Translate an article segment by segment in the terminal, storing each translation at once.
    Translate(translate::Args),
    /// Serve the TM over HTTP/JSON, with tmserver routes for Weblate and other CAT tools.
    Serve(serve::Args),
    /// Run the whole path on the seed article: segment, align, store, match, analyze, export.
    Demo(demo::Args),
    /// Copy every unit of one TM into another (file or PostgreSQL, either way).
    Copy(copy::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
    /// Print the man page (roff), of mizan or of one subcommand.
    Man(completions::ManArgs),
}

/// An error in how mizan was called (exit status 2), found after parsing.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Runs a parsed command line.
///
/// # Errors
/// Whatever the subcommand reports; [`report_error`] turns it into a message and an exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // These two need no TM and no languages.
    let ctx = match cli.command {
        Command::Completions(a) => return completions::run(a),
        Command::Man(a) => return completions::run_man(a),
        _ => Context::new(&cli)?,
    };
    match cli.command {
        Command::Segment(a) => segment::run(&ctx, a),
        Command::Add(a) => add::run(&ctx, a),
        Command::Import(a) => import::run(&ctx, a),
        Command::Align(a) => align::run(&ctx, a),
        Command::Match(a) => matching::run(&ctx, a),
        Command::Concordance(a) => concordance::run(&ctx, a),
        Command::Terms(a) => terms::run(&ctx, a),
        Command::Reindex(a) => reindex::run(&ctx, a),
        Command::Export(a) => export::run(&ctx, a),
        Command::Stats(a) => stats::run(&ctx, a),
        Command::Delete(a) => edit::run_delete(&ctx, a),
        Command::Edit(a) => edit::run_edit(&ctx, a),
        Command::Analyze(a) => analyze::run(&ctx, a),
        Command::Pretranslate(a) => pretranslate::run(&ctx, a),
        Command::Check(a) => check::run(&ctx, a),
        Command::Translate(a) => translate::run(&ctx, a),
        Command::Serve(a) => serve::run(&ctx, a),
        Command::Demo(a) => demo::run(&ctx, a),
        Command::Copy(a) => copy::run(&ctx, a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => completions::run_man(a),
    }
}

/// Prints `mizan: {err:#}` and picks the exit code: 0 for a closed pipe, 2 for a usage error,
/// 1 otherwise.
pub fn report_error(err: &anyhow::Error) -> ExitCode {
    if err
        .chain()
        .filter_map(io_error)
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    {
        return ExitCode::SUCCESS;
    }
    // A lock met after opening (a write that waited for another writer) reads like one met while
    // opening: who holds it and how long mizan waited, once.
    if let Some(tm) = err.chain().find_map(tm_error) {
        if tm.is_locked() && !matches!(tm, TmError::Locked { .. }) {
            if let Some((path, waited)) = LOCK_CONTEXT.get() {
                let locked = TmError::Locked {
                    path: path.clone(),
                    waited: *waited,
                };
                eprintln!("mizan: {locked}");
                return ExitCode::from(1);
            }
        }
    }
    eprintln!("mizan: {err:#}");
    if err.chain().any(|c| c.is::<UsageError>()) {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

/// The I/O error a cause is, or wraps as a library [`mizan::Error`] (whose variants are
/// transparent, so the wrapped error is not a cause of its own in the chain).
fn io_error<'a>(cause: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    match cause.downcast_ref::<mizan::Error>() {
        Some(mizan::Error::Io(io)) => Some(io),
        _ => cause.downcast_ref::<std::io::Error>(),
    }
}

/// The TM error a cause is, or wraps as a library [`mizan::Error`].
fn tm_error<'a>(cause: &'a (dyn std::error::Error + 'static)) -> Option<&'a TmError> {
    match cause.downcast_ref::<mizan::Error>() {
        Some(mizan::Error::Tm(tm)) => Some(tm),
        _ => cause.downcast_ref::<TmError>(),
    }
}

/// The TM and the busy wait of this run, for [`report_error`] to word a lock met after opening as
/// the library words one met while opening ([`TmError::Locked`]).
static LOCK_CONTEXT: std::sync::OnceLock<(PathBuf, std::time::Duration)> = std::sync::OnceLock::new();

/// What every subcommand gets: the global options, checked.
#[derive(Debug)]
pub struct Context {
    /// The TM path.
    pub tm_path: PathBuf,
    /// Whether the TM path was given with --tm on this command line (not from MIZAN_TM).
    pub tm_flag: bool,
    /// The busy wait for a TM another process is writing.
    pub wait: std::time::Duration,
    /// Source language.
    pub src_lang: LangTag,
    /// Target language.
    pub tgt_lang: LangTag,
    /// Whether the languages were given explicitly.
    pub langs_given: bool,
}

impl Context {
    fn new(cli: &Cli) -> anyhow::Result<Context> {
        let tag = |given: &Option<String>, default: &str, flag: &str| -> anyhow::Result<LangTag> {
            LangTag::parse(given.as_deref().unwrap_or(default))
                .map_err(|e| anyhow::Error::new(UsageError(format!("{flag}: {e}"))))
        };
        let from_env = std::env::var_os("MIZAN_TM")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let wait = std::time::Duration::from_secs(cli.wait);
        let tm_path = cli.tm.clone().or(from_env).unwrap_or_else(|| PathBuf::from("mizan.db"));
        let _ = LOCK_CONTEXT.set((tm_path.clone(), wait));
        Ok(Context {
            tm_path,
            tm_flag: cli.tm.is_some(),
            wait,
            src_lang: tag(&cli.src_lang, "ar", "--src-lang")?,
            tgt_lang: tag(&cli.tgt_lang, "en", "--tgt-lang")?,
            langs_given: cli.src_lang.is_some() || cli.tgt_lang.is_some(),
        })
    }

    /// Whether the TM is a PostgreSQL database rather than a file.
    pub fn tm_is_database(&self) -> bool {
        self.tm_path.to_str().is_some_and(mizan::store::is_database_url)
    }

    /// The TM as messages name it: the path, or the database URL without its password.
    pub fn tm_display(&self) -> String {
        display_location(&self.tm_path)
    }

    /// Opens the TM (a file or a PostgreSQL database), restricted to the command's language pair.
    ///
    /// # Errors
    /// The TM's own error, with its location.
    pub fn open_tm(&self, mode: OpenMode) -> anyhow::Result<Box<dyn Store + Send>> {
        self.open_tm_with(mode, Mirror::Cached)
    }

    /// [`Context::open_tm`], choosing where a PostgreSQL TM keeps its in-memory index.
    ///
    /// # Errors
    /// The TM's own error, with its location.
    pub fn open_tm_with(&self, mode: OpenMode, mirror: Mirror) -> anyhow::Result<Box<dyn Store + Send>> {
        let mut tm = open_location(&self.tm_path, mode, self.wait, mirror)?;
        tm.set_language_pair(Some((self.src_lang.clone(), self.tgt_lang.clone())));
        Ok(tm)
    }
}

/// Where a PostgreSQL TM keeps the in-memory copy of its units and their fuzzy index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mirror {
    /// In a cache file kept between runs (one-shot commands: the next run only catches up with
    /// the changes since), when a cache folder is known.
    Cached,
    /// In memory only (a server, whose workers each keep their own for as long as they run).
    InMemory,
}

/// The mirror cache file for the database `location` (password removed): in `$MIZAN_CACHE_DIR`,
/// else `$XDG_CACHE_HOME/mizan`, else `~/.cache/mizan`; none when `MIZAN_CACHE_DIR` is set empty.
fn mirror_cache_path(location: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("MIZAN_CACHE_DIR") {
        Some(d) if d.is_empty() => return None,
        Some(d) => PathBuf::from(d),
        None => match std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
            Some(d) => PathBuf::from(d).join("mizan"),
            None => PathBuf::from(std::env::var_os("HOME").filter(|d| !d.is_empty())?)
                .join(".cache")
                .join("mizan"),
        },
    };
    // FNV-1a of the location: one file per database, a stable name without the URL's text.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in location.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    Some(dir.join(format!("pg-{h:016x}.db")))
}

/// A TM location as messages name it (a database URL loses its password).
pub fn display_location(location: &Path) -> String {
    match location.to_str() {
        Some(url) if mizan::store::is_database_url(url) => redact(url),
        _ => location.display().to_string(),
    }
}

/// `url` without its password.
fn redact(url: &str) -> String {
    #[cfg(feature = "postgres")]
    {
        mizan::pg::redact(url)
    }
    #[cfg(not(feature = "postgres"))]
    {
        url.split_once("://")
            .map(|(s, _)| format!("{s}://…"))
            .unwrap_or_default()
    }
}

/// Opens the TM at `location` (a path, or a PostgreSQL URL).
///
/// # Errors
/// The TM's own error, with its location.
pub fn open_location(
    location: &Path,
    mode: OpenMode,
    wait: std::time::Duration,
    mirror: Mirror,
) -> anyhow::Result<Box<dyn Store + Send>> {
    // A path that is not UTF-8 is a file (only URLs need to be text): opened by its bytes.
    let opened: mizan::Result<Box<dyn Store + Send>> = match location.to_str() {
        Some(l) => {
            let cache = match mirror {
                Mirror::Cached if mizan::store::is_database_url(l) => mirror_cache_path(&redact(l)),
                _ => None,
            };
            mizan::store::open(l, &StoreOptions::new(mode).wait(wait).mirror_cache(cache))
        }
        None => mizan::tm::Tm::open_with(location, &mizan::tm::OpenOptions::new(mode).wait(wait))
            .map(|tm| Box::new(tm) as Box<dyn Store + Send>)
            .map_err(mizan::Error::from),
    };
    opened.with_context(|| format!("opening the translation memory {}", display_location(location)))
}

/// Reads a whole input file (or standard input for `-`) as UTF-8.
///
/// # Errors
/// The file cannot be read, or is not UTF-8 (with the line of the first bad byte).
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = if path == Path::new("-") {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut b).context("reading standard input")?;
        b
    } else {
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))?
    };
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let upto = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..upto].iter().filter(|&&b| b == b'\n').count() + 1;
            anyhow::bail!("{}:{line}: not UTF-8 (invalid byte at offset {upto})", path.display())
        }
    }
}
