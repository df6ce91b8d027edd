//! The workflows on real data: the seed article (`seeds/`) and the NTREX news sentences
//! (`tests/data/fuzzy/`).

use super::*;
use crate::align::Lexicon;
use crate::formats::{self, Format, ReadOptions};
use crate::tm::import::{import, ImportOptions};
use crate::tm::suggest::MatchOptions;
use crate::tm::{DuplicatePolicy, LangTag, NewUnit, Origin, Status, Tm, UnitFilter};

const SEED_AR: &str = include_str!("../../seeds/seed-article.ar.txt");
const SEED_EN: &str = include_str!("../../seeds/seed-article.en.txt");
const SEED_PAIRS: &str = include_str!("../../seeds/seed-article.pairs.tsv");
const NTREX_AR: &str = include_str!("../../tests/data/fuzzy/ntrex.ar.txt");
const NTREX_EN: &str = include_str!("../../tests/data/fuzzy/ntrex.en.txt");

fn ar() -> LangTag {
    LangTag::parse("ar").unwrap()
}

fn en() -> LangTag {
    LangTag::parse("en").unwrap()
}

/// The hand-checked pairs of the seed article (without the header line).
fn seed_pairs() -> Vec<(&'static str, &'static str)> {
    SEED_PAIRS.lines().skip(1).filter_map(|l| l.split_once('\t')).collect()
}

/// A TM holding the first `n` NTREX pairs as reviewed human translations.
fn ntrex_tm(n: usize) -> Tm {
    let mut tm = Tm::open_in_memory().unwrap();
    tm.set_language_pair(Some((ar(), en())));
    let mut batch = tm.batch(DuplicatePolicy::KeepBoth).unwrap();
    for (a, e) in NTREX_AR.lines().zip(NTREX_EN.lines()).take(n) {
        batch
            .add(&NewUnit::new("ar", "en", a, e, Origin::Human).unwrap())
            .unwrap();
    }
    batch.commit().unwrap();
    tm
}

/// Every unit of `tm`, in id order.
fn units(tm: &Tm) -> Vec<crate::tm::Unit> {
    let mut v = Vec::new();
    tm.visit_units(&UnitFilter::default(), |u| {
        v.push(u);
        true
    })
    .unwrap();
    v
}

#[test]
fn the_seed_article_aligns_into_its_hand_checked_pairs() {
    let hand = seed_pairs();
    for split in [SentenceSplit::Segment, SentenceSplit::SegmentAndCorrect] {
        let opts = DocumentAlignOptions {
            split,
            ..DocumentAlignOptions::new(ar(), en())
        };
        let aligned = align_documents(SEED_AR, SEED_EN, &crate::align::Lexicon::default(), &opts);
        let texts: Vec<(String, String)> = aligned
            .links
            .iter()
            .map(|l| (aligned.ar_text(l), aligned.en_text(l)))
            .collect();
        if split == SentenceSplit::Segment {
            assert_eq!((aligned.ar.len(), aligned.en.len()), (23, 26), "{split:?}");
            let hand: Vec<(String, String)> = hand.iter().map(|(a, e)| (a.to_string(), e.to_string())).collect();
            assert_eq!(texts, hand, "{split:?}");
            continue;
        }
        // Re-segmentation may split an Arabic sentence where the translator made two English
        // sentences of it (here once, at `” للعملية`, where the hand-checked pairs keep the
        // 1-2 link): every hand-checked pair is then one link or the union of consecutive links.
        let mut k = 0;
        let mut refined = 0;
        for (a, e) in &hand {
            let (mut ja, mut je) = (String::new(), String::new());
            let start = k;
            while k < texts.len() && (ja.as_str(), je.as_str()) != (*a, *e) {
                let sep = |s: &String| if s.is_empty() { "" } else { " " };
                ja = format!("{ja}{}{}", sep(&ja), texts[k].0).trim().to_string();
                je = format!("{je}{}{}", sep(&je), texts[k].1).trim().to_string();
                k += 1;
            }
            assert_eq!((ja.as_str(), je.as_str()), (*a, *e), "{split:?}");
            refined += usize::from(k - start > 1);
        }
        assert_eq!(k, texts.len());
        assert!(refined <= 1, "{refined} hand-checked pairs split");
    }
}

#[test]
fn presegmented_lines_are_aligned_as_given() {
    let ar_lines: String = NTREX_AR.lines().take(40).map(|l| format!("{l}\n")).collect();
    let en_lines: String = NTREX_EN.lines().take(40).map(|l| format!("{l}\n")).collect();
    let opts = DocumentAlignOptions {
        split: SentenceSplit::Presegmented,
        ..DocumentAlignOptions::new(ar(), en())
    };
    let aligned = align_documents(&ar_lines, &en_lines, &crate::align::Lexicon::default(), &opts);
    assert_eq!((aligned.ar.len(), aligned.en.len()), (40, 40));
    let one_to_one = aligned
        .links
        .iter()
        .filter(|l| l.ar_ids.len() == 1 && l.en_ids.len() == 1 && l.ar_ids == l.en_ids)
        .count();
    assert!(
        one_to_one >= 36,
        "NTREX is line-parallel: {one_to_one} of 40 lines linked 1-1 in place"
    );
}

#[test]
fn align_and_store_keeps_the_pairs_unreviewed_with_their_provenance() {
    let mut tm = Tm::open_in_memory().unwrap();
    let mut opts = AlignAndStoreOptions::new(ar(), en());
    // the segmenter's sentences as they are, so that the links are the hand-checked pairs
    // (re-segmentation splits one of them: see the test above)
    opts.alignment.split = SentenceSplit::Segment;
    opts.store = StoreOptions {
        min_confidence: 0.0,
        document: Some("seed-article.ar.txt".into()),
    };
    let done = align_and_store(&mut tm, SEED_AR, SEED_EN, &opts).unwrap();
    assert_eq!(
        done.lexicon_entries,
        Lexicon::builtin().len(),
        "an empty TM teaches nothing: the built-in lexicon alone"
    );
    assert_eq!(
        done.store,
        StoreReport {
            stored: 23,
            ..StoreReport::default()
        }
    );
    let stored = units(&tm);
    let hand = seed_pairs();
    assert_eq!(stored.len(), hand.len());
    for (u, (a, e)) in stored.iter().zip(&hand) {
        assert_eq!((u.source.as_str(), u.target.as_str()), (*a, *e));
        assert_eq!((u.origin, u.status), (Origin::Align, Status::Unreviewed));
        assert_eq!(u.document.as_deref(), Some("seed-article.ar.txt"));
        let confidence = u
            .props
            .iter()
            .find(|(k, _)| k == PROP_CONFIDENCE)
            .map(|(_, v)| v.parse::<f64>().unwrap())
            .unwrap();
        assert!((0.0..=1.0).contains(&confidence));
    }
    let positions: Vec<_> = stored.iter().map(|u| u.position.unwrap()).collect();
    assert_eq!(positions, (0..23).collect::<Vec<i64>>());

    // The same article again: every pair is already there, and the TM's pairs now teach a lexicon.
    let again = align_and_store(&mut tm, SEED_AR, SEED_EN, &opts).unwrap();
    assert_eq!((again.store.stored, again.store.duplicates), (0, 23));
    assert!(again.lexicon_entries > Lexicon::builtin().len());
    assert_eq!(units(&tm).len(), 23);
}

#[test]
fn store_counts_what_it_leaves_out() {
    let mut tm = Tm::open_in_memory().unwrap();
    let opts = DocumentAlignOptions::new(ar(), en());
    let mut aligned = align_documents(SEED_AR, SEED_EN, &crate::align::Lexicon::default(), &opts);
    let low = aligned.links.iter().filter(|l| l.confidence < 0.5).count();
    let pairs = aligned
        .links
        .iter()
        .filter(|l| !l.ar_ids.is_empty() && !l.en_ids.is_empty())
        .count();
    assert!(low >= 1, "the seed article has a link to review");
    // A sentence left untranslated, and a pair whose English is only white space.
    aligned.ar.push(crate::align::Sentence::new("جملة بلا ترجمة.", 99));
    aligned.en.push(crate::align::Sentence::new(" \t", 99));
    let (a, e) = (aligned.ar.len() - 1, aligned.en.len() - 1);
    aligned.links.push(crate::align::Link {
        ar_ids: vec![a],
        en_ids: vec![],
        confidence: 1.0,
    });
    aligned.links.push(crate::align::Link {
        ar_ids: vec![a],
        en_ids: vec![e],
        confidence: 1.0,
    });
    // A sure 3-1 link: the contract stores 1-1, 2-1, 1-2 and 2-2 links only.
    aligned.links.push(crate::align::Link {
        ar_ids: vec![0, 1, 2],
        en_ids: vec![0],
        confidence: 1.0,
    });
    let report = store_aligned(&mut tm, &aligned, &StoreOptions::default()).unwrap();
    assert_eq!(
        report,
        StoreReport {
            stored: pairs - low,
            below_min_confidence: low,
            one_sided: 1,
            over_two: 1,
            empty: 1,
            duplicates: 0,
        }
    );
    assert_eq!(units(&tm).len(), pairs - low);
    assert!(units(&tm).iter().all(|u| u.document.is_none()));
}

#[test]
fn the_lexicon_is_learned_from_the_language_pair_only() {
    let mut tm = ntrex_tm(659);
    let lexicon = learn_lexicon(&tm, &ar(), &en()).unwrap();
    assert!(lexicon.len() > 100, "{} entries", lexicon.len());
    assert!(lexicon.translates("الرئيس", "president"));
    // Another language pair teaches nothing for ar→en, and ar→en nothing for it.
    assert!(learn_lexicon(&tm, &en(), &ar()).unwrap().is_empty());
    let fr = LangTag::parse("fr").unwrap();
    assert!(learn_lexicon(&tm, &ar(), &fr).unwrap().is_empty());
    tm.add(
        &NewUnit::new("ar", "fr", "الرئيس", "le président", Origin::Human).unwrap(),
        DuplicatePolicy::KeepBoth,
    )
    .unwrap();
    assert_eq!(learn_lexicon(&tm, &ar(), &en()).unwrap().len(), lexicon.len());
    // What `mizan align` uses: the built-in lexicon for Arabic→English only, with the TM's pairs.
    let used = aligner_lexicon(Some(&tm), &ar(), &en()).unwrap();
    assert_eq!(used.len(), lexicon.union(Lexicon::builtin()).len());
    assert!(used.len() > lexicon.len() && used.len() > Lexicon::builtin().len());
    assert!(used.translates("الرئيس", "president") && used.translates("الصحة", "health"));
    let ar_fr = aligner_lexicon(Some(&tm), &ar(), &fr).unwrap();
    assert!(ar_fr.is_empty(), "the built-in lexicon is Arabic→English only");
    let region = LangTag::parse("en-US").unwrap();
    assert_eq!(
        aligner_lexicon(None, &ar(), &region).unwrap().len(),
        Lexicon::builtin().len()
    );
}

#[test]
fn the_exported_tmx_holds_every_unit_and_imports_back_unchanged() {
    let mut tm = Tm::open_in_memory().unwrap();
    let mut opts = AlignAndStoreOptions::new(ar(), en());
    opts.store.min_confidence = 0.0;
    let stored = align_and_store(&mut tm, SEED_AR, SEED_EN, &opts).unwrap().store.stored;
    assert!(stored >= 23, "{stored} pairs");
    let mut tmx = Vec::new();
    let report = export_tmx(&tm, &UnitFilter::default(), &mut tmx).unwrap();
    assert_eq!((report.units, report.forbidden_chars), (stored as u64, 0));
    let text = String::from_utf8(tmx.clone()).unwrap();
    assert!(text.starts_with("<?xml"), "{}", &text[..80]);
    assert!(text.contains(r#"srclang="ar""#));
    assert_eq!(text.matches("<tu ").count() + text.matches("<tu>").count(), stored);
    assert!(text.trim_end().ends_with("</tmx>"));

    let mut back = Tm::open_in_memory().unwrap();
    let records = formats::reader(
        Format::Tmx,
        &tmx[..],
        ReadOptions {
            file: "seed.tmx".into(),
            source_lang: ar(),
            target_lang: en(),
        },
    )
    .unwrap();
    let imported = import(&mut back, records, &ImportOptions::default(), |r| panic!("{r:?}")).unwrap();
    assert_eq!(imported.added, stored as u64);
    let (a, b) = (units(&tm), units(&back));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            (
                &x.source,
                &x.target,
                x.origin,
                x.status,
                &x.document,
                x.position,
                &x.props
            ),
            (
                &y.source,
                &y.target,
                y.origin,
                y.status,
                &y.document,
                y.position,
                &y.props
            )
        );
    }

    // A filter that passes nothing still gives a whole document, with the filter's language.
    let mut empty = Vec::new();
    let filter = UnitFilter {
        status: Some(Status::Reviewed),
        source_lang: Some(en()),
        ..UnitFilter::default()
    };
    assert_eq!(export_tmx(&tm, &filter, &mut empty).unwrap().units, 0);
    let empty = String::from_utf8(empty).unwrap();
    assert!(empty.contains(r#"srclang="en""#) && empty.trim_end().ends_with("</tmx>"));
}

#[test]
fn an_output_that_fails_is_an_io_error() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let tm = ntrex_tm(20);
    assert!(matches!(
        export_tmx(&tm, &UnitFilter::default(), Full),
        Err(crate::Error::Io(_))
    ));
    let opts = PretranslateOptions::new(ar(), en(), "a.txt");
    assert!(matches!(
        pretranslate(&tm, NTREX_AR.lines().next().unwrap(), Full, &opts),
        Err(crate::Error::Io(_))
    ));
}

/// Three NTREX sentences the TM holds (the first, one with a number changed, the third) and one
/// it does not (line 600; the TMs of these tests hold the first 300).
fn article() -> String {
    let lines: Vec<&str> = NTREX_AR.lines().collect();
    let digit = |c: char| c.is_ascii_digit() || ('٠'..='٩').contains(&c);
    let with_number = (3..300).find(|&i| lines[i].contains(digit)).unwrap();
    let changed = lines[with_number].replacen(digit, "7", 1);
    let changed = if changed == lines[with_number] {
        lines[with_number].replacen(digit, "8", 1)
    } else {
        changed
    };
    format!("{}\n\n{changed}\n\n{}\n\n{}\n", lines[0], lines[2], lines[600])
}

#[test]
fn pretranslate_writes_every_segment_in_each_format() {
    let mut tm = ntrex_tm(300);
    tm.load_index().unwrap();
    let article = article();
    let segments = crate::segment::Segmenter::for_language("ar").segment(&article).len();
    let expect_suggested = segments - 1;

    let mut opts = PretranslateOptions::new(ar(), en(), "news.ar.txt");
    opts.matches.min = 50.0;
    let mut tsv = Vec::new();
    let report = pretranslate(&tm, &article, &mut tsv, &opts).unwrap();
    assert_eq!((report.segments, report.with_suggestion), (segments, expect_suggested));
    let tsv = String::from_utf8(tsv).unwrap();
    let rows: Vec<Vec<&str>> = tsv.lines().skip(1).map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), segments);
    assert!(
        rows.iter()
            .all(|r| r.len() == crate::formats::pretranslated::TSV_COLUMNS.len()),
        "{tsv}"
    );
    let en_lines: Vec<&str> = NTREX_EN.lines().collect();
    assert_eq!((rows[0][2], rows[0][3], rows[0][6]), (en_lines[0], "100.0", "reviewed"));
    assert!(rows.last().unwrap()[2].is_empty(), "sentence 600 is not in the TM");

    opts.format = PretranslateFormat::Tmx;
    let mut tmx = Vec::new();
    pretranslate(&tm, &article, &mut tmx, &opts).unwrap();
    let tmx = String::from_utf8(tmx).unwrap();
    assert_eq!(
        tmx.matches("<tu ").count() + tmx.matches("<tu>").count(),
        expect_suggested
    );
    assert!(tmx.contains("news.ar.txt") && tmx.contains("x-mizan-match-score"));

    opts.format = PretranslateFormat::Xliff;
    let mut xlf = Vec::new();
    pretranslate(&tm, &article, &mut xlf, &opts).unwrap();
    let xlf = String::from_utf8(xlf).unwrap();
    assert_eq!(xlf.matches("<trans-unit ").count(), segments);
    assert!(xlf.contains(r#"original="news.ar.txt""#));
    assert!(xlf.contains(r#"state="translated" state-qualifier="exact-match""#));

    for f in [
        PretranslateFormat::Tsv,
        PretranslateFormat::Tmx,
        PretranslateFormat::Xliff,
    ] {
        assert_eq!(PretranslateFormat::parse(f.as_str()), Some(f));
    }
}

#[test]
fn pretranslate_ranks_like_suggest() {
    let tm = ntrex_tm(300);
    let article = article();
    let mut opts = PretranslateOptions::new(ar(), en(), "news.ar.txt");
    opts.matches = MatchOptions {
        min: 50.0,
        top: 1,
        ..MatchOptions::default()
    };
    let mut tsv = Vec::new();
    pretranslate(&tm, &article, &mut tsv, &opts).unwrap();
    let tsv = String::from_utf8(tsv).unwrap();
    for (row, seg) in tsv
        .lines()
        .skip(1)
        .zip(crate::segment::Segmenter::for_language("ar").segment(&article))
    {
        let best = tm.suggest(&seg.text, &opts.matches).unwrap();
        let suggestion = row.split('\t').nth(2).unwrap();
        assert_eq!(
            suggestion,
            best.first().map_or("", |m| m.suggestion.as_str()),
            "{}",
            seg.text
        );
    }
}

#[test]
fn analyze_counts_every_segment_once() {
    let mut tm = Tm::open_in_memory().unwrap();
    tm.set_language_pair(Some((ar(), en())));
    let mut opts = AlignAndStoreOptions::new(ar(), en());
    // the segmenter's sentences as they are (re-segmentation splits one), so that every
    // segment of the article is a unit of the TM
    opts.alignment.split = SentenceSplit::Segment;
    opts.store = StoreOptions {
        min_confidence: 0.0,
        document: Some("seed-article.ar.txt".into()),
    };
    align_and_store(&mut tm, SEED_AR, SEED_EN, &opts).unwrap();
    let docs = vec![
        ("seed.ar.txt".to_string(), SEED_AR.to_string()),
        ("new.ar.txt".to_string(), article()),
    ];
    let analysis = analyze(&tm, &docs, &AnalyzeOptions::new(ar())).unwrap();
    assert_eq!(analysis.files.len(), 2);
    let band =
        |f: &crate::report::FileAnalysis, name: &str| f.bands.iter().find(|b| b.band == name).unwrap().counts.segments;
    // The whole seed article is in the TM, in order — but unreviewed: 6 points off each match
    // puts it in the 85-94 band, not exact or context.
    let seed = &analysis.files[0];
    assert_eq!(seed.counts.segments, 23);
    assert_eq!(band(seed, "context") + band(seed, "exact"), 0);
    assert_eq!(band(seed, "85-94"), 23);
    // News sentences the TM does not hold are new.
    let new = &analysis.files[1];
    assert_eq!(band(new, "new"), new.counts.segments);
    for f in analysis.files.iter().chain([&analysis.total]) {
        let sum: u64 = f.bands.iter().map(|b| b.counts.segments).sum();
        assert_eq!(sum, f.counts.segments, "{}", f.file);
    }
    assert_eq!(analysis.total.counts.segments, 23 + new.counts.segments);

    // Once a person confirms the pairs, the same article is context matches.
    let mut reviewed = Tm::open_in_memory().unwrap();
    reviewed.set_language_pair(Some((ar(), en())));
    let mut batch = reviewed.batch(DuplicatePolicy::KeepBoth).unwrap();
    for u in units(&tm) {
        let mut n = NewUnit::new("ar", "en", &u.source, &u.target, Origin::Human).unwrap();
        n.document = u.document.clone();
        n.position = u.position;
        batch.add(&n).unwrap();
    }
    batch.commit().unwrap();
    let analysis = analyze(&reviewed, &docs[..1], &AnalyzeOptions::new(ar())).unwrap();
    assert_eq!(band(&analysis.files[0], "context"), 23);
}
