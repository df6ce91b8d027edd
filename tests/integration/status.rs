//! Review status end to end (issue 11, section 1): untouched suggestions never come back as
//! reviewed units; unreviewed and aligned units rank below reviewed ones; status in match,
//! concordance, stats and export; existing TMs migrate.
use std::path::PathBuf;

use predicates::prelude::*;

use crate::common::{assert_valid_tmx, json_lines, ntrex_tsv, repo, units, Env};
use mizan::tm::{Origin, Status};

/// A sentence of the seed article with its day changed: the seed TM holds it with "اليوم
/// الأربعاء" → "on Wednesday", a 96% fuzzy match.
const THURSDAY: &str = "استقبل زعيم كوريا الشمالية كيم جونغ أون، الرئيس الروسي فلاديمير بوتين، اليوم الخميس، في زيارة نادرة تهدف إلى عقد شراكة في مواجهة الضغوط والعقوبات الأمريكية.";
/// A headline stored in the seed TM as it is (an exact match).
const HEADLINE: &str = "زيارة نادرة";
/// A sentence the seed TM has nothing close to.
const NEW: &str = "وقال المتحدث إن الاجتماع سيعقد غدا.";

/// A TM with the hand-checked seed pairs and a new article of three segments: a 96% fuzzy, an
/// exact match and a new sentence.
fn seeded() -> (Env, PathBuf) {
    let env = Env::new();
    env.import_seed_pairs();
    let article = env.write("new.ar.txt", format!("{THURSDAY}\n\n{HEADLINE}\n\n{NEW}\n"));
    (env, article)
}

/// `match --json` for one query with extra arguments (`--min 50` unless they give one): its
/// matches.
fn matches(env: &Env, query: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut cmd = env.mizan();
    cmd.args(["match", "--json"]);
    if !extra.contains(&"--min") {
        cmd.args(["--min", "50"]);
    }
    let out = cmd.args(extra).arg(query).output().unwrap();
    json_lines(out)[0]["matches"].as_array().unwrap().clone()
}

/// `mizan pretranslate ARTICLE --format FORMAT --out FILE`.
fn pretranslate(env: &Env, article: &PathBuf, format: &str, out: &str) -> PathBuf {
    let path = env.path(out);
    env.mizan()
        .arg("pretranslate")
        .arg(article)
        .args(["--format", format, "--out"])
        .arg(&path)
        .assert()
        .success();
    path
}

/// The reproduction of issue 11: before, the untouched 96% suggestion came back from `import` as a
/// human unit of the Thursday sentence, so `match` offered "…on Wednesday…" at 100.
fn assert_thursday_gets_no_false_exact_match(env: &Env) {
    let found = matches(env, THURSDAY, &[]);
    assert!(!found.is_empty());
    for m in &found {
        assert!(m["score"].as_f64().unwrap() < 100.0, "{m}");
    }
    assert_eq!(found[0]["status"], "reviewed");
    assert_eq!(found[0]["origin"], "import");
    assert!(found[0]["source"].as_str().unwrap().contains("الأربعاء"));
    let all = units(&env.tm());
    assert_eq!(all.len(), 23, "nothing new stored");
    assert!(all.iter().all(|u| u.origin != Origin::Human));
    assert_eq!(
        all.iter().find(|u| u.source == HEADLINE).unwrap().usage_count,
        1,
        "the exact match kept as it is counts a use"
    );
}

#[test]
fn untouched_pretranslate_tmx_imports_no_false_human_match() {
    let (env, article) = seeded();
    let tmx = pretranslate(&env, &article, "tmx", "new.tmx");
    env.mizan().arg("import").arg(&tmx).assert().success();
    assert_thursday_gets_no_false_exact_match(&env);
    // What the file says about each suggestion.
    let text = std::fs::read_to_string(&tmx).unwrap();
    assert!(text.contains(r#"<prop type="x-mizan-status">unreviewed</prop>"#));
    assert!(text.contains(r#"<prop type="x-mizan-match-unit">2</prop>"#));
    assert!(text.contains(r#"<prop type="x-mizan-match-status">reviewed</prop>"#));
    assert!(!text.contains(r#"<prop type="x-mizan-origin">human</prop>"#));
    assert_valid_tmx(&tmx);
    let second = env.path("second.db");
    std::fs::copy(repo().join("seeds/seed-article.pairs.tsv"), env.path("pairs.tsv")).unwrap();
    env.mizan_at(&second).args(["import", "pairs.tsv"]).assert().success();
    env.mizan_at(&second)
        .arg("import")
        .arg(&tmx)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 0").and(predicate::str::contains("left out 1 untouched")));
}

#[test]
fn untouched_pretranslate_tsv_imports_no_false_human_match() {
    let (env, article) = seeded();
    let tsv = pretranslate(&env, &article, "tsv", "new.tsv");
    let out = env.mizan().args(["import", "--json"]).arg(&tsv).output().unwrap();
    let report = &json_lines(out)[0];
    assert_eq!(
        (&report["added"], &report["used"], &report["untouched"]),
        (&serde_json::json!(0), &serde_json::json!(1), &serde_json::json!(1))
    );
    assert_thursday_gets_no_false_exact_match(&env);
}

/// The fields of each line of a pre-translation TSV.
fn tsv_rows(path: &PathBuf) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn write_rows(path: &PathBuf, rows: &[Vec<String>]) {
    std::fs::write(path, rows.iter().map(|r| r.join("\t") + "\n").collect::<String>()).unwrap();
}

#[test]
fn pretranslate_tsv_carries_the_match_and_stores_edited_or_confirmed_rows_as_reviewed() {
    let (env, article) = seeded();
    let tsv = pretranslate(&env, &article, "tsv", "new.tsv");
    let mut rows = tsv_rows(&tsv);
    let col = |name: &str| rows[0].iter().position(|c| c == name).unwrap();
    let (suggestion, score, unit_id, status, confirmed, original) = (
        col("suggestion"),
        col("score"),
        col("unit_id"),
        col("status"),
        col("confirmed"),
        col("original"),
    );
    assert_eq!(rows[1][unit_id], "2");
    assert_eq!(
        rows[1][status], "reviewed",
        "the status of the unit the suggestion came from"
    );
    assert!(rows[1][score].parse::<f64>().unwrap() < 100.0);
    assert_eq!(rows[1][original], rows[1][suggestion]);
    // The translator fixes the day, types the new sentence, and confirms the exact match.
    rows[1][suggestion] = rows[1][suggestion].replace("Wednesday", "Thursday");
    rows[3][suggestion] = "The spokesman said the meeting would be held tomorrow.".into();
    rows[2][confirmed] = "yes".into();
    write_rows(&tsv, &rows);
    env.mizan()
        .arg("import")
        .arg(&tsv)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 2").and(predicate::str::contains("confirmed 1 exact matches")));
    let found = matches(&env, THURSDAY, &[]);
    assert_eq!(found[0]["score"], 100.0);
    assert_eq!(
        (&found[0]["origin"], &found[0]["status"]),
        (&"human".into(), &"reviewed".into())
    );
    assert!(found[0]["target"].as_str().unwrap().contains("Thursday"));
    let all = units(&env.tm());
    assert_eq!(all.iter().find(|u| u.source == HEADLINE).unwrap().usage_count, 1);

    // A fuzzy suggestion kept as it is but confirmed: the translator vouches for it.
    let env2 = Env::new();
    env2.import_seed_pairs();
    let article2 = env2.write("thursday.ar.txt", format!("{THURSDAY}\n"));
    let tsv2 = pretranslate(&env2, &article2, "tsv", "thursday.tsv");
    let mut rows = tsv_rows(&tsv2);
    rows[1][confirmed] = "✓".into();
    write_rows(&tsv2, &rows);
    env2.mizan().arg("import").arg(&tsv2).assert().success();
    let stored = units(&env2.tm()).into_iter().find(|u| u.source == THURSDAY).unwrap();
    assert_eq!((stored.origin, stored.status), (Origin::Human, Status::Reviewed));
    // A typo in the confirmed column decides nothing: the line is rejected.
    rows[1][confirmed] = "later".into();
    write_rows(&tsv2, &rows);
    env2.mizan()
        .arg("import")
        .arg(&tsv2)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("confirmed `later`"));
}

#[test]
fn pretranslate_tmx_rows_become_reviewed_by_edit_or_status_prop() {
    let (env, article) = seeded();
    let tmx = pretranslate(&env, &article, "tmx", "new.tmx");
    let text = std::fs::read_to_string(&tmx).unwrap();
    // Edit the target <seg> of the Thursday TU (not the copy in x-mizan-match-target).
    let seg = text.find(r#"<tuv xml:lang="en"><seg>"#).unwrap();
    let edited = format!("{}{}", &text[..seg], text[seg..].replacen("Wednesday", "Thursday", 1));
    std::fs::write(env.path("edited.tmx"), edited).unwrap();
    env.mizan().arg("import").arg(env.path("edited.tmx")).assert().success();
    let found = matches(&env, THURSDAY, &[]);
    assert_eq!(found[0]["score"], 100.0);
    assert_eq!(
        (&found[0]["origin"], &found[0]["status"]),
        (&"human".into(), &"reviewed".into())
    );

    // Confirmed without an edit: x-mizan-status set to reviewed.
    let (env, article) = seeded();
    let tmx = pretranslate(&env, &article, "tmx", "new.tmx");
    let confirmed = std::fs::read_to_string(&tmx).unwrap().replacen(
        r#"<prop type="x-mizan-status">unreviewed</prop>"#,
        r#"<prop type="x-mizan-status">reviewed</prop>"#,
        1,
    );
    std::fs::write(&tmx, confirmed).unwrap();
    env.mizan()
        .arg("import")
        .arg(&tmx)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 1"));
    let stored = units(&env.tm()).into_iter().find(|u| u.source == THURSDAY).unwrap();
    assert_eq!(stored.status, Status::Reviewed);
}

#[test]
fn a_pretranslate_tmx_from_an_older_mizan_is_not_trusted() {
    let (env, _) = seeded();
    // What `pretranslate --format tmx` wrote before: origin human, the match only in the note.
    let old = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="mizan" creationtoolversion="0.1.0" datatype="plaintext" segtype="sentence" adminlang="en" srclang="ar" o-tmf="mizan"/><body>
<tu creationdate="20261127T205606Z" changedate="20261127T205606Z"><note>mizan suggestion: 96.1% from unit 2</note><prop type="x-mizan-origin">human</prop><prop type="x-mizan-document">new.ar.txt</prop><prop type="x-mizan-position">0</prop>
<tuv xml:lang="ar"><seg>{THURSDAY}</seg></tuv><tuv xml:lang="en"><seg>North Korean leader Kim Jong Un welcomed Russian President Vladimir Putin on Wednesday for a rare visit aimed at forging a partnership in the face of US pressure and sanctions.</seg></tuv></tu>
</body></tmx>
"#
    );
    let path = env.write("old.tmx", old);
    env.mizan().arg("import").arg(&path).assert().success();
    let found = matches(&env, THURSDAY, &[]);
    assert!(found
        .iter()
        .all(|m| m["status"] == "reviewed" || m["score"].as_f64().unwrap() < 100.0));
    assert_eq!(
        found[0]["status"], "reviewed",
        "the reviewed Wednesday unit ranks first: {found:?}"
    );
    assert!(units(&env.tm()).iter().all(|u| u.origin != Origin::Human));
}

#[test]
fn pretranslate_xliff_carries_state_score_unit_and_status() {
    let (env, article) = seeded();
    // The new sentence is in the TM too, but unreviewed (a file marked it so).
    env.import_stdin(format!(
        "source\ttarget\tstatus\n{NEW}\tThe spokesman said the meeting would be held tomorrow.\tunreviewed\n"
    ));
    let out = env
        .mizan()
        .args(["pretranslate", "--format", "xliff"])
        .arg(&article)
        .output()
        .unwrap();
    assert!(out.status.success());
    let xml = String::from_utf8(out.stdout).unwrap();
    /// One `<trans-unit>`: its `<target>`'s (state, state-qualifier), and the attributes of its
    /// first `<alt-trans>`.
    #[derive(Default)]
    struct Seg {
        target: Option<(String, String)>,
        alt: Vec<(String, String)>,
    }
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut segs: Vec<Seg> = Vec::new();
    let mut in_alt = false;
    loop {
        use quick_xml::events::Event;
        let attrs = |e: &quick_xml::events::BytesStart<'_>| -> Vec<(String, String)> {
            e.attributes()
                .map(|a| {
                    let a = a.expect("attribute");
                    (
                        String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                        a.unescape_value().unwrap().to_string(),
                    )
                })
                .collect()
        };
        match reader.read_event().expect("well-formed XLIFF") {
            Event::Start(e) if e.name().as_ref() == b"trans-unit" => segs.push(Seg::default()),
            Event::Start(e) if e.name().as_ref() == b"alt-trans" => {
                in_alt = true;
                let seg = segs.last_mut().unwrap();
                if seg.alt.is_empty() {
                    seg.alt = attrs(&e);
                }
            }
            Event::End(e) if e.name().as_ref() == b"alt-trans" => in_alt = false,
            Event::Start(e) if e.name().as_ref() == b"target" && !in_alt => {
                let a = attrs(&e);
                let get = |k: &str| {
                    a.iter()
                        .find(|(n, _)| n == k)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                };
                segs.last_mut().unwrap().target = Some((get("state"), get("state-qualifier")));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let alt = |i: usize, k: &str| {
        segs[i]
            .alt
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(segs.len(), 3);
    // The 96% fuzzy from reviewed unit 2.
    assert_eq!(
        segs[0].target,
        Some(("needs-review-translation".into(), "fuzzy-match".into()))
    );
    assert_eq!(
        (alt(0, "mz:unit-id"), alt(0, "mz:unit-status")),
        ("2".into(), "reviewed".into())
    );
    assert!(alt(0, "match-quality").parse::<f64>().unwrap() < 100.0);
    // The exact match from a reviewed unit.
    assert_eq!(segs[1].target, Some(("translated".into(), "exact-match".into())));
    assert_eq!(alt(1, "match-quality"), "100.0");
    // An exact match from an unreviewed unit is not presented as translated.
    assert_eq!(
        segs[2].target,
        Some(("needs-review-translation".into(), "leveraged-tm".into()))
    );
    assert_eq!(
        (
            alt(2, "mz:unit-status"),
            alt(2, "match-quality"),
            alt(2, "mz:fuzzy-score")
        ),
        ("unreviewed".into(), "95.0".into(), "100.0".into())
    );
}

#[test]
fn aligned_pairs_are_unreviewed_and_stats_count_statuses() {
    let env = Env::new();
    env.mizan()
        .arg("align")
        .arg(repo().join("seeds/seed-article.ar.txt"))
        .arg(repo().join("seeds/seed-article.en.txt"))
        .arg("--import")
        .assert()
        .success()
        .stderr(predicate::str::contains("stored 24 pairs").and(predicate::str::contains("unreviewed")));
    env.mizan()
        .args([
            "add",
            "--source",
            "جملة جديدة تماما",
            "--target",
            "An entirely new sentence",
        ])
        .assert()
        .success();
    let stats = env.stats();
    assert_eq!(stats["statuses"], serde_json::json!({"reviewed": 1, "unreviewed": 24}));
    assert_eq!(stats["schema_version"], mizan::tm::SCHEMA_VERSION);
    env.mizan()
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains("statuses: reviewed 1, unreviewed 24"));
}

#[test]
fn a_checked_align_file_confirms_the_aligned_units() {
    let env = Env::new();
    let (ar, en) = (
        repo().join("seeds/seed-article.ar.txt"),
        repo().join("seeds/seed-article.en.txt"),
    );
    env.mizan()
        .arg("align")
        .arg(&ar)
        .arg(&en)
        .arg("--import")
        .assert()
        .success();
    let out = env.mizan().arg("align").arg(&ar).arg(&en).output().unwrap();
    assert!(out.status.success());
    // The reviewer confirms the first three links with a sixth field.
    let review: String = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, l)| if i < 3 { format!("{l}\tyes\n") } else { format!("{l}\n") })
        .collect();
    let path = env.write("review.tsv", review);
    env.mizan()
        .arg("import")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("marked 3 stored units reviewed"));
    assert_eq!(env.stats()["statuses"]["reviewed"], 3);
}

#[test]
fn unreviewed_and_aligned_units_rank_below_reviewed_ones() {
    let env = Env::new();
    env.mizan()
        .arg("align")
        .arg(repo().join("seeds/seed-article.ar.txt"))
        .arg(repo().join("seeds/seed-article.en.txt"))
        .arg("--import")
        .assert()
        .success();
    // A person's translation of a source the alignment stored too: two alternatives.
    env.mizan()
        .args(["add", "--source", HEADLINE, "--target", "An unusual visit"])
        .assert()
        .success();
    let both = matches(&env, HEADLINE, &[]);
    let aligned = both.iter().position(|m| m["origin"] == "align");
    let human = both.iter().position(|m| m["origin"] == "human");
    // The headline may also match inside longer aligned sentences; look at the two exact ones.
    let (a, h) = (&both[aligned.unwrap()], &both[human.unwrap()]);
    assert!(human < aligned, "{both:?}");
    assert_eq!(
        (h["score"].as_f64(), h["fuzzy_score"].as_f64()),
        (Some(99.0), Some(100.0))
    );
    assert_eq!(
        h["penalties"],
        serde_json::json!([{"penalty": "multiple", "points": 1.0}])
    );
    assert_eq!(
        (a["score"].as_f64(), a["status"].as_str()),
        (Some(93.0), Some("unreviewed"))
    );
    // Without penalties both score 100; the tie goes to the reviewed one.
    let plain = matches(&env, HEADLINE, &["--penalty", "none"]);
    assert_eq!(
        (plain[0]["score"].as_f64(), &plain[0]["origin"]),
        (Some(100.0), &"human".into())
    );
    assert_eq!(plain[1]["score"], 100.0);
    // Penalties are configurable, and --min applies after them.
    let heavy = matches(
        &env,
        HEADLINE,
        &["--penalty", "unreviewed=30", "--penalty", "multiple=0"],
    );
    assert_eq!(heavy[0]["score"], 100.0);
    assert!(heavy
        .iter()
        .all(|m| m["origin"] != "align" || m["score"].as_f64().unwrap() <= 69.0));
    let at_95 = matches(&env, HEADLINE, &["--min", "95"]);
    assert!(at_95.iter().all(|m| m["origin"] == "human"), "{at_95:?}");
    env.mizan()
        .args(["match", "--penalty", "reviewed=3", HEADLINE])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--penalty"));
    // Human output shows origin, status and the penalties.
    env.mizan()
        .args(["match", HEADLINE])
        .assert()
        .success()
        .stdout(predicate::str::contains("human, reviewed").and(predicate::str::contains("penalties: multiple −1")));
}

#[test]
fn alternatives_get_the_multiple_translations_penalty_newest_first() {
    let env = Env::new();
    // The older translation is imported first (lower id); the newer must still come first.
    env.write(
        "two.jsonl",
        format!(
            "{{\"source\":\"{HEADLINE}\",\"target\":\"An unusual visit\",\"created\":\"2020-01-01\"}}\n{{\"source\":\"{HEADLINE}\",\"target\":\"A rare visit\",\"created\":\"2025-06-01\"}}\n"
        ),
    );
    env.mizan().args(["import", "two.jsonl"]).assert().success();
    let found = matches(&env, HEADLINE, &[]);
    let seen: Vec<(&str, f64)> = found
        .iter()
        .map(|m| (m["target"].as_str().unwrap(), m["score"].as_f64().unwrap()))
        .collect();
    assert_eq!(seen, [("A rare visit", 99.0), ("An unusual visit", 99.0)]);
}

#[test]
fn indexed_and_exhaustive_agree_with_penalties_on_real_news() {
    let env = Env::new();
    // NTREX pairs, every third one unreviewed, and a few sources with a second translation.
    let mut tsv = String::from("source\ttarget\tstatus\n");
    for (i, line) in ntrex_tsv().lines().enumerate() {
        let status = if i % 3 == 0 { "unreviewed" } else { "reviewed" };
        tsv.push_str(&format!("{line}\t{status}\n"));
        if i % 17 == 0 {
            let (src, tgt) = line.split_once('\t').unwrap();
            tsv.push_str(&format!("{src}\t{tgt} (second)\treviewed\n"));
        }
    }
    env.import_stdin(tsv);
    let ar = std::fs::read_to_string(repo().join("tests/data/fuzzy/ntrex.ar.txt")).unwrap();
    let queries: Vec<String> = ar
        .lines()
        .step_by(5)
        .enumerate()
        .map(|(i, l)| match i % 3 {
            0 => l.to_string(),
            1 => format!("و{l}"),
            _ => l.replace('1', "7"),
        })
        .collect();
    let stdin = queries.join("\n") + "\n";
    for args in [
        ["--min", "50", "--top", "5", "--penalty", "unreviewed=5"],
        ["--min", "90", "--top", "1", "--penalty", "multiple=3"],
        ["--min", "75", "--top", "3", "--penalty", "unreviewed=20"],
    ] {
        let run = |exhaustive: bool| {
            let mut cmd = env.mizan();
            cmd.args(["match", "--json"]).args(args);
            if exhaustive {
                cmd.arg("--exhaustive");
            }
            json_lines(cmd.write_stdin(stdin.clone()).output().unwrap())
        };
        let indexed = run(false);
        assert_eq!(indexed, run(true), "{args:?}");
        let penalized = indexed
            .iter()
            .flat_map(|q| q["matches"].as_array().unwrap().clone())
            .filter(|m| m["score"] != m["fuzzy_score"])
            .count();
        assert!(penalized > 0, "the penalties were exercised");
    }
}

#[test]
fn concordance_shows_origin_and_status() {
    let env = Env::new();
    env.mizan()
        .arg("align")
        .arg(repo().join("seeds/seed-article.ar.txt"))
        .arg(repo().join("seeds/seed-article.en.txt"))
        .arg("--import")
        .assert()
        .success();
    let out = env
        .mizan()
        .args(["concordance", "الرئيس الروسي", "--json"])
        .output()
        .unwrap();
    let hits = json_lines(out);
    assert!(!hits.is_empty());
    assert!(hits
        .iter()
        .all(|h| h["origin"] == "align" && h["status"] == "unreviewed"));
    env.mizan()
        .args(["concordance", "الرئيس الروسي", "--limit", "1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("align, unreviewed"));
}

#[test]
fn export_filters_by_status_and_the_tmx_carries_it_back() {
    let env = Env::new();
    env.import_stdin("source\ttarget\tconfirmed\nأ\ta\tyes\nب\tb\t\nت\tt\tyes\n");
    let reviewed = env.path("reviewed.tmx");
    env.mizan()
        .args(["export", "--status", "reviewed", "--out"])
        .arg(&reviewed)
        .assert()
        .success()
        .stderr(predicate::str::contains("exported 2 units"));
    let text = std::fs::read_to_string(&reviewed).unwrap();
    assert_eq!(
        text.matches(r#"<prop type="x-mizan-status">reviewed</prop>"#).count(),
        2
    );
    assert!(!text.contains("unreviewed"));
    assert_valid_tmx(&reviewed);
    // The whole TM round-trips with its statuses.
    let all = env.path("all.tmx");
    env.mizan().args(["export", "--out"]).arg(&all).assert().success();
    let second = env.path("second.db");
    env.mizan_at(&second).arg("import").arg(&all).assert().success();
    let statuses: Vec<(String, Status)> = units(&second).into_iter().map(|u| (u.source, u.status)).collect();
    assert_eq!(
        statuses,
        [
            ("أ".to_string(), Status::Reviewed),
            ("ب".to_string(), Status::Unreviewed),
            ("ت".to_string(), Status::Reviewed)
        ]
    );
    env.mizan().args(["export", "--status", "maybe"]).assert().code(2);
}

#[test]
fn analyze_counts_an_unreviewed_exact_match_in_a_fuzzy_band() {
    let env = Env::new();
    env.mizan()
        .arg("align")
        .arg(repo().join("seeds/seed-article.ar.txt"))
        .arg(repo().join("seeds/seed-article.en.txt"))
        .arg("--import")
        .assert()
        .success();
    let headline = "بوتين خلال زيارة نادرة لكوريا الشمالية: نحن نحارب الإمبريالية الأمريكية (فيديو)";
    let article = env.write("new.ar.txt", format!("{headline}\n"));
    let band = |extra: &[&str]| {
        let out = env
            .mizan()
            .arg("analyze")
            .arg(&article)
            .arg("--json")
            .args(extra)
            .output()
            .unwrap();
        let r = &json_lines(out)[0];
        let bands = r["files"][0]["bands"].as_array().unwrap().clone();
        bands
            .into_iter()
            .find(|b| b["segments"] == 1)
            .map(|b| b["band"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(band(&[]), "85-94");
    assert_eq!(band(&["--penalty", "none"]), "exact");
}

#[test]
fn status_columns_of_tsv_csv_and_jsonl_are_read() {
    let env = Env::new();
    env.write("a.tsv", "source\ttarget\tstatus\nأ\ta\tunreviewed\nب\tb\treviewed\n");
    env.write("b.csv", "source,target,confirmed\nت,t,yes\nث,th,\n");
    env.write(
        "c.jsonl",
        "{\"source\":\"ج\",\"target\":\"j\",\"status\":\"draft\"}\n{\"source\":\"ح\",\"target\":\"h\",\"confirmed\":true}\n",
    );
    env.mizan()
        .args(["import", "a.tsv", "b.csv", "c.jsonl"])
        .assert()
        .success();
    assert_eq!(
        env.stats()["statuses"],
        serde_json::json!({"reviewed": 3, "unreviewed": 3})
    );
}

#[test]
fn a_version_3_tm_file_migrates_on_open() {
    let env = Env::new();
    env.mizan()
        .arg("align")
        .arg(repo().join("seeds/seed-article.ar.txt"))
        .arg(repo().join("seeds/seed-article.en.txt"))
        .arg("--import")
        .assert()
        .success();
    env.mizan()
        .args([
            "add",
            "--source",
            "جملة جديدة تماما",
            "--target",
            "An entirely new sentence",
        ])
        .assert()
        .success();
    // Turn the file into what mizan with schema version 3 wrote.
    {
        let conn = rusqlite::Connection::open(env.tm()).unwrap();
        conn.execute_batch("ALTER TABLE unit DROP COLUMN status; PRAGMA user_version = 3;")
            .unwrap();
    }
    let stats = env.stats();
    assert_eq!(stats["schema_version"], mizan::tm::SCHEMA_VERSION);
    assert_eq!(stats["statuses"], serde_json::json!({"reviewed": 1, "unreviewed": 24}));
}
