//! Shared helpers: a temp directory with a TM path, and the binary.
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use mizan::tm::{OpenMode, Tm, TmError, Unit, UnitFilter};

/// A temporary working directory with a TM path inside it.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn tm(&self) -> PathBuf {
        self.dir.path().join("tm.db")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `mizan --tm <tm>` run in the temp directory.
    pub fn mizan(&self) -> Command {
        self.mizan_at(&self.tm())
    }

    /// `mizan --tm <tm>` with another TM path.
    pub fn mizan_at(&self, tm: &Path) -> Command {
        let mut c = Command::cargo_bin("mizan").expect("binary");
        c.current_dir(self.dir.path())
            .env_remove("MIZAN_TM")
            // A PostgreSQL TM's mirror cache stays in the test's own folder.
            .env("MIZAN_CACHE_DIR", self.dir.path().join("cache"))
            .env("NO_COLOR", "1")
            .arg("--tm")
            .arg(tm);
        c
    }

    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write");
        p
    }

    /// Imports the seed article's hand-checked pairs (`seeds/seed-article.pairs.tsv`).
    pub fn import_seed_pairs(&self) {
        self.mizan()
            .arg("import")
            .arg(repo().join("seeds/seed-article.pairs.tsv"))
            .assert()
            .success();
    }

    /// Imports `tsv` (source TAB target lines) through `mizan import -`, which must succeed.
    pub fn import_stdin(&self, tsv: impl Into<String>) {
        self.mizan()
            .args(["import", "-"])
            .write_stdin(tsv.into())
            .assert()
            .success();
    }

    /// `mizan stats --json` parsed.
    pub fn stats(&self) -> serde_json::Value {
        let out = self.mizan().args(["stats", "--json"]).output().expect("run");
        assert!(
            out.status.success(),
            "stats failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("stats JSON")
    }
}

/// The repository root (for seeds and schemas).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Validates a TMX file against the TMX 1.4b DTD with xmllint. Without xmllint the check is
/// skipped, except on CI (`CI` set), where it fails.
pub fn assert_valid_tmx(path: &Path) {
    let dtd = repo().join("schemas").join("tmx14.dtd");
    match std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--dtdvalid")
        .arg(&dtd)
        .arg(path)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{} is not valid TMX 1.4b: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => skip_without("xmllint", "DTD validation"),
    }
}

/// Validates a TBX file against the TBX v3 core structure RNG (`schemas/tbx`) with xmllint.
/// Without xmllint the check is skipped, except on CI (`CI` set), where it fails.
pub fn assert_valid_tbx(path: &Path) {
    let rng = repo().join("schemas").join("tbx").join("TBXcoreStructV03.rng");
    match std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--relaxng")
        .arg(&rng)
        .arg(path)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{} is not valid TBX: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => skip_without("xmllint", "TBX validation"),
    }
}

/// Pastes the NTREX dev files into `source<TAB>target` lines.
pub fn ntrex_tsv() -> String {
    let ar = std::fs::read_to_string(repo().join("tests/data/fuzzy/ntrex.ar.txt")).expect("ntrex ar");
    let en = std::fs::read_to_string(repo().join("tests/data/fuzzy/ntrex.en.txt")).expect("ntrex en");
    let ar: Vec<&str> = ar.lines().collect();
    let en: Vec<&str> = en.lines().collect();
    assert_eq!(ar.len(), en.len());
    ar.iter().zip(&en).map(|(a, e)| format!("{a}\t{e}\n")).collect()
}

/// Every unit of the TM at `path`, in id order.
pub fn units(path: &Path) -> Vec<Unit> {
    let tm = Tm::open(path, OpenMode::Existing).expect("open TM");
    let mut v = Vec::new();
    tm.for_each_unit::<TmError>(&UnitFilter::default(), |u| {
        v.push(u);
        Ok(())
    })
    .expect("read TM");
    v
}

/// The JSON Lines a successful run printed (fails the test, with its stderr, if the run failed).
pub fn json_lines(out: std::process::Output) -> Vec<serde_json::Value> {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// The band `name` of one file of `mizan analyze --json`'s output (`r["files"][k]`).
pub fn analyze_band(file: &serde_json::Value, name: &str) -> serde_json::Value {
    file["bands"]
        .as_array()
        .expect("bands")
        .iter()
        .find(|b| b["band"] == name)
        .unwrap_or_else(|| panic!("no band {name}"))
        .clone()
}

/// Reports a missing outside tool. On CI (`CI` set to anything but `false`) the test fails: CI
/// installs every tool, so a missing one is a broken set-up, never a pass. Elsewhere the check is
/// skipped with a line on the real stderr (written past the test harness's capture, so a person
/// running `cargo test` sees it).
pub fn skip_without(tool: &str, what: &str) {
    let on_ci = std::env::var("CI").is_ok_and(|v| v != "false" && v != "0");
    assert!(!on_ci, "{tool} is needed on CI for {what}: .ci/run installs it");
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED {what}: {tool} is not installed (`.ci/run` installs it, as root)"
    );
}

/// Whether `program` runs (`program --version` starts).
pub fn has_tool(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}

/// Whether `python3` can import `module` (.ci/run installs the ones the tests use).
pub fn python_has(module: &str) -> bool {
    std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Reports a missing environment variable that points a test at an outside service (as
/// [`skip_without`] does for a tool): a failure on CI, a visible SKIPPED line elsewhere.
pub fn skip_without_env(var: &str, what: &str, how: &str) {
    let on_ci = std::env::var("CI").is_ok_and(|v| v != "false" && v != "0");
    assert!(!on_ci, "{var} must be set on CI for {what}: {how}");
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {what}: {var} is not set ({how})");
}

/// A PostgreSQL database of its own for one test (tests run in parallel), dropped at the end.
#[cfg(feature = "postgres")]
pub struct PgDb {
    /// The database's URL.
    pub url: String,
    admin: String,
    name: String,
}

#[cfg(feature = "postgres")]
impl PgDb {
    /// A new empty database on the server `MIZAN_TEST_PG` names (whose role may create
    /// databases); `None`, reported as skipped, without it.
    pub fn new(what: &str) -> Option<PgDb> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let Some(admin) = std::env::var("MIZAN_TEST_PG").ok().filter(|v| !v.is_empty()) else {
            skip_without_env(
                "MIZAN_TEST_PG",
                what,
                "a postgres:// URL of a role that may create databases; .ci/run starts a server and sets it",
            );
            return None;
        };
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("mizan_test_{}_{n}", std::process::id());
        let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("connect to MIZAN_TEST_PG");
        // One statement each: neither may run inside a transaction block.
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .expect("drop a leftover test database");
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        Some(PgDb {
            url: with_database(&admin, &name),
            admin,
            name,
        })
    }

    /// A client of the test database.
    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("connect to the test database")
    }
}

#[cfg(feature = "postgres")]
impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// `url` with its database name replaced by `name` (query parameters kept).
#[cfg(feature = "postgres")]
pub fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let authority = before_query.split('/').next().unwrap_or("");
    let mut out = format!("{scheme}://{authority}/{name}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}
