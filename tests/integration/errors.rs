//! Bad input: every case is reported with file and line, good lines still land, the exit status
//! says so, and nothing is created or damaged when the TM or the input cannot be used.
use predicates::prelude::*;

use crate::common::Env;

#[test]
fn bad_tsv_lines_are_reported_and_good_ones_imported() {
    let env = Env::new();
    let mut bytes = "زيارة نادرة\tA rare visit\nسطر بلا تبويب\n\tNo source\nلا هدف\t  \n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"\xff\xfe bad\tbytes\n");
    bytes.extend_from_slice("الزيارة تثير قلق أمريكا\tVisit stirs US concern\n".as_bytes());
    let f = env.write("bad.tsv", bytes);
    env.mizan()
        .arg("import")
        .arg(&f)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "added 2, replaced 0, skipped 0 duplicates, rejected 4",
        ))
        .stderr(predicate::str::contains("bad.tsv:2: no tab"))
        .stderr(predicate::str::contains("bad.tsv:3: empty source"))
        .stderr(predicate::str::contains("bad.tsv:4: empty target"))
        .stderr(predicate::str::contains("bad.tsv:5: not UTF-8"));
    assert_eq!(env.stats()["units"], 2);
}

#[test]
fn strict_aborts_with_nothing_stored() {
    let env = Env::new();
    let f = env.write("bad.tsv", "أ\ta\nسطر بلا تبويب\nب\tb\n");
    env.mizan()
        .args(["import", "--strict"])
        .arg(&f)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.tsv:line 2: no tab"));
    // The TM file was created (import writes) but holds nothing.
    assert_eq!(env.stats()["units"], 0);
}

#[test]
fn csv_without_columns_and_jsonl_syntax_errors() {
    let env = Env::new();
    let csv = env.write("x.csv", "ar,en\nأ,a\n");
    env.mizan()
        .arg("import")
        .arg(&csv)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "x.csv:1: the CSV header has no `source` and `target` columns",
        ));
    let jsonl = env.write(
        "x.jsonl",
        "{\"source\":\"أ\",\"target\":\"a\"}\n{\"source\":\"ب\",\n{\"target\":\"c\"}\n",
    );
    env.mizan()
        .arg("import")
        .arg(&jsonl)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "added 1, replaced 0, skipped 0 duplicates, rejected 2",
        ))
        .stderr(predicate::str::contains("x.jsonl:2: JSON:"))
        .stderr(predicate::str::contains("x.jsonl:3: JSON: missing field `source`"));
}

#[test]
fn missing_input_changes_nothing() {
    let env = Env::new();
    env.mizan()
        .args(["import", "nope.tsv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read nope.tsv"));
    assert!(!env.tm().exists(), "the TM must not be created for an unreadable input");
}

#[test]
fn tm_in_missing_directory() {
    let env = Env::new();
    let f = env.write("a.tsv", "أ\ta\n");
    env.mizan_at(&env.path("no/such/dir/tm.db"))
        .arg("import")
        .arg(&f)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not exist"));
    assert!(!env.path("no").exists());
}

#[test]
fn read_only_commands_need_an_existing_tm() {
    let env = Env::new();
    env.mizan()
        .arg("stats")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no translation memory at"));
    assert!(!env.tm().exists());
}

#[test]
fn foreign_files_are_left_untouched() {
    let env = Env::new();
    let f = env.write("a.tsv", "أ\ta\n");
    let text = env.write("notes.txt", "just some notes\n");
    env.mizan_at(&text)
        .arg("import")
        .arg(&f)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a mizan translation memory"));
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "just some notes\n");

    let other = env.path("other.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    env.mizan_at(&other)
        .arg("import")
        .arg(&f)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("another application"));
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    env.mizan().args(["import", "--no-such-flag", "x"]).assert().code(2);
    env.mizan()
        .args(["--src-lang", "عربي", "stats"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--src-lang"));
    env.mizan().args(["import", "x.weird"]).write_stdin("").assert().code(1);
}

/// Starts importing 400k pairs into the TM, kills mizan once it is writing, and returns the
/// number of units the TM holds afterwards.
fn kill_an_import(env: &Env) -> u64 {
    let mut big = String::with_capacity(40 << 20);
    for i in 0..400_000 {
        big.push_str(&format!(
            "وقال المتحدث إن الاجتماع رقم {i} سيعقد غدا\tThe spokesman said meeting number {i} will be held tomorrow\n"
        ));
    }
    let f = env.write("big.tsv", big);
    let bin = assert_cmd::cargo::cargo_bin("mizan");
    let mut child = std::process::Command::new(bin)
        .arg("--tm")
        .arg(env.tm())
        .arg("import")
        .arg(&f)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the import is writing (the write-ahead log, or the rollback journal and the file
    // of a bulk import into an empty TM, grow), then kill it.
    let size = |name: &str| std::fs::metadata(env.path(name)).map(|m| m.len()).unwrap_or(0);
    let start = std::time::Instant::now();
    while size("tm.db-wal") < (1 << 20) && (size("tm.db-journal") == 0 || size("tm.db") < (4 << 20)) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "import finished before it could be killed; make the file bigger"
        );
        assert!(start.elapsed().as_secs() < 60, "import never started writing");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());
    env.stats()["units"].as_u64().unwrap()
}

#[test]
fn killed_import_leaves_the_tm_as_it_was() {
    let env = Env::new();
    env.mizan()
        .args(["add", "--source", "زيارة نادرة", "--target", "A rare visit"])
        .assert()
        .success();
    assert_eq!(kill_an_import(&env), 1);
}

#[test]
fn killed_bulk_import_into_an_empty_tm_leaves_it_empty() {
    let env = Env::new();
    let empty = env.write("empty.tsv", "");
    env.mizan().arg("import").arg(&empty).assert().success();
    assert_eq!(kill_an_import(&env), 0);
    // The TM works as before: WAL again, writes and reads.
    env.mizan()
        .args(["add", "--source", "زيارة نادرة", "--target", "A rare visit"])
        .assert()
        .success();
    assert_eq!(env.stats()["units"], 1);
    let mode: String = rusqlite::Connection::open(env.tm())
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

/// `text` in UTF-16, little- or big-endian, with or without a byte-order mark.
fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for unit in (if bom { "\u{feff}" } else { "" })
        .encode_utf16()
        .chain(text.encode_utf16())
    {
        out.extend_from_slice(&if little { unit.to_le_bytes() } else { unit.to_be_bytes() });
    }
    out
}

#[test]
fn utf16_text_files_with_a_bom_are_decoded() {
    let env = Env::new();
    let files = [
        env.write("le.tsv", utf16("زيارة نادرة\tA rare visit\n", true, true)),
        env.write(
            "be.tsv",
            utf16("source\ttarget\r\nقال الرئيس\tThe president said\r\n", false, true),
        ),
        env.write(
            "le.csv",
            utf16("source,target\n\"بيان, رسمي\",\"A statement, official\"\n", true, true),
        ),
        env.write(
            "be.jsonl",
            utf16("{\"source\":\"أمس 😀\",\"target\":\"Yesterday 😀\"}\n", false, true),
        ),
    ];
    env.mizan().arg("import").args(&files).assert().success();
    let pairs: Vec<(String, String)> = crate::common::units(&env.tm())
        .into_iter()
        .map(|u| (u.source, u.target))
        .collect();
    let want = [
        ("زيارة نادرة", "A rare visit"),
        ("قال الرئيس", "The president said"),
        ("بيان, رسمي", "A statement, official"),
        ("أمس 😀", "Yesterday 😀"),
    ];
    assert_eq!(pairs, want.map(|(s, t)| (s.to_string(), t.to_string())));
    // Standard input too: the byte-order mark does not make it look like TMX.
    let piped = Env::new();
    piped
        .mizan()
        .args(["import", "-"])
        .write_stdin(utf16("أ\ta\n", true, true))
        .assert()
        .success();
    assert_eq!(crate::common::units(&piped.tm())[0].source, "أ");
}

#[test]
fn utf16_text_files_without_a_bom_are_refused_with_a_hint() {
    let env = Env::new();
    for (name, little) in [
        ("le.tsv", true),
        ("be.tsv", false),
        ("le.jsonl", true),
        ("le.csv", true),
    ] {
        let text = match name {
            "le.jsonl" => "{\"source\":\"زيارة نادرة\",\"target\":\"A rare visit\"}\n",
            "le.csv" => "source,target\nزيارة نادرة,A rare visit\n",
            _ => "زيارة نادرة\tA rare visit\nقال\tsaid\n",
        };
        let f = env.write(name, utf16(text, little, false));
        env.mizan()
            .arg("import")
            .arg(&f)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "{name}: UTF-16{} without a byte-order mark",
                if little { "LE" } else { "BE" }
            )))
            .stderr(predicate::str::contains("iconv"))
            .stderr(predicate::str::contains("nothing from this file was stored"));
    }
    assert_eq!(env.stats()["units"], 0, "no mojibake stored");
}

#[test]
fn nul_bytes_reject_their_line_in_every_text_format() {
    let env = Env::new();
    let tsv = env.write("nul.tsv", "أ\ta\nب\0\tb\nج\tc\n");
    let csv = env.write("nul.csv", "source,target\nد,d\nه,e\0\n");
    let jsonl = env.write(
        "nul.jsonl",
        "{\"source\":\"و\",\"target\":\"w\"}\n{\"source\":\"ز\",\0\"target\":\"z\"}\n",
    );
    env.mizan()
        .arg("import")
        .args([&tsv, &csv, &jsonl])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nul.tsv:2: a NUL byte at column 2"))
        .stderr(predicate::str::contains("nul.csv:3: a NUL byte"))
        .stderr(predicate::str::contains("nul.jsonl:2: a NUL byte at column 15"));
    let sources: Vec<String> = crate::common::units(&env.tm()).into_iter().map(|u| u.source).collect();
    assert_eq!(sources, ["أ", "ج", "د", "و"]);
}

/// The JSON objects of a run's stdout, whatever its exit status.
fn json_objects(out: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn json_reports_every_refused_file_and_the_files_not_read() {
    let env = Env::new();
    // Relative names, as a user types them (the temp directory is the working directory).
    env.write("good.tsv", "أ\ta\n");
    env.write("later.tsv", "ب\tb\n");
    env.write("last.tsv", "ج\tc\n");
    let broken = crate::common::repo().join("tests/data/tmx/broken.tmx");
    let out = env
        .mizan()
        .args(["import", "--json", "good.tsv"])
        .arg(&broken)
        .args(["later.tsv", "last.tsv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let reports = json_objects(&out);
    assert_eq!(reports.len(), 4, "{reports:?}");
    assert_eq!(
        (reports[0]["added"].as_u64(), reports[0]["error"].is_null()),
        (Some(1), true)
    );
    assert!(reports[1]["error"].as_str().unwrap().contains("not well-formed XML"));
    assert_eq!(
        (reports[1]["line"].as_u64(), reports[1]["read"].as_bool()),
        (Some(6), Some(true))
    );
    assert!(reports[1]["column"].as_u64().is_some());
    for r in &reports[2..] {
        assert_eq!(r["read"], false, "{r}");
        assert!(r["error"].as_str().unwrap().starts_with("not read"), "{r}");
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not read: later.tsv, last.tsv"), "{stderr}");
    assert_eq!(env.stats()["units"], 1);

    // A file that cannot be opened: its object, and the others' as not read; no TM is created.
    let fresh = Env::new();
    let out = fresh
        .mizan()
        .args(["import", "--json"])
        .arg(env.path("good.tsv"))
        .arg(fresh.path("nope.tsv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let reports = json_objects(&out);
    assert_eq!(reports.len(), 2, "{reports:?}");
    assert_eq!(reports[0]["read"], false);
    assert!(reports[1]["error"].as_str().unwrap().contains("cannot read"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not read: "));
    assert!(!fresh.tm().exists());

    // The other refusals print their object too: a CSV without its columns, a strict rejection.
    let csv = env.write("x.csv", "ar,en\nأ,a\n");
    let strict = env.write("strict.tsv", "بلا تبويب\n");
    let out = env
        .mizan()
        .args(["import", "--json", "--strict"])
        .args([&strict, &csv])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let reports = json_objects(&out);
    assert_eq!(reports.len(), 2, "{reports:?}");
    assert_eq!(reports[0]["line"], 1);
    assert!(reports[0]["error"].as_str().unwrap().contains("no tab"));
    assert_eq!(reports[1]["line"], 1);
    assert!(reports[1]["error"]
        .as_str()
        .unwrap()
        .contains("no `source` and `target` columns"));
}
