//! The PostgreSQL store against a real server (`MIZAN_TEST_PG`, each test in a database of its
//! own): every command gives what it gives on a TM file, a failed import changes nothing,
//! concurrent importers never duplicate a unit, a write by one process is found by the next query
//! of another, the fuzzy index is lossless, `mizan copy` round-trips, and connection errors never
//! show the password.
use std::path::Path;

use proptest::prelude::*;

use crate::common::{json_lines, ntrex_tsv, repo, Env, PgDb};
use mizan::store::{open, Store, StoreOptions};
use mizan::tm::suggest::MatchOptions;
use mizan::tm::{DuplicatePolicy, NewUnit, OpenMode, Origin};

fn run_ok(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A TMX export without the lines that carry the moment of the export.
fn export_body(env: &Env, tm: &Path) -> String {
    let tmx = run_ok(env.mizan_at(tm).args(["export", "--out", "-"]));
    tmx.lines()
        .filter(|l| !l.trim_start().starts_with("<header"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn stats(env: &Env, tm: &Path) -> serde_json::Value {
    let mut s: serde_json::Value = serde_json::from_str(&run_ok(env.mizan_at(tm).args(["stats", "--json"]))).unwrap();
    // Each backend numbers its own schema.
    s.as_object_mut().unwrap().remove("schema_version");
    s
}

/// The same commands on a TM file and on a PostgreSQL database, with what each printed.
fn run_everything(env: &Env, tm: &Path) -> Vec<String> {
    let mut outputs = Vec::new();
    let tmx = repo().join("tests/data/tmx");
    outputs.push(run_ok(
        env.mizan_at(tm)
            .arg("import")
            .arg(repo().join("seeds/seed-article.pairs.tsv")),
    ));
    for f in ["header-items.tmx", "tuv-notes.tmx", "inline-tags.tmx"] {
        outputs.push(run_ok(env.mizan_at(tm).arg("import").arg(tmx.join(f))));
    }
    outputs.push(run_ok(env.mizan_at(tm).args(["import", "-", "--format", "tsv"]).write_stdin(
        "وصل الوفد إلى القاهرة عام 2023\tThe delegation arrived in Cairo in 2023\nقال الرئيس إن الزيارة ناجحة\tThe president said the visit was a success\n",
    )));
    let ar = repo().join("seeds/seed-article.ar.txt");
    let en = repo().join("seeds/seed-article.en.txt");
    if ar.exists() && en.exists() {
        outputs.push(run_ok(env.mizan_at(tm).arg("align").arg(&ar).arg(&en).arg("--import")));
    }
    outputs.push(run_ok(env.mizan_at(tm).args([
        "add",
        "--source",
        "زيارة نادرة جدا",
        "--target",
        "A very rare visit",
        "--author",
        "lina",
    ])));
    outputs.push(run_ok(env.mizan_at(tm).args([
        "edit",
        "2",
        "--target",
        "Edited by a person",
    ])));
    outputs.push(run_ok(env.mizan_at(tm).args(["delete", "3"])));
    for q in [
        "وصل الوفد إلى القاهرة عام 2024",
        "زيارة نادرة",
        "قال الرئيس إن الزيارة ناجحة جدا",
    ] {
        outputs.push(run_ok(env.mizan_at(tm).args(["match", "--json", "--min", "50", q])));
        outputs.push(run_ok(env.mizan_at(tm).args([
            "match",
            "--json",
            "--exhaustive",
            "--min",
            "50",
            q,
        ])));
    }
    outputs.push(run_ok(env.mizan_at(tm).args(["concordance", "--json", "الرئيس"])));
    outputs.push(run_ok(env.mizan_at(tm).args([
        "concordance",
        "--json",
        "--target",
        "visit",
    ])));
    let article = env.write(
        "article.txt",
        "وصل الوفد إلى القاهرة عام 2025. قال الرئيس إن الزيارة ناجحة.",
    );
    outputs.push(run_ok(env.mizan_at(tm).arg("analyze").arg(&article).arg("--json")));
    outputs.push(run_ok(
        env.mizan_at(tm)
            .arg("pretranslate")
            .arg(&article)
            .args(["--format", "tsv"]),
    ));
    outputs.push(run_ok(env.mizan_at(tm).arg("reindex")).replace(&tm.display().to_string(), "TM"));
    outputs.push(export_body(env, tm));
    outputs.push(stats(env, tm).to_string());
    // Units stored without dates get the moment they were stored, which differs between the two
    // runs.
    let date = regex::Regex::new(r"\d{4}-?\d{2}-?\d{2}T\d{2}:?\d{2}:?\d{2}Z").unwrap();
    outputs
        .iter()
        .map(|o| date.replace_all(o, "DATE").to_string())
        .collect()
}

/// Every command on PostgreSQL prints what it prints on a TM file (ids, scores, exports, stats).
#[test]
fn every_command_answers_on_postgres_what_it_answers_on_a_file() {
    let Some(db) = PgDb::new("PostgreSQL store: every command") else {
        return;
    };
    let env = Env::new();
    let file = run_everything(&env, &env.tm());
    let pg = run_everything(&env, Path::new(&db.url));
    assert_eq!(file.len(), pg.len());
    for (i, (f, p)) in file.iter().zip(&pg).enumerate() {
        assert_eq!(f, p, "output {i} differs");
    }
    // The match outputs are not trivially empty.
    assert!(pg.iter().any(|o| o.contains("The delegation arrived in Cairo in 2024")));
}

#[test]
fn a_failed_import_changes_nothing() {
    let Some(db) = PgDb::new("PostgreSQL store: failed import") else {
        return;
    };
    let env = Env::new();
    let tm = Path::new(&db.url);
    run_ok(env.mizan_at(tm).args(["import", "-"]).write_stdin("أ\ta\n"));
    let before = stats(&env, tm);
    env.mizan_at(tm)
        .args(["import", "--strict", "-"])
        .write_stdin("ب\tb\nبلا هدف\nج\tc\n")
        .assert()
        .code(1);
    let broken = env.write(
        "broken.tmx",
        std::fs::read(repo().join("tests/data/tmx/broken-after-two.tmx")).unwrap(),
    );
    env.mizan_at(tm).arg("import").arg(&broken).assert().code(1);
    assert_eq!(stats(&env, tm), before);
    assert_eq!(before["units"], 1);
}

/// Four processes import the same file at once: each unit is stored once.
#[test]
fn concurrent_importers_never_duplicate_a_unit() {
    let Some(db) = PgDb::new("PostgreSQL store: concurrent importers") else {
        return;
    };
    let env = Env::new();
    let tsv = env.write("ntrex.tsv", ntrex_tsv());
    let tm = Path::new(&db.url);
    // The schema first, so that the racers race on units (creating it at once is tested below);
    // no unit yet, so each importer takes the path that skips look-ups for sources it has not
    // stored itself, and only the unique constraint stands between them.
    drop(open(&db.url, &StoreOptions::new(OpenMode::Create)).unwrap());
    let bin = assert_cmd::cargo::cargo_bin("mizan");
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(&bin)
                .env_remove("MIZAN_TM")
                .arg("--tm")
                .arg(&db.url)
                .arg("import")
                .arg(&tsv)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let distinct: std::collections::HashSet<&str> = ntrex_tsv().leak().lines().collect();
    assert_eq!(stats(&env, tm)["units"], distinct.len() as u64);
    let dups: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM (SELECT source, target FROM unit GROUP BY 1, 2 HAVING count(*) > 1) d",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(dups, 0);
}

/// Two processes creating the schema of a new database at once: one creates it, both work.
#[test]
fn concurrent_first_opens_create_the_schema_once() {
    let Some(db) = PgDb::new("PostgreSQL store: concurrent schema creation") else {
        return;
    };
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let url = db.url.clone();
            std::thread::spawn(move || {
                let mut s = open(&url, &StoreOptions::new(OpenMode::Create)).unwrap();
                s.add(
                    &NewUnit::new("ar", "en", &format!("نص {i}"), &format!("text {i}"), Origin::Human).unwrap(),
                    DuplicatePolicy::KeepBoth,
                )
                .unwrap();
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let s = open(&db.url, &StoreOptions::new(OpenMode::ReadOnly)).unwrap();
    assert_eq!(s.stats().unwrap().units, 4);
    assert_eq!(s.stats().unwrap().schema_version, mizan::pg::SCHEMA_VERSION);
    let versions: i64 = db
        .client()
        .query_one("SELECT count(*) FROM mizan_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        versions,
        i64::from(mizan::pg::SCHEMA_VERSION),
        "each version applied once"
    );
}

/// What one store writes, another store (another connection, its own in-memory index) finds at
/// its next query: adds, edits, deletes.
#[test]
fn a_write_by_one_process_is_found_by_the_next_query_of_another() {
    let Some(db) = PgDb::new("PostgreSQL store: writes seen by other processes") else {
        return;
    };
    let mut writer = open(&db.url, &StoreOptions::new(OpenMode::Create)).unwrap();
    let mut reader = open(&db.url, &StoreOptions::new(OpenMode::ReadOnly)).unwrap();
    reader.prepare_for_queries().unwrap();
    // Opened to read: it cannot write.
    let refused = reader.add(
        &NewUnit::new("ar", "en", "نص", "text", Origin::Human).unwrap(),
        DuplicatePolicy::KeepBoth,
    );
    assert!(refused.unwrap_err().to_string().contains("read-only"));
    let q = "وصل الوفد إلى القاهرة";
    let opts = MatchOptions::default();
    assert!(reader.suggest(q, &opts).unwrap().is_empty());
    let id = writer
        .add(
            &NewUnit::new("ar", "en", q, "The delegation arrived in Cairo", Origin::Human).unwrap(),
            DuplicatePolicy::KeepBoth,
        )
        .unwrap()
        .id();
    let found = reader.suggest(q, &opts).unwrap();
    assert_eq!(found.iter().map(|s| s.unit.id).collect::<Vec<_>>(), [id]);
    writer
        .edit_target(id, "The delegation reached Cairo", Some("lina"))
        .unwrap();
    assert_eq!(
        reader.suggest(q, &opts).unwrap()[0].suggestion,
        "The delegation reached Cairo"
    );
    assert_eq!(reader.concordance("الوفد", false, 10).unwrap().len(), 1);
    writer.delete(&[id]).unwrap();
    assert!(reader.suggest(q, &opts).unwrap().is_empty());
    assert!(reader.concordance("الوفد", false, 10).unwrap().is_empty());
    // An uncommitted write is not seen; its commit is.
    let mut w = writer.writer(DuplicatePolicy::KeepBoth).unwrap();
    w.add(&NewUnit::new("ar", "en", q, "Arrived", Origin::Human).unwrap())
        .unwrap();
    assert!(reader.suggest(q, &opts).unwrap().is_empty());
    w.commit().unwrap();
    assert_eq!(reader.suggest(q, &opts).unwrap().len(), 1);
    // A store allowed to trust its index for an hour misses another store's write until then,
    // but finds its own at once.
    let mut lazy = open(
        &db.url,
        &StoreOptions::new(OpenMode::Existing).catch_up_interval(std::time::Duration::from_secs(3600)),
    )
    .unwrap();
    assert_eq!(lazy.suggest(q, &opts).unwrap().len(), 1);
    writer
        .add(
            &NewUnit::new("ar", "en", q, "Came to Cairo", Origin::Human).unwrap(),
            DuplicatePolicy::KeepBoth,
        )
        .unwrap();
    assert_eq!(lazy.suggest(q, &opts).unwrap().len(), 1, "within its interval");
    lazy.add(
        &NewUnit::new("ar", "en", q, "Reached Cairo", Origin::Human).unwrap(),
        DuplicatePolicy::KeepBoth,
    )
    .unwrap();
    assert_eq!(
        lazy.suggest(q, &opts).unwrap().len(),
        3,
        "its own write, and the log with it"
    );
    assert_eq!(reader.suggest(q, &opts).unwrap().len(), 3);
}

/// Indexed = exhaustive on PostgreSQL, and both equal the TM file's answers for the same units.
#[test]
fn the_index_is_lossless_on_postgres_for_real_news() {
    let Some(db) = PgDb::new("PostgreSQL store: lossless index on real news") else {
        return;
    };
    let env = Env::new();
    let tsv = env.write("ntrex.tsv", ntrex_tsv());
    for tm in [env.tm().as_path(), Path::new(&db.url)] {
        run_ok(env.mizan_at(tm).arg("import").arg(&tsv));
    }
    let ar = std::fs::read_to_string(repo().join("tests/data/fuzzy/ntrex.ar.txt")).unwrap();
    let mut queries = Vec::new();
    for (i, line) in ar.lines().enumerate().step_by(11) {
        let words: Vec<&str> = line.split_whitespace().collect();
        queries.push(match i % 3 {
            0 => words[..words.len().saturating_sub(1).max(1)].join(" "),
            1 => format!("و{line}"),
            _ => line.replace('1', "7"),
        });
    }
    let stdin = queries.join("\n") + "\n";
    for min in ["50", "75", "90"] {
        let ask = |tm: &Path, exhaustive: bool| {
            let mut c = env.mizan_at(tm);
            c.args(["match", "--json", "--min", min, "--top", "5"]);
            if exhaustive {
                c.arg("--exhaustive");
            }
            json_lines(c.write_stdin(stdin.clone()).output().unwrap())
        };
        let pg = ask(Path::new(&db.url), false);
        assert_eq!(pg.len(), queries.len());
        assert_eq!(pg, ask(Path::new(&db.url), true), "min {min}: indexed vs exhaustive");
        assert_eq!(pg, ask(&env.tm(), false), "min {min}: PostgreSQL vs file");
    }
}

/// One random TM change: add a unit (from a small vocabulary, so that units share words), or
/// delete one.
#[derive(Debug, Clone)]
enum Change {
    Add(Vec<usize>, usize),
    Delete(usize),
}

const WORDS: [&str; 12] = [
    "وصل",
    "الوفد",
    "إلى",
    "القاهرة",
    "والرئيس",
    "قال",
    "إن",
    "الزيارة",
    "ناجحة",
    "عام",
    "2024",
    "بيونغ",
];

fn sentence(words: &[usize]) -> String {
    words
        .iter()
        .map(|&w| WORDS[w % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn changes() -> impl Strategy<Value = Vec<Change>> {
    prop::collection::vec(
        prop_oneof![
            4 => (prop::collection::vec(0usize..12, 1..8), 0usize..3).prop_map(|(w, t)| Change::Add(w, t)),
            1 => (0usize..40).prop_map(Change::Delete),
        ],
        1..30,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Random adds and deletes through one store, queries through another that keeps its
    /// in-memory index current from the change log: indexed = exhaustive, and equal to a TM file
    /// given the same changes.
    #[test]
    fn the_index_is_lossless_on_postgres_under_random_changes(
        steps in changes(),
        queries in prop::collection::vec(prop::collection::vec(0usize..12, 1..8), 1..5),
    ) {
        let Some(db) = PgDb::new("PostgreSQL store: lossless index under random changes") else { return Ok(()) };
        let mut pg = open(&db.url, &StoreOptions::new(OpenMode::Create)).unwrap();
        let reader = open(&db.url, &StoreOptions::new(OpenMode::ReadOnly)).unwrap();
        let mut file = mizan::tm::Tm::open_in_memory().unwrap();
        // PostgreSQL ids never come back after a delete; a file's may. Both grow with each new
        // unit, so ranking ties fall the same way; suggestions are compared with ids mapped.
        let mut ids: Vec<(i64, i64)> = Vec::new();
        let mut to_file = std::collections::HashMap::new();
        for (n, step) in steps.iter().enumerate() {
            match step {
                Change::Add(words, t) => {
                    let mut u = NewUnit::new("ar", "en", &sentence(words), &format!("t{t}"), Origin::Human).unwrap();
                    // Distinct dates: the ranking prefers the newest among equals.
                    u.created_at = Some(format!("2024-01-01T00:{:02}:{:02}Z", n / 60, n % 60));
                    let a = pg.add(&u, DuplicatePolicy::KeepBoth).unwrap();
                    let b = Store::add(&mut file, &u, DuplicatePolicy::KeepBoth).unwrap();
                    prop_assert_eq!(std::mem::discriminant(&a), std::mem::discriminant(&b));
                    to_file.insert(a.id(), b.id());
                    if matches!(a, mizan::tm::AddOutcome::Added(_)) {
                        ids.push((a.id(), b.id()));
                    }
                }
                Change::Delete(k) if !ids.is_empty() => {
                    let (a, b) = ids.remove(k % ids.len());
                    prop_assert!(pg.delete(&[a]).unwrap().is_empty());
                    prop_assert!(Store::delete(&mut file, &[b]).unwrap().is_empty());
                }
                Change::Delete(_) => {}
            }
            // Query between changes too: the reader catches up step by step.
            if n % 5 == 0 {
                reader.suggest(&sentence(&queries[0]), &MatchOptions::default()).unwrap();
            }
        }
        for q in &queries {
            let q = sentence(q);
            for min in [50.0, 75.0, 90.0] {
                let opts = MatchOptions { min, top: 5, ..MatchOptions::default() };
                let exhaustive = MatchOptions { exhaustive: true, ..opts.clone() };
                let indexed = reader.suggest(&q, &opts).unwrap();
                prop_assert_eq!(&indexed, &reader.suggest(&q, &exhaustive).unwrap());
                let mapped: Vec<_> = indexed
                    .into_iter()
                    .map(|mut s| {
                        s.unit.id = to_file[&s.unit.id];
                        s
                    })
                    .collect();
                prop_assert_eq!(&mapped, &Store::suggest(&file, &q, &opts).unwrap());
            }
        }
    }
}

/// A TM file → PostgreSQL → a new TM file: the same units, properties, statuses and dates, the
/// same export; a non-empty destination is refused without --append.
#[test]
fn copy_round_trips_a_tm_through_postgres() {
    let Some(db) = PgDb::new("PostgreSQL store: mizan copy") else {
        return;
    };
    let env = Env::new();
    let tmx = repo().join("tests/data/tmx");
    let a = env.tm();
    for f in [
        "header-items.tmx",
        "tuv-notes.tmx",
        "inline-tags.tmx",
        "tico19.en-ar.tmx",
    ] {
        run_ok(env.mizan_at(&a).arg("import").arg(tmx.join(f)));
    }
    run_ok(env.mizan_at(&a).args(["import", "-"]).write_stdin(ntrex_tsv()));
    run_ok(
        env.mizan_at(&a)
            .args(["edit", "5", "--target", "Checked by lina", "--author", "lina"]),
    );
    run_ok(
        env.mizan_at(&a)
            .args(["terms", "import"])
            .arg(repo().join("tests/data/terms/news-glossary.tsv")),
    );
    run_ok(env.mizan_at(&a).args(["terms", "add", "قرش", "shark", "--unreviewed"]));
    let pg = Path::new(&db.url);
    let out = run_ok(
        env.mizan()
            .args(["copy", "--json", "--from"])
            .arg(&a)
            .arg("--to")
            .arg(pg),
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["units"], report["added"]);
    let b = env.path("back.db");
    run_ok(env.mizan().arg("copy").arg("--from").arg(pg).arg("--to").arg(&b));
    assert_eq!(stats(&env, &a), stats(&env, pg));
    assert_eq!(stats(&env, &a), stats(&env, &b));
    let export = export_body(&env, &a);
    assert!(export.contains("x-mizan-status"), "the export carries statuses");
    assert_eq!(export, export_body(&env, pg));
    assert_eq!(export, export_body(&env, &b));
    // The glossary travels too: every entry as it was, less the ids and change dates.
    let glossary = |tm: &Path| -> Vec<serde_json::Value> {
        run_ok(env.mizan_at(tm).args(["terms", "list", "--json"]))
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                let o = v.as_object_mut().unwrap();
                o.remove("id");
                o.remove("changed_at");
                v
            })
            .collect()
    };
    let terms = glossary(&a);
    assert!(terms.len() > 10 && terms.iter().any(|t| t["status"] == "unreviewed"));
    assert_eq!(report["terms_added"], terms.len());
    assert_eq!(glossary(pg), terms);
    assert_eq!(glossary(&b), terms);
    // Refused into a TM with units, file or database; nothing changed.
    for to in [pg, b.as_path()] {
        env.mizan()
            .arg("copy")
            .arg("--from")
            .arg(&a)
            .arg("--to")
            .arg(to)
            .assert()
            .code(1)
            .stderr(predicates::str::contains("already holds"));
        assert_eq!(stats(&env, to), stats(&env, &a));
    }
    // --append adds nothing already there.
    let out = run_ok(
        env.mizan()
            .args(["copy", "--json", "--append", "--from"])
            .arg(&a)
            .arg("--to")
            .arg(pg),
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["added"], 0);
    // Never into a file that is not a TM.
    let other = env.write("notes.txt", "my notes");
    env.mizan()
        .arg("copy")
        .arg("--from")
        .arg(&a)
        .arg("--to")
        .arg(&other)
        .assert()
        .code(1);
    assert_eq!(std::fs::read(&other).unwrap(), b"my notes");
}

/// Migrations: a database of a newer mizan and one holding another application's `unit` table
/// are refused untouched; a command that only reads does not create a schema.
#[test]
fn schema_versions_are_checked() {
    let Some(db) = PgDb::new("PostgreSQL store: schema versions") else {
        return;
    };
    let env = Env::new();
    let tm = Path::new(&db.url);
    env.mizan_at(tm)
        .arg("stats")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no translation memory"));
    let mut c = db.client();
    c.batch_execute("CREATE TABLE unit (id int)").unwrap();
    env.mizan_at(tm)
        .args(["add", "--source", "أ", "--target", "a"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no mizan schema"));
    c.batch_execute("DROP TABLE unit").unwrap();
    run_ok(env.mizan_at(tm).args(["add", "--source", "أ", "--target", "a"]));
    c.batch_execute("INSERT INTO mizan_schema VALUES (99, 'later')")
        .unwrap();
    env.mizan_at(tm)
        .arg("stats")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("newer than this mizan"));
}

/// Connection errors name the host and the database and never the password; exit status 1.
#[test]
fn connection_errors_name_host_and_database_but_never_the_password() {
    let env = Env::new();
    // Nothing listens on port 1.
    let url = "postgres://lina:Sup3rS3cret@127.0.0.1:1/team_tm";
    for args in [vec!["stats"], vec!["match", "زيارة"], vec!["import", "-"]] {
        let out = env
            .mizan_at(Path::new(url))
            .args(&args)
            .write_stdin("أ\ta\n")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("127.0.0.1:1") && err.contains("team_tm"), "{err}");
        assert!(!err.contains("Sup3rS3cret"), "{err}");
    }
    let out = env
        .mizan()
        .args(["copy", "--from", url, "--to", "x.db"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("Sup3rS3cret") && err.contains("team_tm"), "{err}");
    assert!(!env.path("x.db").exists() || stats(&env, &env.path("x.db"))["units"] == 0);
    // A real server, a database that does not exist, the password in the query string.
    let Some(db) = PgDb::new("PostgreSQL store: connection errors") else {
        return;
    };
    let missing = crate::common::with_database(&db.url, "no_such_db");
    let missing = format!(
        "{missing}{}password=Sup3rS3cret",
        if missing.contains('?') { "&" } else { "?" }
    );
    let out = env.mizan_at(Path::new(&missing)).arg("stats").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no_such_db") && !err.contains("Sup3rS3cret"), "{err}");
}

/// A first import into an empty database goes by `COPY` in batches (the bulk load); past one
/// batch, with units repeated inside the file (the same unit again, later confirmed by a person,
/// the same source with another target) and properties, it stores exactly what a TM file stores,
/// under the same ids, and the next unit added gets the id it gets in the file.
#[test]
fn a_bulk_load_past_one_copy_batch_stores_what_a_file_stores() {
    let Some(db) = PgDb::new("PostgreSQL store: bulk load") else {
        return;
    };
    let env = Env::new();
    let pairs: Vec<(String, String)> = ntrex_tsv()
        .lines()
        .map(|l| {
            let (a, e) = l.split_once('\t').unwrap();
            let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            (esc(a), esc(e))
        })
        .collect();
    let mut tmx = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"ar\" datatype=\"plaintext\"/><body>\n",
    );
    let tu = |tmx: &mut String, i: usize, source: &str, target: &str, extra: &str| {
        tmx.push_str(&format!(
            "<tu tuid=\"t{i}\" creationdate=\"20240101T000000Z\">{extra}<tuv xml:lang=\"ar\"><seg>{source}</seg></tuv><tuv xml:lang=\"en\"><seg>{target}</seg></tuv></tu>\n"
        ));
    };
    let n = 20_000 + 700;
    for i in 0..n {
        let (a, e) = &pairs[i % pairs.len()];
        let source = format!("{a} ({i})");
        let props = if i % 7 == 0 {
            format!(
                "<prop type=\"x-domain\">news {}</prop><prop type=\"x-batch\">{}</prop>",
                i % 3,
                i / 1000
            )
        } else {
            String::new()
        };
        tu(&mut tmx, i, &source, e, &props);
        if i % 997 == 0 {
            // The same unit again, then confirmed by a person, then another translation.
            tu(&mut tmx, i, &source, e, "");
            tu(&mut tmx, i, &source, e, "<prop type=\"x-mizan-status\">reviewed</prop>");
            tu(&mut tmx, i, &source, &format!("{e} (revised)"), "");
        }
    }
    tmx.push_str("</body></tmx>\n");
    let file = env.write("bulk.tmx", &tmx);
    let pg = Path::new(&db.url);
    let tm = env.tm();
    let reports: Vec<String> = [tm.as_path(), pg]
        .iter()
        .map(|t| run_ok(env.mizan_at(t).arg("import").arg(&file)).replace(&t.display().to_string(), "TM"))
        .collect();
    assert_eq!(reports[0], reports[1]);
    assert_eq!(stats(&env, &tm), stats(&env, pg));
    assert_eq!(stats(&env, pg)["units"], serde_json::json!(n + n.div_ceil(997)));
    assert_eq!(export_body(&env, &tm), export_body(&env, pg));
    let added: Vec<String> = [tm.as_path(), pg]
        .iter()
        .map(|t| {
            run_ok(
                env.mizan_at(t)
                    .args(["add", "--source", "وحدة جديدة بعد التحميل", "--target", "A new unit"]),
            )
        })
        .collect();
    assert_eq!(added[0], added[1]);
}

/// The change log is pruned by the writers to what they keep, and a process whose index is
/// further behind than the pruned entries fills it again: it still finds every write and no
/// deleted unit.
#[test]
fn a_pruned_change_log_keeps_every_index_current() {
    let Some(db) = PgDb::new("PostgreSQL store: change log pruning") else {
        return;
    };
    use mizan::pg::{PgOpenOptions, PgTm};
    let small = PgOpenOptions {
        change_log_keep: 10,
        ..PgOpenOptions::default()
    };
    let mut writer = PgTm::open(&db.url, &small).unwrap();
    let reader = PgTm::open(&db.url, &PgOpenOptions::default()).unwrap();
    let opts = MatchOptions::default();
    let pairs: Vec<(String, String)> = ntrex_tsv()
        .lines()
        .take(40)
        .map(|l| {
            let (a, e) = l.split_once('\t').unwrap();
            (a.to_string(), e.to_string())
        })
        .collect();
    let add = |w: &mut PgTm, (a, e): &(String, String)| {
        let mut tx = w.writer(DuplicatePolicy::KeepBoth).unwrap();
        let id = tx
            .add(&NewUnit::new("ar", "en", a, e, Origin::Human).unwrap())
            .unwrap()
            .id();
        tx.commit().unwrap();
        id
    };
    let first = add(&mut writer, &pairs[0]);
    assert_eq!(reader.suggest(&pairs[0].0, &opts).unwrap()[0].unit.id, first);
    // Past the kept entries while the reader looks away; one of them deleted again.
    let ids: Vec<i64> = pairs[1..].iter().map(|p| add(&mut writer, p)).collect();
    writer.delete(&[ids[5]]).unwrap();
    let log = |what: &str| -> i64 {
        let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
        c.query_one(what, &[]).unwrap().get(0)
    };
    let entries = log("SELECT count(*) FROM unit_change");
    assert!((1..=20).contains(&entries), "{entries} entries kept");
    assert!(
        log("SELECT min(seq) FROM unit_change") > 2,
        "the reader's entries are gone"
    );
    for (p, id) in pairs[1..].iter().zip(&ids) {
        let found: Vec<i64> = reader.suggest(&p.0, &opts).unwrap().iter().map(|s| s.unit.id).collect();
        if *id == ids[5] {
            assert!(!found.contains(id), "a deleted unit is gone from the index");
        } else {
            assert_eq!(found.first(), Some(id), "{}", p.0);
        }
    }
}

/// A one-shot command keeps its in-memory index in a cache file between runs: the next run
/// catches up with the changes made meanwhile by other processes (added, edited, deleted
/// units), and a cache of another database, or one behind the pruned change log, is filled again
/// rather than trusted.
#[test]
fn the_mirror_cache_catches_up_between_runs_and_is_never_trusted_blindly() {
    let Some(db) = PgDb::new("PostgreSQL store: mirror cache") else {
        return;
    };
    let env = Env::new();
    let pg = Path::new(&db.url);
    let cache = env.path("cache");
    let first: Vec<(String, String)> = ntrex_tsv()
        .lines()
        .take(30)
        .map(|l| {
            let (a, e) = l.split_once('\t').unwrap();
            (a.to_string(), e.to_string())
        })
        .collect();
    let tsv: String = first[..20].iter().map(|(a, e)| format!("{a}\t{e}\n")).collect();
    run_ok(
        env.mizan_at(pg)
            .args(["import", "-", "--format", "tsv"])
            .write_stdin(tsv),
    );
    let best = |q: &str| -> Option<String> {
        let out = run_ok(env.mizan_at(pg).args(["match", "--json", "--min", "90", q]));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["matches"][0]["target"].as_str().map(str::to_string)
    };
    assert_eq!(best(&first[3].0).as_deref(), Some(first[3].1.as_str()));
    let files: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        files.iter().any(|f| f.to_string_lossy().ends_with(".db")),
        "a cache file was kept: {files:?}"
    );
    // The next run reuses the cache rather than reading every unit again: a row removed behind
    // mizan's back (no change-log entry) is still in it, until `mizan reindex` fills it again.
    let mut raw = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    raw.execute("DELETE FROM unit WHERE source = $1", &[&first[6].0])
        .unwrap();
    assert_eq!(best(&first[6].0).as_deref(), Some(first[6].1.as_str()));
    run_ok(env.mizan_at(pg).arg("reindex"));
    assert_eq!(best(&first[6].0), None);
    // Another process (no cache) changes the TM between two runs.
    let mut other = open(&db.url, &StoreOptions::new(OpenMode::Create)).unwrap();
    let added = other
        .add(
            &NewUnit::new("ar", "en", &first[25].0, &first[25].1, Origin::Human).unwrap(),
            DuplicatePolicy::KeepBoth,
        )
        .unwrap()
        .id();
    let id_of = |store: &dyn Store, source: &str| -> i64 {
        let mut id = 0;
        store
            .visit_units(&mizan::tm::UnitFilter::default(), &mut |u| {
                if u.source == source {
                    id = u.id;
                }
                id == 0
            })
            .unwrap();
        id
    };
    let edited = id_of(&*other, &first[4].0);
    other.edit_target(edited, "Edited meanwhile", None).unwrap();
    let gone = id_of(&*other, &first[5].0);
    other.delete(&[gone]).unwrap();
    assert!(added > 0);
    assert_eq!(best(&first[25].0).as_deref(), Some(first[25].1.as_str()));
    assert_eq!(best(&first[4].0).as_deref(), Some("Edited meanwhile"));
    assert_eq!(best(&first[5].0), None);
    // A cache that claims more than the database holds (another database's, or a restored
    // one's) is filled again, not trusted.
    for f in std::fs::read_dir(&cache).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "db") {
            let c = rusqlite::Connection::open(&p).unwrap();
            c.execute("UPDATE meta SET value = '999999' WHERE key = 'mirror_seen'", [])
                .unwrap();
            c.execute("DELETE FROM unit", []).unwrap();
        }
    }
    assert_eq!(best(&first[3].0).as_deref(), Some(first[3].1.as_str()));
    // Without a cache folder the answers are the same.
    let out = run_ok(
        env.mizan_at(pg)
            .env("MIZAN_CACHE_DIR", "")
            .args(["match", "--json", "--min", "90", &first[4].0]),
    );
    assert!(out.contains("Edited meanwhile"));
}

/// TLS with libpq's `sslmode` meanings, against the test server's TLS: its certificate is issued
/// for 127.0.0.1 (not for `localhost`) by a CA of its own, whose certificate is at
/// `MIZAN_TEST_PG_ROOTCERT` (`scripts/pg-test-server.sh` makes both).
#[test]
fn tls_is_used_as_the_url_asks_and_the_certificate_checked_when_it_says_so() {
    use mizan::pg::{PgOpenOptions, PgTm};
    let Some(db) = PgDb::new("TLS to PostgreSQL") else {
        return;
    };
    let Some(ca) = std::env::var("MIZAN_TEST_PG_ROOTCERT").ok().filter(|v| !v.is_empty()) else {
        crate::common::skip_without_env(
            "MIZAN_TEST_PG_ROOTCERT",
            "TLS to PostgreSQL",
            "the CA certificate of the test server's TLS; scripts/pg-test-server.sh makes it and .ci/run sets it",
        );
        return;
    };
    let opts = PgOpenOptions {
        create: true,
        ..PgOpenOptions::default()
    };
    let with = |url: &str, params: &str| format!("{url}{}{params}", if url.contains('?') { '&' } else { '?' });
    let encrypted = |url: &str| PgTm::open(url, &opts).map(|tm| tm.is_encrypted().expect("ask the server"));
    assert!(!encrypted(&with(&db.url, "sslmode=disable")).unwrap());
    // `prefer`, the default: the server offers TLS.
    assert!(encrypted(&db.url).unwrap());
    assert!(encrypted(&with(&db.url, "sslmode=require")).unwrap());
    let full = format!("sslmode=verify-full&sslrootcert={ca}");
    assert!(encrypted(&with(&db.url, &full)).unwrap());
    // Another host name for the same server: `verify-full` refuses a certificate issued for
    // 127.0.0.1, `verify-ca` only checks who signed it.
    let by_name = db.url.replace("127.0.0.1", "localhost");
    let err = encrypted(&with(&by_name, &full)).expect_err("the name is not the certificate's");
    assert!(err.to_string().contains("cannot connect"), "{err}");
    assert!(encrypted(&with(&by_name, &format!("sslmode=verify-ca&sslrootcert={ca}"))).unwrap());
    // A CA that did not sign the server's certificate: refused, naming host and database, by the
    // binary too (exit 1).
    let other = repo().join("tests/data/pg/other-ca.pem");
    let wrong = with(&db.url, &format!("sslmode=verify-full&sslrootcert={}", other.display()));
    let err = encrypted(&wrong).expect_err("a CA of nobody's").to_string();
    assert!(
        err.contains("cannot connect to the PostgreSQL database") && err.contains("127.0.0.1"),
        "{err}"
    );
    let env = Env::new();
    let out = env.mizan_at(Path::new(&wrong)).arg("stats").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("certificate"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
