//! `mizan check` and `mizan import --check` on real NTREX sentence pairs (tests/data/check) and on
//! broken copies of them; a pretranslate → edit → check round; XLIFF and TMX inputs; exit codes
//! and the `--json` records.
use std::collections::BTreeSet;
use std::path::PathBuf;

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{repo, Env};

fn data(name: &str) -> PathBuf {
    repo().join("tests/data/check").join(name)
}

/// `mizan check --json FILE…` (with `args`): the exit code and the findings.
fn check_json(env: &Env, files: &[PathBuf], args: &[&str]) -> (i32, Vec<Value>) {
    let out = env
        .mizan()
        .arg("check")
        .args(files)
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    let findings = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    (out.status.code().unwrap_or(-1), findings)
}

/// (line, rule) of each finding.
fn placed(findings: &[Value]) -> Vec<(u64, String)> {
    findings
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["rule"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn the_published_pairs_pass() {
    let env = Env::new();
    env.mizan()
        .arg("check")
        .arg(data("ntrex.good.tsv"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "checked 9 segments in 1 file: 0 errors, 0 warnings, 2 notes",
        ));
    let (code, findings) = check_json(&env, &[data("ntrex.good.tsv")], &[]);
    assert_eq!(code, 0);
    // The ages written as Arabic ordinal words are noted, nothing else.
    assert!(findings.iter().all(|f| f["severity"] == "info"), "{findings:?}");
    let words: Vec<&str> = findings
        .iter()
        .map(|f| f["source_span"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(words, ["الثالثة عشر", "الثمانية عشر"]);
}

#[test]
fn the_faults_put_into_real_sentences_are_found() {
    let env = Env::new();
    let (code, findings) = check_json(&env, &[data("ntrex.broken.tsv")], &[]);
    assert_eq!(code, 1, "error-level findings exit 1");
    let errors: Vec<(u64, String)> = placed(&findings)
        .into_iter()
        .zip(&findings)
        .filter(|(_, f)| f["severity"] == "error")
        .map(|(p, _)| p)
        .collect();
    let want = [
        (2, "numbers"),
        (4, "empty"),
        (6, "untranslated"),
        (7, "tags"),
        (7, "tags"),
    ];
    assert_eq!(errors, want.map(|(l, r)| (l, r.to_string())));
    let number = &findings[0];
    assert_eq!(number["source_span"]["text"], "2017");
    assert_eq!(number["target_span"]["text"], "2018");
    assert_eq!(number["segment"], 1);
    // The headline that gained a full stop is a warning, not an error.
    assert!(findings
        .iter()
        .any(|f| f["line"] == 3 && f["rule"] == "end-punctuation" && f["severity"] == "warning"));
    // The human report names file, line, severity and rule, and quotes the texts.
    env.mizan()
        .arg("check")
        .arg(data("ntrex.broken.tsv"))
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("ntrex.broken.tsv:2: error numbers: “2017” in the source is “2018” in the target")
                .and(predicate::str::contains(
                    "ntrex.broken.tsv:7: error tags: the tag “<b0>”",
                ))
                .and(predicate::str::contains("5 errors, 1 warning, 2 notes")),
        );
}

#[test]
fn rules_can_be_chosen_and_skipped() {
    let env = Env::new();
    let (code, findings) = check_json(&env, &[data("ntrex.broken.tsv")], &["--rules", "numbers,number-words"]);
    assert_eq!(code, 1);
    let rules: BTreeSet<String> = placed(&findings).into_iter().map(|(_, r)| r).collect();
    assert_eq!(
        rules,
        BTreeSet::from(["numbers".to_string(), "number-words".to_string()])
    );
    // Without the error rules, only a warning and notes are left: exit 0.
    let (code, findings) = check_json(
        &env,
        &[data("ntrex.broken.tsv")],
        &["--skip", "numbers,empty,untranslated,tags"],
    );
    assert_eq!(code, 0, "{findings:?}");
    assert!(findings.iter().all(|f| f["severity"] != "error"));
    env.mizan()
        .args(["check", "--rules", "numbers,spelling"])
        .arg(data("ntrex.good.tsv"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `spelling`"));
}

#[test]
fn exit_codes_and_unreadable_files() {
    let env = Env::new();
    env.mizan().arg("check").assert().code(2);
    env.mizan()
        .args(["check", "missing.tsv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing.tsv"));
    env.write("notes.txt2", "نص\ttext\n");
    env.mizan()
        .args(["check", "notes.txt2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot tell the format"));
    // A file that cannot be read does not stop the others from being checked.
    let out = env
        .mizan()
        .args(["check", "missing.tsv"])
        .arg(data("ntrex.good.tsv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("checked 9 segments in 2 files"));
    // Standard input, sniffed as TSV; a row that is not a pair is an error of its own.
    env.mizan()
        .args(["check", "-"])
        .write_stdin("وصل الوفد عام ٢٠٢٤.\tThe delegation arrived in 2024.\nسطر بلا ترجمة\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "<stdin>:2: error unreadable: cannot be checked: no tab",
        ));
}

#[test]
fn json_records_have_the_documented_fields() {
    let env = Env::new();
    let (_, findings) = check_json(
        &env,
        &[data("ntrex.broken.tsv"), data("ntrex.xlf"), data("ntrex.tmx")],
        &[],
    );
    let keys: BTreeSet<&str> = [
        "file",
        "line",
        "segment",
        "id",
        "rule",
        "severity",
        "message",
        "source_span",
        "target_span",
    ]
    .into();
    for f in &findings {
        let got: BTreeSet<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(got, keys, "{f}");
        for side in ["source_span", "target_span"] {
            if let Some(span) = f[side].as_object() {
                assert!(span["start"].as_u64() <= span["end"].as_u64());
            }
        }
    }
    if !crate::common::python_has("jsonschema") {
        crate::common::skip_without(
            "python3 with jsonschema",
            "checking mizan check --json against its schema",
        );
        return;
    }
    for f in &findings {
        crate::serve::assert_matches_schema(&env, "check", f);
    }
}

#[test]
fn xliff_and_tmx_are_checked_segment_by_segment_codes_included() {
    let env = Env::new();
    let ids = |findings: &[Value]| -> Vec<(String, String)> {
        findings
            .iter()
            .map(|f| {
                (
                    f["id"].as_str().unwrap().to_string(),
                    f["rule"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    };
    // XLIFF 1.2: unfinished segments are checked too (`needs-review`, `new`).
    let (code, findings) = check_json(&env, &[data("ntrex.xlf")], &[]);
    assert_eq!(code, 1);
    assert_eq!(
        ids(&findings),
        pairs(&[("2", "tags"), ("2", "tags"), ("3", "numbers"), ("4", "empty")])
    );
    assert!(findings[0]["message"].as_str().unwrap().contains("bpt"));
    // XLIFF 2.1: a kept <pc>…</pc> and <ph/> pass, a dropped one is an error.
    let (code, findings) = check_json(&env, &[data("ntrex.xlf2")], &[]);
    assert_eq!(code, 1);
    assert_eq!(ids(&findings), pairs(&[("u2/s1", "tags"), ("u2/s1", "tags")]));
    // TMX: the half-dropped code is missing and leaves the other unclosed; Arabic-Indic digits
    // agree with Western ones; an empty <seg> (which import refuses) is checked.
    let (code, findings) = check_json(&env, &[data("ntrex.tmx")], &[]);
    assert_eq!(code, 1);
    assert_eq!(
        ids(&findings),
        pairs(&[("t2", "tags"), ("t2", "tags"), ("t4", "empty")])
    );
    assert!(findings[1]["message"].as_str().unwrap().contains("never closed"));
}

#[test]
fn pretranslate_then_edit_then_check() {
    let env = Env::new();
    let good = std::fs::read_to_string(data("ntrex.good.tsv")).unwrap();
    env.import_stdin(good.replace("<b0>", "").replace("</b0>", ""));
    // An article: a TM sentence with another year (a fuzzy match whose number mizan replaces),
    // and a sentence the TM does not have.
    let article = env.write(
        "article.ar.txt",
        "يمنح قانون حكومة ويلز لعام 2019 جمعية ويلز سلطة تغيير اسمها.\n\nوصل الوفد إلى العاصمة صباح الثلاثاء بعد رحلة استغرقت 12 ساعة.\n",
    );
    let tsv = env.path("article.tsv");
    env.mizan()
        .arg("pretranslate")
        .arg(&article)
        .arg("--out")
        .arg(&tsv)
        .assert()
        .success();
    let text = std::fs::read_to_string(&tsv).unwrap();
    let mut rows: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert!(
        rows[1][2].contains("2019"),
        "the suggestion takes the article's year: {text}"
    );
    assert_eq!(rows[2][2], "", "nothing in the TM for the new sentence");
    // Before the translator's work, the new sentence is an empty target.
    let (code, findings) = check_json(&env, std::slice::from_ref(&tsv), &[]);
    assert_eq!(code, 1);
    assert_eq!(placed(&findings), [(3, "empty".to_string())]);
    assert_eq!(findings[0]["id"], "1", "the pretranslate index names the segment");
    // The translator types the new sentence with a wrong number.
    rows[2][2] = "The delegation reached the capital on Tuesday morning after a 21-hour journey.".into();
    env.write(
        "article.tsv",
        rows.iter().map(|r| r.join("\t") + "\n").collect::<String>(),
    );
    let (code, findings) = check_json(&env, std::slice::from_ref(&tsv), &[]);
    assert_eq!(code, 1);
    assert_eq!(placed(&findings), [(3, "numbers".to_string())]);
    assert_eq!(findings[0]["source_span"]["text"], "12");
    assert_eq!(findings[0]["target_span"]["text"], "21");
    // Fixed: the file passes.
    rows[2][2] = "The delegation reached the capital on Tuesday morning after a 12-hour journey.".into();
    env.write(
        "article.tsv",
        rows.iter().map(|r| r.join("\t") + "\n").collect::<String>(),
    );
    env.mizan()
        .arg("check")
        .arg(&tsv)
        .assert()
        .success()
        .stdout(predicate::str::contains("checked 2 segments in 1 file: 0 errors"));
}

#[test]
fn import_check_reports_and_strict_refuses() {
    let env = Env::new();
    let good = std::fs::read_to_string(data("ntrex.good.tsv")).unwrap();
    let wrong = env.write("delivery.tsv", good.replace("2017 gave", "2018 gave"));
    // --strict with --check: an error finding refuses the whole import, nothing is stored.
    env.mizan()
        .args(["import", "--check", "--strict"])
        .arg(&wrong)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("delivery.tsv:2: error numbers: “2017” in the source is “2018” in the target")
                .and(predicate::str::contains("import refused: the checks found 1 error")),
        );
    assert!(!env.tm().exists(), "nothing was stored, not even an empty TM");
    // --check alone reports on stderr and imports everything.
    env.mizan()
        .args(["import", "--check"])
        .arg(&wrong)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 9"))
        .stderr(predicate::str::contains("error numbers").and(predicate::str::contains("checked 9 segments")));
    // A clean file passes --check --strict.
    let clean = env.write("clean.tsv", good.replace("2017", "2019"));
    env.mizan()
        .args(["import", "--check", "--strict", "--on-duplicate", "skip"])
        .arg(&clean)
        .assert()
        .success()
        .stderr(predicate::str::contains("0 errors"));
}

/// The TM's glossary feeds the term rules of `mizan check` and `import --check`: a term found in
/// the source (here with a clitic and the article, `للقرش`) needs one of its targets in the
/// target, and a forbidden variant is an error that `--strict` refuses.
#[test]
fn the_tms_glossary_drives_the_term_rules() {
    let env = Env::new();
    let ok = |cmd: &mut assert_cmd::Command| {
        cmd.assert().success();
    };
    ok(env.mizan().args([
        "terms",
        "add",
        "جمعية ويلز",
        "Welsh assembly",
        "--forbidden",
        "Wales Assembly",
    ]));
    ok(env.mizan().args(["terms", "add", "قرش", "shark"]));
    let pairs = env.write(
        "delivery.tsv",
        "source\ttarget\n\
         يمنح قانون حكومة ويلز لعام 2017 جمعية ويلز سلطة تغيير اسمها.\tThe Government of Wales Act 2017 gave the Wales Assembly the power to change its name.\n\
         وأشار جايلز هناك أكثر من 135 فصيلة للقرش في المنطقة ولكن لا تمثل معظم الفصائل خطرًا.\tGiles noted that there are more than 135 species in the area, but most are not considered dangerous.\n\
         قرش يصيب طفلاً يبلغ 13 عامًا أثناء البحث عن سرطان البحر في كاليفورنيا\tShark injures 13-year-old on lobster dive in California\n",
    );
    let (code, findings) = check_json(&env, std::slice::from_ref(&pairs), &[]);
    assert_eq!(code, 1, "a forbidden term is an error: {findings:?}");
    let mut found = placed(&findings);
    found.sort();
    assert_eq!(
        found,
        [
            (2, "forbidden-terms".to_string()),
            (2, "terms".to_string()),
            (3, "terms".to_string())
        ],
        "{findings:?}"
    );
    let shark = findings.iter().find(|f| f["line"] == 3).unwrap();
    assert_eq!(shark["source_span"]["text"], "للقرش");
    // Without a glossary the same file has no term finding.
    let bare = Env::new();
    let out = bare.mizan().arg("check").arg(&pairs).arg("--json").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("terms"));
    // import --check --strict refuses the delivery; the TM keeps only its glossary.
    env.mizan()
        .args(["import", "--check", "--strict"])
        .arg(&pairs)
        .assert()
        .failure()
        .stderr(predicate::str::contains("forbidden-terms"));
    let stats: Value = serde_json::from_slice(&env.mizan().args(["stats", "--json"]).output().unwrap().stdout).unwrap();
    assert_eq!(stats["units"], 0);
}
