//! `mizan segment`: one segment per line, or JSON Lines with offsets.
use std::io::Write;

use anyhow::Context as _;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{output, Context};
use mizan::segment::Segmenter;

/// Arguments of `mizan segment`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan segment --lang ar seeds/seed-article.ar.txt\n  echo 'قال الرئيس: نعم. ثم غادر.' | mizan segment --json"
)]
pub struct Args {
    /// The text file (`-` or nothing for standard input).
    #[arg(default_value = "-")]
    file: PathBuf,
    /// Language of the text (BCP 47) [default: the source language, ar].
    #[arg(long, value_name = "TAG")]
    lang: Option<String>,
    /// Your own SRX 2.0 rules (as OmegaT and Okapi users have them) instead of the built-in ones.
    #[arg(long, value_name = "FILE.srx")]
    rules: Option<PathBuf>,
    /// JSON Lines: {"index","text","paragraph","start","end"} (character offsets).
    #[arg(long)]
    json: bool,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    let lang = match &a.lang {
        Some(l) => mizan::tm::LangTag::parse(l).map_err(|e| super::UsageError(format!("--lang: {e}")))?,
        None => ctx.src_lang.clone(),
    };
    let text = super::read_text(&a.file)?;
    let segmenter = match &a.rules {
        Some(path) => {
            let srx = super::read_text(path)?;
            Segmenter::from_srx(&srx, lang.as_str()).with_context(|| format!("{}", path.display()))?
        }
        None => Segmenter::for_language(lang.as_str()),
    };
    let terminal = output::stdout_is_terminal();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for seg in segmenter.segment(&text) {
        if a.json {
            output::json_line(&mut out, &seg)?;
        } else {
            writeln!(out, "{}", output::display(&seg.text, terminal))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
