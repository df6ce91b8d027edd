//! Cross-validation of the aligner on the alignment dev set, split by document.
//!
//! ```text
//! cargo run --release --example align_cv -- OUT [--dev DIR] [--folds K]
//! cargo run --release --example align_cv -- --estimate [--dev DIR]
//! ```
//!
//! `DIR` is `../shared/data/parallel/align-dev` by default (or `$MIZAN_ALIGN_DEV`): one folder
//! per document with `ar.txt` / `en.txt` (raw paragraphs), `ar.sent` / `en.sent` (gold
//! sentences) and `gold.tsv` (gold links). Every learned parameter — bead priors, length ratio
//! and variance, re-segmentation boundary priors, confidence calibration
//! ([`mizan::align::estimate`]) and, for the `lexicon` runs, the lexicon — is counted on the training documents of each fold only
//! (leave-one-document-out unless `--folds K`, which makes K folds of consecutive documents).
//! Link files (`ar_ids<TAB>en_ids<TAB>ar_text<TAB>en_text<TAB>confidence`, what
//! `../shared/bench/align_score.py` reads) are written to `OUT/<run>/<mode>/<doc>.tsv`, with
//! `<mode>` `ids` (the gold sentences, pre-segmented: what `mizan align --presegmented` does)
//! or `text` (the raw paragraphs through mizan's segmenter and `align_resegmented`: what
//! `mizan align` does), and `<run>`:
//! * `insample`: parameters estimated on all documents, the built-in lexicon
//!   ([`Lexicon::builtin`], learned from TICO-19, not from these documents);
//! * `shipped`: the shipped defaults (`AlignOptions::default()`) and the built-in lexicon: what
//!   `mizan align` does with an empty TM;
//! * `cv`: parameters estimated on the other folds, the built-in lexicon;
//! * `cv-no-lexicon`: parameters estimated on the other folds for an aligner without a lexicon
//!   ([`mizan::align::estimate_with`]), no lexicon;
//! * `cv-lexicon`: as `cv`, plus a lexicon learned from the other folds' gold pairs (Dice): what
//!   `mizan align` does with a TM of similar pairs;
//! * `cv-ibm1`: the same with the folds' lexicon learned by IBM model 1 ([`Lexicon::learn_ibm1`]);
//! * `cv-gale-church`: the length model and bead priors only (estimated on the other folds),
//!   plain `align` on both modes.
//!
//! `benches/align_compare.py --cv` runs this and scores every run next to hunalign.
//! The segmenter's sentences of the raw paragraphs go to `OUT/segments/<doc>.{ar,en}` (one a
//! line) for peers that align them. `--estimate` prints the estimate on all documents, which is what the defaults ship.

use std::path::{Path, PathBuf};

use mizan::align::{
    align, align_resegmented, document_sentences, estimate, estimate_with, AlignOptions, Calibration, GoldDocument,
    Lexicon, Link, Model, Sentence,
};
use mizan::segment::Segmenter;

/// One dev document.
struct Doc {
    id: String,
    gold: GoldDocument,
    /// Raw paragraphs through the segmenter.
    ar_raw: Vec<Sentence>,
    en_raw: Vec<Sentence>,
}

fn parse_ids(f: &str) -> Vec<usize> {
    f.split(',')
        .filter(|x| !x.trim().is_empty())
        .filter_map(|x| x.trim().parse().ok())
        .collect()
}

fn load(dev: &Path) -> Vec<Doc> {
    let index = std::fs::read_to_string(dev.join("index.tsv")).expect("index.tsv of the dev set");
    let (ar_seg, en_seg) = (Segmenter::for_language("ar"), Segmenter::for_language("en"));
    index
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .filter(|id| id != "doc_id" && id != "id" && dev.join("docs").join(id).is_dir())
        .map(|id| {
            let read = |f: &str| std::fs::read_to_string(dev.join("docs").join(&id).join(f)).unwrap_or_default();
            let lines = |t: String| t.lines().map(str::to_string).collect::<Vec<_>>();
            let ar_raw = document_sentences(&read("ar.txt"), &ar_seg, false);
            let en_raw = document_sentences(&read("en.txt"), &en_seg, false);
            let links = read("gold.tsv")
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(|l| {
                    let (a, e) = l.split_once('\t').unwrap_or((l, ""));
                    let e = e.split('\t').next().unwrap_or("");
                    (parse_ids(a), parse_ids(e))
                })
                .collect();
            Doc {
                gold: GoldDocument {
                    ar: lines(read("ar.sent")),
                    en: lines(read("en.sent")),
                    links,
                    ar_segments: ar_raw.clone(),
                    en_segments: en_raw.clone(),
                },
                ar_raw,
                en_raw,
                id,
            }
        })
        .collect()
}

fn write_links(path: PathBuf, ar: &[Sentence], en: &[Sentence], links: &[Link]) {
    let join = |s: &[Sentence], ids: &[usize]| ids.iter().map(|&i| s[i].text.as_str()).collect::<Vec<_>>().join(" ");
    let ids = |v: &[usize]| v.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let mut out = String::new();
    for l in links {
        out += &format!(
            "{}\t{}\t{}\t{}\t{:.4}\n",
            ids(&l.ar_ids),
            ids(&l.en_ids),
            join(ar, &l.ar_ids),
            join(en, &l.en_ids),
            l.confidence
        );
    }
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("output folder");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Aligns one document both ways and writes the two link files of `run`.
fn run(out: &Path, run: &str, d: &Doc, lexicon: &Lexicon, opts: &AlignOptions, resegment: bool) {
    let pre = |s: &[String]| s.iter().map(|t| Sentence::new(t.as_str(), 0)).collect::<Vec<_>>();
    let (ar, en) = (pre(&d.gold.ar), pre(&d.gold.en));
    let links = align(&ar, &en, lexicon, opts);
    write_links(
        out.join(run).join("ids").join(format!("{}.tsv", d.id)),
        &ar,
        &en,
        &links,
    );
    if resegment {
        let a = align_resegmented(&d.ar_raw, &d.en_raw, lexicon, opts);
        write_links(
            out.join(run).join("text").join(format!("{}.tsv", d.id)),
            &a.ar,
            &a.en,
            &a.links,
        );
    } else {
        let links = align(&d.ar_raw, &d.en_raw, lexicon, opts);
        write_links(
            out.join(run).join("text").join(format!("{}.tsv", d.id)),
            &d.ar_raw,
            &d.en_raw,
            &links,
        );
    }
}

/// The gold pairs of `docs` (the sentences of a link joined), to learn a lexicon from.
fn pairs_of<'a>(docs: impl Iterator<Item = &'a Doc>) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for d in docs {
        for (a, e) in &d.gold.links {
            if a.is_empty() || e.is_empty() {
                continue;
            }
            let join = |s: &[String], ids: &[usize]| {
                ids.iter()
                    .filter_map(|&i| s.get(i))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            pairs.push((join(&d.gold.ar, a), join(&d.gold.en, e)));
        }
    }
    pairs
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|k| args.get(k + 1))
            .cloned()
    };
    let dev = value("--dev")
        .or_else(|| std::env::var("MIZAN_ALIGN_DEV").ok())
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/parallel/align-dev").to_string());
    let docs = load(Path::new(&dev));
    if docs.is_empty() {
        eprintln!("no documents in {dev}");
        std::process::exit(1);
    }
    let gold: Vec<GoldDocument> = docs.iter().map(|d| d.gold.clone()).collect();
    let all = estimate(&gold);
    if args.iter().any(|a| a == "--estimate") {
        println!(
            "{} documents, gold links per kind {:?} (+{} of other kinds)",
            docs.len(),
            all.links,
            all.other_links
        );
        println!("{:#?}", all.model);
        eprintln!("calibration {:?}", all.model.calibration.weights);
        eprintln!(
            "calibration without a lexicon {:?}",
            all.model.calibration_no_lexicon.weights
        );
        println!("{:?}", all.boundaries);
        let shipped = AlignOptions::default();
        println!(
            "shipped defaults {} this estimate",
            if shipped.model == all.model && shipped.boundaries == all.boundaries {
                "equal"
            } else {
                "DIFFER from"
            }
        );
        return;
    }
    let flags_with_value = ["--dev", "--folds"];
    let out = args
        .iter()
        .enumerate()
        .find(|(k, a)| !a.starts_with("--") && (*k == 0 || !flags_with_value.contains(&args[k - 1].as_str())))
        .map(|(_, a)| PathBuf::from(a))
        .unwrap_or_else(|| PathBuf::from("target/align-cv"));
    let folds: usize = value("--folds")
        .and_then(|f| f.parse().ok())
        .unwrap_or(docs.len())
        .clamp(2, docs.len());
    let fold_of = |k: usize| k * folds / docs.len();
    let empty = Lexicon::default();
    let builtin = Lexicon::builtin();
    let insample = all.options();
    let shipped = AlignOptions::default();
    for (k, d) in docs.iter().enumerate() {
        // the segmenter's sentences, for peers that align raw paragraphs on mizan's segmentation
        let seg = out.join("segments");
        std::fs::create_dir_all(&seg).expect("output folder");
        for (ext, s) in [("ar", &d.gold.ar_segments), ("en", &d.gold.en_segments)] {
            let text: String = s.iter().map(|x| x.text.replace('\n', " ") + "\n").collect();
            std::fs::write(seg.join(format!("{}.{ext}", d.id)), text).expect("segments");
        }
        run(&out, "insample", d, builtin, &insample, true);
        run(&out, "shipped", d, builtin, &shipped, true);
        let train = || {
            docs.iter()
                .enumerate()
                .filter(|&(j, _)| fold_of(j) != fold_of(k))
                .map(|(_, d)| d)
        };
        let train_gold: Vec<GoldDocument> = train().map(|d| d.gold.clone()).collect();
        let est = estimate(&train_gold);
        let opts = est.options();
        run(&out, "cv", d, builtin, &opts, true);
        let bare = estimate_with(&train_gold, &empty).options();
        run(&out, "cv-no-lexicon", d, &empty, &bare, true);
        let pairs = pairs_of(train());
        let pairs = || pairs.iter().map(|(a, e)| (a.as_str(), e.as_str()));
        run(
            &out,
            "cv-lexicon",
            d,
            &Lexicon::learn(pairs()).union(builtin),
            &opts,
            true,
        );
        run(
            &out,
            "cv-ibm1",
            d,
            &Lexicon::learn_ibm1(pairs()).union(builtin),
            &opts,
            true,
        );
        let gc = AlignOptions {
            // the baseline's confidence stays the uncalibrated one
            model: Model {
                calibration: Calibration::none(),
                calibration_no_lexicon: Calibration::none(),
                ..est.model.clone()
            },
            ..AlignOptions::gale_church()
        };
        run(&out, "cv-gale-church", d, &empty, &gc, false);
    }
    println!("{} documents, {folds} folds: wrote {}", docs.len(), out.display());
}
