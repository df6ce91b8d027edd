//! `mizan demo`: the whole path on the seed article, printing what it does at each step.
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use crate::formats::{tabular::TsvReader, ReadOptions};
use crate::segment::Segmenter;
use crate::tm::import::{import, ImportOptions};
use crate::tm::{OpenMode, Tm, UnitFilter};

const SEED_AR: &str = include_str!("../../seeds/seed-article.ar.txt");
const SEED_PAIRS: &str = include_str!("../../seeds/seed-article.pairs.tsv");
const TMX_DTD: &str = include_str!("../../schemas/tmx14.dtd");

/// Arguments of `mizan demo`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  cargo run --release -- demo\n  mizan demo --out-dir /tmp/demo")]
pub struct Args {
    /// Where to write the demo's TM (unless --tm is given) and its TMX export; replaced on each run.
    #[arg(long, default_value = "mizan-demo")]
    out_dir: PathBuf,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    std::fs::create_dir_all(&a.out_dir).with_context(|| format!("creating {}", a.out_dir.display()))?;
    let tm_given = std::env::args_os().any(|x| x == "--tm") || std::env::var_os("MIZAN_TM").is_some();
    let tm_path = if tm_given {
        ctx.tm_path.clone()
    } else {
        a.out_dir.join("demo.db")
    };
    if !tm_given {
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", tm_path.display()));
            if p.exists() {
                std::fs::remove_file(&p).with_context(|| format!("removing the old demo TM {}", p.display()))?;
            }
        }
    }

    writeln!(
        out,
        "mizan demo — the seed article (Al Jazeera Mubasher, Putin's visit to North Korea)\n"
    )?;
    writeln!(out, "1. Segment the Arabic article (seeds/seed-article.ar.txt)")?;
    let segments = Segmenter::for_language(ctx.src_lang.as_str()).segment(SEED_AR);
    let paragraphs = segments.last().map_or(0, |s| s.paragraph + 1);
    writeln!(
        out,
        "   {} segments in {paragraphs} paragraphs; the first three:",
        segments.len()
    )?;
    for s in segments.iter().take(3) {
        writeln!(out, "   [{}] {}", s.index, s.text)?;
    }

    writeln!(
        out,
        "\n2. Store the hand-checked sentence pairs (seeds/seed-article.pairs.tsv) in {}",
        tm_path.display()
    )?;
    let mut tm = Tm::open(&tm_path, OpenMode::Create).with_context(|| format!("opening {}", tm_path.display()))?;
    let read_opts = ReadOptions {
        file: "seed-article.pairs.tsv".into(),
        source_lang: ctx.src_lang.clone(),
        target_lang: ctx.tgt_lang.clone(),
    };
    let opts = ImportOptions {
        document: Some("seed-article.ar.txt".into()),
        ..Default::default()
    };
    let report = import(&mut tm, TsvReader::new(SEED_PAIRS.as_bytes(), read_opts), &opts, |r| {
        eprintln!("seed pairs:{}: {}", r.line, r.reason)
    })?;
    writeln!(
        out,
        "   added {}, skipped {} duplicates, rejected {}",
        report.added, report.duplicates, report.rejected
    )?;
    let stats = tm.stats()?;
    writeln!(out, "   the TM now holds {} units", stats.units)?;

    writeln!(out, "\n3. Fuzzy matches for new sentences close to stored ones")?;
    let queries = [
        "والزيارة هي الأولى لبوتين إلى العاصمة الكورية الشمالية منذ 25 عامًا، ومن المرجح أن تعيد تشكيل عقود من العلاقات بين البلدين في وقت يواجهان فيه عزلة دولية.",
        "وأعلن بوتين توقيع معاهدة جديدة بين روسيا وكوريا الشمالية تنص على المساعدة المتبادلة.",
    ];
    for q in queries {
        writeln!(out, "   query: {q}")?;
        let matches = super::matching::find(&tm, q, 50.0, 2, false)?;
        if matches.is_empty() {
            writeln!(out, "     no match ≥ 50")?;
        }
        for m in matches {
            writeln!(out, "     {:5.1}  #{}  {}", m.score, m.id, m.source)?;
            writeln!(out, "            → {}", m.suggestion)?;
        }
    }

    let tmx_path = a.out_dir.join("seed-article.tmx");
    writeln!(out, "\n4. Export the TM as TMX 1.4b")?;
    let filter = UnitFilter::default();
    let srclang = super::export::header_srclang(&tm, &filter)?;
    let export =
        super::export::write_file_atomically(&tmx_path, |w| super::export::write_tmx(&tm, &filter, &srclang, w))?;
    std::fs::write(a.out_dir.join("tmx14.dtd"), TMX_DTD).context("writing the TMX DTD beside the export")?;
    writeln!(out, "   wrote {} units to {}", export.units, tmx_path.display())?;
    writeln!(
        out,
        "   check it: xmllint --noout --dtdvalid schemas/tmx14.dtd {}",
        tmx_path.display()
    )?;
    writeln!(
        out,
        "\nNext: mizan --tm {} match 'نص عربي جديد'  ·  mizan --tm {} stats",
        tm_path.display(),
        tm_path.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
