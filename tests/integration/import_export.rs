//! Import, de-duplication, export and the round trip, on real parallel news.
use predicates::prelude::*;

use crate::common::{assert_valid_tmx, ntrex_tsv, units, Env};

#[test]
fn ntrex_imports_659_units_once_and_round_trips_through_tmx() {
    let env = Env::new();
    let tsv = env.write("ntrex.tsv", ntrex_tsv());
    env.mizan()
        .arg("import")
        .arg(&tsv)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "added 659, replaced 0, skipped 0 duplicates, rejected 0",
        ));
    assert_eq!(env.stats()["units"], 659);
    env.mizan()
        .arg("import")
        .arg(&tsv)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "added 0, replaced 0, skipped 659 duplicates, rejected 0",
        ));
    assert_eq!(env.stats()["units"], 659);

    let tmx = env.path("ntrex.tmx");
    env.mizan()
        .args(["export", "--out"])
        .arg(&tmx)
        .assert()
        .success()
        .stderr(predicate::str::contains("exported 659 units"));
    assert_valid_tmx(&tmx);

    let second = env.path("second.db");
    env.mizan_at(&second).arg("import").arg(&tmx).assert().success();
    let (a, b) = (units(&env.tm()), units(&second));
    assert_eq!(a.len(), 659);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.source.as_bytes(), y.source.as_bytes());
        assert_eq!(x.target.as_bytes(), y.target.as_bytes());
        assert_eq!((&x.source_lang, &x.target_lang), (&y.source_lang, &y.target_lang));
        assert_eq!((x.origin, &x.document, x.position), (y.origin, &y.document, y.position));
        assert_eq!(
            (&x.created_at, &x.changed_at, &x.props),
            (&y.created_at, &y.changed_at, &y.props)
        );
    }
    // Importing the export into the first TM adds nothing either.
    env.mizan()
        .arg("import")
        .arg(&tmx)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 0,"));
}

#[test]
fn stdin_import_and_stats_json_shape() {
    let env = Env::new();
    env.mizan()
        .args(["import", "-"])
        .write_stdin("زيارة نادرة\tA rare visit\nالزيارة تثير قلق أمريكا\tVisit stirs US concern\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("added 2"));
    env.mizan()
        .args([
            "add",
            "--source",
            "إعلان",
            "--target",
            "Advertisement",
            "--author",
            "lina",
        ])
        .assert()
        .success()
        .stdout("3\n");
    let s = env.stats();
    assert_eq!(s["units"], 3);
    assert_eq!(
        s["language_pairs"][0],
        serde_json::json!({"source": "ar", "target": "en", "units": 3})
    );
    assert_eq!(s["origins"]["human"], 1);
    assert_eq!(s["origins"]["import"], 2);
}

#[test]
fn csv_and_jsonl_import_with_metadata() {
    let env = Env::new();
    let csv = env.write(
        "p.csv",
        "source,target,note\n\"قال، ثم غادر\",\"He said, then left\",checked\n",
    );
    let jsonl = env.write(
        "p.jsonl",
        "{\"source\":\"زيارة نادرة\",\"target\":\"A rare visit\",\"author\":\"lina\",\"created\":\"2024-06-19T08:30:00Z\"}\n",
    );
    env.mizan().arg("import").arg(&csv).arg(&jsonl).assert().success();
    let units = units(&env.tm());
    assert_eq!(units[0].source, "قال، ثم غادر");
    assert_eq!(units[0].note.as_deref(), Some("checked"));
    assert_eq!(units[1].created_by.as_deref(), Some("lina"));
    assert_eq!(units[1].created_at, "2024-06-19T08:30:00Z");
}

#[test]
fn on_duplicate_policies() {
    let env = Env::new();
    let a = env.write("a.tsv", "زيارة نادرة\tA rare visit\n");
    let b = env.write("b.tsv", "زيارة نادرة\tAn unusual visit\n");
    env.mizan().arg("import").arg(&a).assert().success();
    env.mizan()
        .args(["import", "--on-duplicate", "skip"])
        .arg(&b)
        .assert()
        .success()
        .stdout(predicate::str::contains("skipped 1"));
    assert_eq!(env.stats()["units"], 1);
    env.mizan()
        .args(["import", "--on-duplicate", "replace"])
        .arg(&b)
        .assert()
        .success()
        .stdout(predicate::str::contains("replaced 1"));
    assert_eq!(units(&env.tm())[0].target, "An unusual visit");
    env.mizan()
        .args(["import", "--on-duplicate", "keep-both"])
        .arg(&a)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 1"));
    assert_eq!(env.stats()["units"], 2);
}

#[test]
fn control_characters_still_export_well_formed_tmx() {
    let env = Env::new();
    env.mizan()
        .args([
            "add",
            "--source",
            "نص\u{1}فيه\u{8}محارف تحكم",
            "--target",
            "text\u{b}with controls",
        ])
        .assert()
        .success();
    let tmx = env.path("c.tmx");
    env.mizan()
        .args(["export", "--out"])
        .arg(&tmx)
        .assert()
        .success()
        .stderr(predicate::str::contains("3 characters that XML 1.0 forbids"));
    assert_valid_tmx(&tmx);
    let second = env.path("c2.db");
    env.mizan_at(&second).arg("import").arg(&tmx).assert().success();
    assert_eq!(units(&second)[0].source, "نص\u{1}فيه\u{8}محارف تحكم");
}

#[test]
fn match_answers_each_stdin_line_as_json() {
    let env = Env::new();
    env.import_stdin(ntrex_tsv());
    let ar = std::fs::read_to_string(crate::common::repo().join("tests/data/fuzzy/ntrex.ar.txt")).unwrap();
    let lines: Vec<&str> = ar.lines().take(3).collect();
    let out = env
        .mizan()
        .args(["match", "--json", "--min", "50"])
        .write_stdin(lines.join("\n"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let records: Vec<serde_json::Value> = out
        .stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3);
    for (rec, line) in records.iter().zip(&lines) {
        assert_eq!(rec["query"], *line);
        assert_eq!(rec["matches"][0]["score"], 100.0);
        assert_eq!(rec["matches"][0]["source"], *line);
    }
}

#[test]
fn export_filters_by_origin_and_date() {
    let env = Env::new();
    env.import_stdin("زيارة نادرة\tA rare visit\n");
    env.mizan()
        .args(["add", "--source", "إعلان", "--target", "Advertisement"])
        .assert()
        .success();
    let human = env.mizan().args(["export", "--origin", "human"]).output().unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert_eq!(text.matches("<tu ").count(), 1);
    assert!(text.contains("Advertisement") && !text.contains("A rare visit"));
    let future = env.mizan().args(["export", "--since", "2999-01-01"]).output().unwrap();
    assert_eq!(String::from_utf8(future.stdout).unwrap().matches("<tu ").count(), 0);
    env.mizan()
        .args(["export", "--since", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--since"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::BufRead;
    let env = Env::new();
    env.import_stdin(ntrex_tsv());
    let bin = assert_cmd::cargo::cargo_bin("mizan");
    let mut child = std::process::Command::new(bin)
        .arg("--tm")
        .arg(env.tm())
        .arg("export")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("<?xml"));
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("mizan:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
