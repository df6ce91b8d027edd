//! The TM file is never lost or locked out: outputs never replace a TM, a dry run creates nothing,
//! read-only commands work on a read-only TM, a writer makes others wait instead of fail, the
//! demo never writes into `$MIZAN_TM`, and nonsense arguments are usage errors.
use std::process::Stdio;

use predicates::prelude::*;

use crate::common::Env;

/// The TM's bytes and its unit count, to compare before and after.
fn snapshot(env: &Env) -> (Vec<u8>, u64) {
    let units = env.stats()["units"].as_u64().expect("units");
    (std::fs::read(env.tm()).expect("TM bytes"), units)
}

#[test]
fn export_never_replaces_the_tm_under_any_name() {
    let env = Env::new();
    env.import_seed_pairs();
    let before = snapshot(&env);
    let link = env.path("memory.tmx");
    std::os::unix::fs::symlink(env.tm(), &link).unwrap();
    for dest in [
        env.tm(),
        env.dir.path().join(".").join("tm.db"),
        env.dir.path().join("sub/../tm.db"),
        link,
    ] {
        std::fs::create_dir_all(env.path("sub")).unwrap();
        env.mizan()
            .args(["export", "--out"])
            .arg(&dest)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("is the translation memory itself"));
        assert_eq!(snapshot(&env), before, "export --out {} changed the TM", dest.display());
    }
    // Another TM is not overwritten either, by export or by pretranslate.
    let other = Env::new();
    other.import_stdin("زيارة نادرة\tA rare visit\n");
    let other_before = std::fs::read(other.tm()).unwrap();
    env.mizan()
        .args(["export", "--out"])
        .arg(other.tm())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("SQLite database"));
    let article = env.write("new.ar.txt", "زيارة نادرة\n");
    env.mizan()
        .arg("pretranslate")
        .arg(&article)
        .arg("--out")
        .arg(other.tm())
        .assert()
        .code(1);
    assert_eq!(std::fs::read(other.tm()).unwrap(), other_before);
    // The TM's own write-ahead log, which would lose committed units if replaced.
    env.mizan()
        .args(["export", "--out"])
        .arg(format!("{}-wal", env.tm().display()))
        .assert()
        .code(1);
    assert_eq!(snapshot(&env), before);
}

#[test]
fn import_dry_run_creates_nothing() {
    let env = Env::new();
    let tsv = env.write(
        "pairs.tsv",
        "زيارة نادرة\tA rare visit\nالرئيس الروسي\tThe Russian president\n",
    );
    env.mizan()
        .args(["import", "--dry-run"])
        .arg(&tsv)
        .assert()
        .success()
        .stdout(predicate::str::contains("(dry run) added 2"));
    let left: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(left, vec!["pairs.tsv".to_string()], "a dry run left files behind");
}

/// How to run `mizan` as an unprivileged user when the tests run as root (root ignores
/// permissions, so a read-only file is only read-only to somebody else): `setpriv` and a copy of
/// the binary in a directory everybody may enter (the build's own may sit under `/root`).
struct Unprivileged {
    bin: std::path::PathBuf,
    root: bool,
    _dir: Option<tempfile::TempDir>,
}

impl Unprivileged {
    fn new() -> Option<Unprivileged> {
        use std::os::unix::fs::PermissionsExt;
        let bin = assert_cmd::cargo::cargo_bin("mizan");
        // The effective user, as `id -u` prints it.
        let uid = std::process::Command::new("id").arg("-u").output().ok()?;
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            return Some(Unprivileged {
                bin,
                root: false,
                _dir: None,
            });
        }
        if !crate::common::has_tool("setpriv") {
            crate::common::skip_without("setpriv (util-linux)", "the read-only TM test as root");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let copy = dir.path().join("mizan");
        std::fs::copy(&bin, &copy).unwrap();
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
        Some(Unprivileged {
            bin: copy,
            root: true,
            _dir: Some(dir),
        })
    }

    fn command(&self, env: &Env) -> std::process::Command {
        let mut cmd = if self.root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(&self.bin);
            c
        } else {
            std::process::Command::new(&self.bin)
        };
        cmd.current_dir("/")
            .env_remove("MIZAN_TM")
            .env("NO_COLOR", "1")
            .arg("--tm")
            .arg(env.tm());
        cmd
    }
}

#[test]
fn read_only_commands_work_on_a_read_only_tm_in_a_read_only_directory() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.import_seed_pairs();
    let before = snapshot(&env);
    let article = env.write("new.ar.txt", "زيارة نادرة\n");
    let listing = || {
        let mut names: Vec<_> = std::fs::read_dir(env.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    // No shared-memory file beside the TM (as after a writer closed it): a reader in a read-only
    // directory cannot create one, the hardest case.
    let wal = env.path("tm.db-wal");
    if wal.exists() {
        assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0, "the log was checkpointed");
        std::fs::remove_file(&wal).unwrap();
    }
    let _ = std::fs::remove_file(env.path("tm.db-shm"));
    let files_before = listing();
    std::fs::set_permissions(&article, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(env.tm(), std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let Some(user) = Unprivileged::new() else { return };
    let run = |args: &[&str]| Some(user.command(&env).args(args).output().expect("run mizan"));
    let checks: &[(&[&str], &str)] = &[
        (&["stats"], "23 units"),
        (&["match", "زيارة نادرة"], "A rare visit"),
        (&["concordance", "الرئيس الروسي"], "Russian President"),
        (&["export"], "<tmx version=\"1.4\">"),
        (&["analyze", article.to_str().unwrap()], "exact"),
        (&["pretranslate", article.to_str().unwrap()], "A rare visit"),
    ];
    for (args, expect) in checks {
        let Some(out) = run(args) else { return };
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains(expect),
            "mizan {args:?} on a read-only TM: {}\n{stdout}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // A command that writes says why it cannot.
    let out = run(&["add", "--source", "نص", "--target", "text"]).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("read-only"), "{err}");
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(listing(), files_before, "nothing was created beside the TM");
    assert_eq!(snapshot(&env), before);
}

#[test]
fn readers_wait_or_read_while_the_first_import_runs() {
    let env = Env::new();
    let ar: Vec<&str> = include_str!("../data/fuzzy/ntrex.ar.txt").lines().collect();
    let en: Vec<&str> = include_str!("../data/fuzzy/ntrex.en.txt").lines().collect();
    let mut tsv = String::new();
    for i in 0..60_000 {
        tsv.push_str(&format!("{} {i}\t{} {i}\n", ar[i % ar.len()], en[i % en.len()]));
    }
    let file = env.write("big.tsv", tsv);
    let bin = assert_cmd::cargo::cargo_bin("mizan");
    let mut import = std::process::Command::new(&bin)
        .arg("--tm")
        .arg(env.tm())
        .arg("import")
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Readers start as soon as the file exists and keep going until the import is done.
    while !env.tm().exists() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut runs = 0;
    let mut seen = std::collections::BTreeSet::new();
    loop {
        let done = import.try_wait().unwrap().is_some();
        let out = env.mizan().args(["stats", "--json"]).output().unwrap();
        assert!(
            out.status.success(),
            "stats failed while the import ran: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        seen.insert(v["units"].as_u64().unwrap());
        runs += 1;
        if done {
            break;
        }
    }
    let out = import.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Every reader saw the TM before or after the import, never half of it.
    assert!(seen.iter().all(|&n| n == 0 || n == 60_000), "{seen:?} in {runs} runs");
    assert!(seen.contains(&60_000));
}

#[test]
fn a_held_lock_is_reported_once_with_the_wait() {
    let env = Env::new();
    env.import_seed_pairs();
    let conn = rusqlite::Connection::open(env.tm()).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; UPDATE unit SET note = 'x' WHERE id = 1;")
        .unwrap();
    let out = env
        .mizan()
        .args(["--wait", "1", "add", "--source", "نص جديد", "--target", "new text"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("locked").count(), 1, "{err}");
    assert!(
        err.contains("another process is writing it") && err.contains("waited 1 s"),
        "{err}"
    );
    // A reader is not held up by the writer at all.
    env.mizan().args(["--wait", "1", "stats"]).assert().success();
    conn.execute_batch("ROLLBACK").unwrap();
    env.mizan()
        .args(["add", "--source", "نص جديد", "--target", "new text"])
        .assert()
        .success();
}

#[test]
fn a_held_lock_met_while_storing_aligned_pairs_is_reported_once() {
    // The lock is met inside a library workflow (`mizan::workflow::align_and_store`), whose error
    // wraps the TM's: the message is the same as for a lock met by the CLI itself.
    let env = Env::new();
    env.import_seed_pairs();
    let conn = rusqlite::Connection::open(env.tm()).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; UPDATE unit SET note = 'x' WHERE id = 1;")
        .unwrap();
    let seeds = crate::common::repo().join("seeds");
    let out = env
        .mizan()
        .args(["--wait", "1", "align", "--import"])
        .arg(seeds.join("seed-article.ar.txt"))
        .arg(seeds.join("seed-article.en.txt"))
        .output()
        .unwrap();
    conn.execute_batch("ROLLBACK").unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("locked").count(), 1, "{err}");
    assert!(
        err.contains("another process is writing it") && err.contains("waited 1 s"),
        "{err}"
    );
    assert_eq!(env.stats()["units"], 23, "nothing was stored");
}

#[test]
fn match_service_reports_a_bad_line_and_goes_on() {
    let env = Env::new();
    env.import_seed_pairs();
    let mut input = "زيارة نادرة\n".as_bytes().to_vec();
    input.extend_from_slice(b"\xff\xfe bad\n");
    input.extend_from_slice("الزيارة تثير قلق أمريكا\n".as_bytes());
    let out = env
        .mizan()
        .args(["match", "--json"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a bad line makes the run fail at the end");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("<stdin>:2: not UTF-8"), "{err}");
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one answer per input line");
    assert_eq!(lines[0]["matches"][0]["target"], "A rare visit");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["matches"][0]["target"], "Visit stirs US concern");
}

#[test]
fn demo_never_writes_into_the_users_tm() {
    let env = Env::new();
    let mine = env.path("mine.db");
    let mut cmd = assert_cmd::Command::cargo_bin("mizan").unwrap();
    cmd.current_dir(env.dir.path())
        .env("MIZAN_TM", &mine)
        .env("NO_COLOR", "1")
        .arg("demo")
        .assert()
        .success();
    assert!(!mine.exists(), "the demo created $MIZAN_TM");
    assert!(env.path("mizan-demo/demo.db").exists());
    // With a TM of the user's: untouched.
    env.import_stdin("زيارة نادرة\tA rare visit\n");
    let before = std::fs::read(env.tm()).unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("mizan").unwrap();
    cmd.current_dir(env.dir.path())
        .env("MIZAN_TM", env.tm())
        .arg("demo")
        .assert()
        .success();
    assert_eq!(std::fs::read(env.tm()).unwrap(), before);
}

#[test]
fn top_zero_and_an_empty_term_are_usage_errors() {
    let env = Env::new();
    env.import_seed_pairs();
    env.mizan()
        .args(["match", "--top", "0", "زيارة نادرة"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--top"));
    for term in ["", "   ", "\u{064E}"] {
        env.mizan()
            .args(["concordance", term])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("term is empty"));
    }
}
