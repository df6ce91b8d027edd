//! `mizan demo`: the whole path on the seed article, printing what it does at each step. Every
//! step is a library call ([`mizan::workflow`], [`mizan::tm::Tm::suggest`]).
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use mizan::segment::Segmenter;
use mizan::tm::suggest::MatchOptions;
use mizan::tm::{OpenMode, Tm, UnitFilter};
use mizan::workflow::{
    align_documents, aligner_lexicon, analyze, export_tmx, store_aligned, AnalyzeOptions, DocumentAlignOptions,
    SentenceSplit, StoreOptions,
};

const SEED_AR: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/seed-article.ar.txt"));
const SEED_EN: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/seed-article.en.txt"));
const SEED_PAIRS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/seed-article.pairs.tsv"));
const TMX_DTD: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/tmx14.dtd"));

/// New sentences close to stored ones: a number changed; a clause reworded.
const QUERIES: [&str; 2] = [
    "والزيارة هي الأولى لبوتين إلى العاصمة الكورية الشمالية منذ 25 عامًا، ومن المرجح أن تعيد تشكيل عقود من العلاقات بين البلدين في وقت يواجهان فيه عزلة دولية.",
    "وأعلن بوتين توقيع معاهدة جديدة بين روسيا وكوريا الشمالية تنص على “المساعدة المتبادلة” في حال تعرض أي من البلدين “للعدوان”.",
];

/// A sentence no unit translates.
const NEW_SENTENCE: &str = "وقال مسؤول روسي إن الوفد سيعود إلى موسكو مساء الخميس.";

/// Arguments of `mizan demo`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  cargo run --release -- demo\n  mizan demo --out-dir /tmp/demo")]
pub struct Args {
    /// Where to write the demo's TM (unless --tm is given) and its TMX export; replaced on each run.
    #[arg(long, default_value = "mizan-demo")]
    out_dir: PathBuf,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    if ctx.tm_flag && ctx.tm_is_database() {
        // The demo writes its own small TM file; a team database is not the place for it.
        return Err(super::UsageError(format!(
            "mizan demo stores into a TM file, not a database ({}): give --tm a path, or none",
            ctx.tm_display()
        ))
        .into());
    }
    let mut out = std::io::stdout().lock();
    std::fs::create_dir_all(&a.out_dir).with_context(|| format!("creating {}", a.out_dir.display()))?;
    // Only an explicit --tm puts the demo into a given TM; $MIZAN_TM (the user's own TM) is
    // never written by the demo.
    let tm_path = if ctx.tm_flag {
        ctx.tm_path.clone()
    } else {
        a.out_dir.join("demo.db")
    };
    if !ctx.tm_flag {
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", tm_path.display()));
            if p.exists() {
                std::fs::remove_file(&p).with_context(|| format!("removing the old demo TM {}", p.display()))?;
            }
        }
    }
    let ar_rules = Segmenter::for_language(ctx.src_lang.as_str());

    writeln!(
        out,
        "mizan demo — the seed article (Al Jazeera Mubasher, Putin's visit to North Korea)\n"
    )?;
    writeln!(out, "1. Segment the Arabic article (seeds/seed-article.ar.txt)")?;
    let segments = ar_rules.segment(SEED_AR);
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
        "\n2. Align it with its English translation (seeds/seed-article.en.txt)"
    )?;
    // The segmenter's sentences as they are (no correction), and the built-in lexicon (the demo
    // TM is empty: nothing to learn from yet).
    let lexicon = aligner_lexicon(None, &ctx.src_lang, &ctx.tgt_lang)?;
    let aligned = align_documents(
        SEED_AR,
        SEED_EN,
        &lexicon,
        &DocumentAlignOptions {
            split: SentenceSplit::Segment,
            ..DocumentAlignOptions::new(ctx.src_lang.clone(), ctx.tgt_lang.clone())
        },
    );
    let (ar, en, links) = (&aligned.ar, &aligned.en, &aligned.links);
    let mut kinds = std::collections::BTreeMap::new();
    for l in links {
        *kinds.entry(l.kind()).or_insert(0) += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} × {k}")).collect();
    writeln!(
        out,
        "   {} Arabic and {} English sentences → {} links ({})",
        ar.len(),
        en.len(),
        links.len(),
        kinds.join(", ")
    )?;
    let hand: Vec<(&str, &str)> = SEED_PAIRS.lines().skip(1).filter_map(|l| l.split_once('\t')).collect();
    let agree = links
        .iter()
        .filter(|l| {
            hand.iter()
                .any(|(x, y)| *x == aligned.ar_text(l) && *y == aligned.en_text(l))
        })
        .count();
    writeln!(
        out,
        "   {agree} of the {} hand-checked pairs (seeds/seed-article.pairs.tsv) reproduced",
        hand.len()
    )?;
    for l in links.iter().filter(|l| l.confidence < 0.5) {
        writeln!(
            out,
            "   to review, confidence {:.2}: {}  ↔  {}",
            l.confidence,
            aligned.ar_text(l),
            aligned.en_text(l)
        )?;
    }

    writeln!(out, "\n3. Store the aligned pairs in {}", tm_path.display())?;
    let mut tm = Tm::open(&tm_path, OpenMode::Create).with_context(|| format!("opening {}", tm_path.display()))?;
    tm.set_language_pair(Some((ctx.src_lang.clone(), ctx.tgt_lang.clone())));
    let stored = store_aligned(
        &mut tm,
        &aligned,
        &StoreOptions {
            min_confidence: 0.0,
            document: Some("seed-article.ar.txt".into()),
        },
    )?;
    writeln!(
        out,
        "   added {} as unreviewed (machine alignment ranks below reviewed translations until a person confirms it); the TM now holds {} units",
        stored.stored,
        tm.stats()?.units
    )?;

    writeln!(out, "\n4. Fuzzy matches for new sentences close to stored ones")?;
    for q in QUERIES {
        writeln!(out, "   query: {q}")?;
        let matches = tm.suggest(
            q,
            &MatchOptions {
                min: 50.0,
                top: 2,
                ..MatchOptions::default()
            },
        )?;
        if matches.is_empty() {
            writeln!(out, "     no match ≥ 50")?;
        }
        for m in matches {
            writeln!(
                out,
                "     {:5.1}  #{}  {}, {}  {}",
                m.score,
                m.unit.id,
                m.unit.origin.as_str(),
                m.unit.status,
                m.unit.source
            )?;
            writeln!(out, "            → {}", m.suggestion)?;
            if let Some(note) = super::matching::penalty_note(&m.penalties, m.fuzzy_score) {
                writeln!(out, "            penalties: {note}")?;
            }
        }
    }

    writeln!(
        out,
        "\n5. Leverage analysis of a new article: the two sentences above, a stored headline, a new sentence"
    )?;
    let article = format!("{}\n\n{}\n\nزيارة نادرة\n\n{NEW_SENTENCE}\n", QUERIES[0], QUERIES[1]);
    let report = analyze(
        &tm,
        &[("new-article.ar.txt".to_string(), article)],
        &AnalyzeOptions::new(ctx.src_lang.clone()),
    )?;
    for b in report.total.bands.iter().filter(|b| b.counts.segments > 0) {
        writeln!(
            out,
            "   {:<12} {} segments, {} words",
            b.band, b.counts.segments, b.counts.words
        )?;
    }
    writeln!(
        out,
        "   (the stored headline is an unreviewed aligned pair: 6 points off put it in a fuzzy band until a person confirms it)"
    )?;

    let tmx_path = a.out_dir.join("seed-article.tmx");
    writeln!(out, "\n6. Export the TM as TMX 1.4b")?;
    let export = mizan::outfile::write_atomically(&tmx_path, Some(tm.path()), |w| {
        export_tmx(&tm, &UnitFilter::default(), w)
    })?;
    std::fs::write(a.out_dir.join("tmx14.dtd"), TMX_DTD).context("writing the TMX DTD beside the export")?;
    writeln!(out, "   wrote {} units to {}", export.units, tmx_path.display())?;
    writeln!(
        out,
        "   check it: xmllint --noout --dtdvalid schemas/tmx14.dtd {}",
        tmx_path.display()
    )?;
    writeln!(
        out,
        "\nNext: mizan --tm {0} match 'نص عربي جديد'  ·  mizan --tm {0} stats",
        tm_path.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
