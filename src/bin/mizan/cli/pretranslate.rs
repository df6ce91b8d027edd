//! `mizan pretranslate`: every segment of an article with its best suggestion, as TSV for a
//! translator to fill in, TMX, or XLIFF 1.2 for CAT tools.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{output, Context, UsageError};
use mizan::formats::tmx::{TmxHeader, TmxWriter};
use mizan::formats::xliff::write_xliff;
use mizan::report::{pretranslate, Pretranslated};
use mizan::segment::Segmenter;
use mizan::tm::{date, OpenMode, Origin, Unit};

/// Arguments of `mizan pretranslate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan pretranslate new.ar.txt --out new.tsv      # edit the suggestion column, then:\n  mizan import new.tsv                              # stores the edited lines as human translations\n  mizan pretranslate new.ar.txt --format xliff --out new.xlf"
)]
pub struct Args {
    /// The article (plain text, one paragraph per line; `-` for standard input).
    file: PathBuf,
    /// Lowest score to suggest.
    #[arg(long, default_value_t = 75.0)]
    min: f64,
    /// Output format: tsv (index, source, suggestion, score, origin, unit_id), tmx, or xliff (1.2).
    #[arg(long, default_value = "tsv", value_parser = ["tsv", "tmx", "xliff"])]
    format: String,
    /// Output file (`-` for standard output); a file is written whole or not at all.
    #[arg(long, short, default_value = "-")]
    out: PathBuf,
    /// Matches per segment kept as alternatives in XLIFF.
    #[arg(long, default_value_t = 3)]
    alternatives: usize,
}

fn write_tsv(out: &mut dyn Write, segs: &[Pretranslated]) -> std::io::Result<()> {
    writeln!(out, "index\tsource\tsuggestion\tscore\torigin\tunit_id")?;
    for s in segs {
        match s.matches.first() {
            Some(m) => writeln!(
                out,
                "{}\t{}\t{}\t{:.1}\t{}\t{}",
                s.index,
                output::tsv_field(&s.source),
                output::tsv_field(&m.suggestion),
                m.score,
                m.unit.origin.as_str(),
                m.unit.id
            )?,
            None => writeln!(out, "{}\t{}\t\t\t\t", s.index, output::tsv_field(&s.source))?,
        }
    }
    Ok(())
}

fn write_tmx(out: &mut dyn Write, ctx: &Context, document: &str, segs: &[Pretranslated]) -> std::io::Result<()> {
    let mut w = TmxWriter::new(
        out,
        &TmxHeader {
            srclang: ctx.src_lang.to_string(),
        },
    )?;
    let now = date::now();
    for s in segs {
        let Some(m) = s.matches.first() else { continue };
        let unit = Unit {
            id: m.unit.id,
            source_lang: ctx.src_lang.clone(),
            target_lang: ctx.tgt_lang.clone(),
            source: s.source.clone(),
            target: m.suggestion.clone(),
            source_markup: None,
            target_markup: None,
            origin: Origin::Human,
            document: Some(document.to_string()),
            position: Some(s.index as i64),
            tuid: None,
            created_at: now.clone(),
            created_by: None,
            changed_at: now.clone(),
            changed_by: None,
            usage_count: 0,
            last_used_at: None,
            note: Some(format!("mizan suggestion: {:.1}% from unit {}", m.score, m.unit.id)),
            props: Vec::new(),
        };
        w.write_unit(&unit)?;
    }
    w.finish()?;
    Ok(())
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    if !(0.0..=100.0).contains(&a.min) {
        return Err(UsageError("--min must be between 0 and 100".into()).into());
    }
    let text = super::read_text(&a.file)?;
    let mut tm = ctx.open_tm(OpenMode::ReadOnly)?;
    tm.load_index()?;
    let segs = pretranslate(
        &tm,
        &text,
        &Segmenter::for_language(ctx.src_lang.as_str()),
        a.min,
        a.alternatives,
    )?;
    let document = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "stdin".into());
    let write = |w: &mut dyn Write| -> anyhow::Result<()> {
        match a.format.as_str() {
            "tmx" => write_tmx(w, ctx, &document, &segs)?,
            "xliff" => write_xliff(w, &document, ctx.src_lang.as_str(), ctx.tgt_lang.as_str(), &segs)?,
            _ => write_tsv(w, &segs)?,
        }
        Ok(())
    };
    if a.out == Path::new("-") {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        write(&mut out)?;
        out.flush()?;
    } else {
        super::export::write_file_atomically(&a.out, &ctx.tm_path, |w| write(w))?;
    }
    let matched = segs.iter().filter(|s| !s.matches.is_empty()).count();
    eprintln!("{} segments, {matched} with a suggestion ≥ {}", segs.len(), a.min);
    Ok(ExitCode::SUCCESS)
}
