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
