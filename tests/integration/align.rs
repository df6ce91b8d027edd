//! `mizan align`: the seed article reproduces its hand-checked pairs; output formats, import,
//! review loop and bad input.
use predicates::prelude::*;

use crate::common::{repo, Env};

fn seed(name: &str) -> std::path::PathBuf {
    repo().join("seeds").join(name)
}

#[test]
fn seed_article_reproduces_the_hand_checked_pairs() {
    let env = Env::new();
    let out = env
        .mizan()
        .arg("align")
        .arg(seed("seed-article.ar.txt"))
        .arg(seed("seed-article.en.txt"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tsv = String::from_utf8(out.stdout).unwrap();
    let got: Vec<String> = tsv
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 5, "{l}");
            let c: f64 = f[4].parse().unwrap();
            assert!((0.0..=1.0).contains(&c));
            format!("{}\t{}", f[2], f[3])
        })
        .collect();
    let pairs = std::fs::read_to_string(seed("seed-article.pairs.tsv")).unwrap();
    let want: Vec<&str> = pairs.lines().skip(1).collect();
    // Re-segmentation may split an Arabic sentence where the translator made two English
    // sentences of it (here once, at `” للعملية`, where the hand-checked pairs keep one 1-2
    // pair, and the split links get a low confidence): every hand-checked pair is one link or
    // the union of consecutive links, and at most one is split.
    let (mut k, mut split) = (0, 0);
    for w in &want {
        let (a, e) = w.split_once('\t').unwrap();
        let (mut ja, mut je) = (Vec::new(), Vec::new());
        let start = k;
        while k < got.len() && (ja.join(" "), je.join(" ")) != (a.to_string(), e.to_string()) {
            let (ga, ge) = got[k].split_once('\t').unwrap();
            ja.extend((!ga.is_empty()).then_some(ga));
            je.extend((!ge.is_empty()).then_some(ge));
            k += 1;
        }
        assert_eq!((ja.join(" "), je.join(" ")), (a.to_string(), e.to_string()));
        split += usize::from(k - start > 1);
    }
    assert_eq!(k, got.len());
    assert!(split <= 1, "{split} hand-checked pairs split");
}

#[test]
fn json_output_import_and_review_loop() {
    let env = Env::new();
    let out = env
        .mizan()
        .args(["align", "--format", "json"])
        .arg(seed("seed-article.ar.txt"))
        .arg(seed("seed-article.en.txt"))
        .output()
        .unwrap();
    let recs: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!((23..=24).contains(&recs.len()), "{} links", recs.len());
    let one_two = recs.iter().find(|r| r["kind"] == "1-2").expect("a 1-2 link");
    assert_eq!(one_two["en_ids"].as_array().unwrap().len(), 2);
    assert_eq!(one_two["ar_ids"].as_array().unwrap().len(), 1);
    // Every link at ≥ 0.9 is a hand-checked pair: the two pieces of the sentence that
    // re-segmentation splits where the hand-checked pairs keep a 1-2 (`” للعملية`) stay below.
    let pairs = std::fs::read_to_string(seed("seed-article.pairs.tsv")).unwrap();
    let checked: Vec<(&str, &str)> = pairs.lines().skip(1).filter_map(|l| l.split_once('\t')).collect();
    let sure: Vec<&serde_json::Value> = recs
        .iter()
        .filter(|r| r["confidence"].as_f64().unwrap() >= 0.9)
        .collect();
    for r in &sure {
        let pair = (r["ar"].as_str().unwrap(), r["en"].as_str().unwrap());
        assert!(checked.contains(&pair), "not a hand-checked pair at ≥ 0.9: {r}");
    }
    // --import stores the links at or above the threshold (and lists the others).
    let sure = sure.len();
    assert!(
        sure * 3 >= recs.len() * 2 && sure < recs.len(),
        "{sure} of {} links at ≥ 0.9",
        recs.len()
    );
    env.mizan()
        .args(["align", "--import", "--min-confidence", "0.9"])
        .arg(seed("seed-article.ar.txt"))
        .arg(seed("seed-article.en.txt"))
        .assert()
        .success()
        .stderr(
            predicate::str::contains("low confidence").and(predicate::str::contains(format!("stored {sure} pairs"))),
        );
    let s = env.stats();
    assert_eq!(s["origins"]["align"], sure);
    // Review loop: the TSV output, with a line removed, imports back as pairs.
    let review = env.path("review.tsv");
    let out = env
        .mizan()
        .arg("align")
        .arg(seed("seed-article.ar.txt"))
        .arg(seed("seed-article.en.txt"))
        .output()
        .unwrap();
    let mut lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    lines.remove(0);
    let kept = lines.len();
    std::fs::write(&review, lines.join("\n") + "\n").unwrap();
    let other = env.path("reviewed.db");
    env.mizan_at(&other)
        .arg("import")
        .arg(&review)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("added {kept}")));
}

#[test]
fn bad_and_unrelated_input() {
    let env = Env::new();
    let empty = env.write("empty.txt", "");
    let ar = seed("seed-article.ar.txt");
    env.mizan()
        .arg("align")
        .arg(&empty)
        .arg(&empty)
        .assert()
        .success()
        .stdout("");
    // One side empty: every sentence of the other side is a 1-0 link.
    let out = env
        .mizan()
        .args(["align", "--format", "json"])
        .arg(&ar)
        .arg(&empty)
        .output()
        .unwrap();
    assert!(out.status.success());
    let n = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.contains("\"1-0\""))
        .count();
    assert_eq!(n, 23);
    let latin1 = env.write("latin1.txt", b"caf\xe9\n");
    env.mizan()
        .arg("align")
        .arg(&ar)
        .arg(&latin1)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("latin1.txt:1: not UTF-8"));
    env.mizan().arg("align").arg(&ar).arg("missing.txt").assert().code(1);
    // Not translations of each other: most links have low confidence.
    let unrelated = env.write(
        "unrelated.en.txt",
        std::fs::read_to_string(crate::common::repo().join("tests/data/fuzzy/ntrex.en.txt"))
            .unwrap()
            .lines()
            .take(26)
            .collect::<Vec<_>>()
            .join("\n\n"),
    );
    let out = env
        .mizan()
        .args(["align", "--format", "json"])
        .arg(&ar)
        .arg(&unrelated)
        .output()
        .unwrap();
    let recs: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let low = recs.iter().filter(|r| r["confidence"].as_f64().unwrap() < 0.5).count();
    assert!(low * 2 > recs.len(), "most links must be low: {low} of {}", recs.len());
}

/// A dev document whose Arabic runs two sentences together after a closing quotation mark
/// (`… "المقاومة والعرقلة" "كما ترون …`) where the English has two: the alignment splits the
/// Arabic, so every link is one of the gold 1-1 pairs, with the split visible in the output.
#[test]
fn raw_paragraphs_are_resegmented_where_the_translation_says_so() {
    let dir = repo().join("tests/data/align/docs/cnn.304447");
    let lines = |f: &str| -> Vec<String> {
        std::fs::read_to_string(dir.join(f))
            .unwrap()
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect()
    };
    let (gold_ar, gold_en) = (lines("ar.sent"), lines("en.sent"));
    let env = Env::new();
    let run = |presegmented: bool| -> Vec<serde_json::Value> {
        let mut cmd = env.mizan();
        cmd.args(["align", "--format", "json"]);
        if presegmented {
            cmd.arg("--presegmented")
                .arg(dir.join("ar.sent"))
                .arg(dir.join("en.sent"));
        } else {
            cmd.arg(dir.join("ar.txt")).arg(dir.join("en.txt"));
        }
        crate::common::json_lines(cmd.output().unwrap())
    };
    let recs = run(false);
    // The gold of this document is all 1-1 (no sentence dropped or merged).
    assert_eq!(recs.len(), gold_ar.len());
    for (k, r) in recs.iter().enumerate() {
        assert_eq!(r["kind"], "1-1", "{r}");
        let squash = |v: &serde_json::Value| v.as_str().unwrap().split_whitespace().collect::<String>();
        assert_eq!(squash(&r["ar"]), gold_ar[k], "link {k}");
        assert_eq!(squash(&r["en"]), gold_en[k], "link {k}");
        let c = r["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
    let split = recs
        .iter()
        .position(|r| r["ar"].as_str().unwrap().ends_with("\"المقاومة والعرقلة\""))
        .expect("the Arabic is split after the closing quotation mark");
    assert!(recs[split + 1]["ar"].as_str().unwrap().starts_with("\"كما ترون"));
    // Its confidence carries the doubt of the split: below that of the surest links.
    let max = recs
        .iter()
        .map(|r| r["confidence"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert!(recs[split]["confidence"].as_f64().unwrap() < max);
    // Pre-segmented input is never re-segmented: ids are the caller's lines.
    let pre = run(true);
    assert_eq!(pre.len(), gold_ar.len());
    assert!(pre
        .iter()
        .enumerate()
        .all(|(k, r)| r["ar_ids"] == serde_json::json!([k])));
}
