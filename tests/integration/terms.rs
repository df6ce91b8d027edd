//! `mizan terms` and term hits: TSV, CSV and TBX (2008 and v3) in and out, TBX export valid
//! against its schema, a failed import storing nothing, recognition on real news sentences, and
//! the same glossary on PostgreSQL.
use std::path::Path;

use crate::common::{assert_valid_tbx, json_lines, repo, Env};

fn data(name: &str) -> std::path::PathBuf {
    repo().join("tests/data/terms").join(name)
}

fn ok(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The glossary as `terms list --json` gives it, without what differs between two stores (ids,
/// dates, the file it came from).
fn listing(env: &Env, tm: &Path) -> Vec<serde_json::Value> {
    json_lines(env.mizan_at(tm).args(["terms", "list", "--json"]).output().unwrap())
        .into_iter()
        .map(|mut v| {
            let o = v.as_object_mut().unwrap();
            for k in ["id", "created_at", "changed_at", "document"] {
                o.remove(k);
            }
            v
        })
        .collect()
}

#[test]
fn terms_tsv_import_round_trips_through_tsv_and_tbx() {
    let env = Env::new();
    ok(env.mizan().args(["terms", "import"]).arg(data("news-glossary.tsv")));
    let first = listing(&env, &env.tm());
    assert_eq!(first.len(), 13);
    let un = first.iter().find(|t| t["source"] == "الأمم المتحدة").unwrap();
    assert_eq!(un["targets"][1]["text"], "UN");
    assert_eq!(un["forbidden"][0]["text"], "United Nation");
    assert_eq!(un["pos"], "properNoun");

    // TSV out and in again: the same glossary.
    let tsv = env.path("out.tsv");
    ok(env.mizan().args(["terms", "export", "--out"]).arg(&tsv));
    let other = env.path("other.db");
    ok(env.mizan_at(&other).args(["terms", "import"]).arg(&tsv));
    assert_eq!(listing(&env, &other), first);

    // TBX out: valid, and in again the same glossary.
    let tbx = env.path("out.tbx");
    ok(env
        .mizan()
        .args(["terms", "export", "--format", "tbx", "--out"])
        .arg(&tbx));
    assert_valid_tbx(&tbx);
    let third = env.path("third.db");
    ok(env.mizan_at(&third).args(["terms", "import"]).arg(&tbx));
    assert_eq!(listing(&env, &third), first);

    // Importing the same file again adds nothing.
    let out = ok(env
        .mizan()
        .args(["terms", "import", "--json"])
        .arg(data("news-glossary.tsv")));
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!((v["added"].as_u64(), v["duplicates"].as_u64()), (Some(0), Some(13)));
}

#[test]
fn terms_csv_import_reads_its_header() {
    let env = Env::new();
    let csv = env.write(
        "g.csv",
        "target,source,note,forbidden\n\"Security Council\",مجلس الأمن,\"UN organ, 15 members\",Safety Council | Council of Security\n",
    );
    ok(env.mizan().args(["terms", "import"]).arg(&csv));
    let l = listing(&env, &env.tm());
    assert_eq!(l.len(), 1);
    assert_eq!(l[0]["source"], "مجلس الأمن");
    assert_eq!(l[0]["note"], "UN organ, 15 members");
    assert_eq!(l[0]["forbidden"].as_array().unwrap().len(), 2);
}

#[test]
fn terms_tbx_2008_and_v3_import_alike() {
    let env = Env::new();
    let a = env.path("a.db");
    let b = env.path("b.db");
    let out = env
        .mizan_at(&a)
        .args(["terms", "import"])
        .arg(data("news-glossary-2008.tbx"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("news-glossary-2008.tbx:45: skipped: no term in the source language"),
        "{stderr}"
    );
    ok(env
        .mizan_at(&b)
        .args(["terms", "import"])
        .arg(data("news-glossary-v3.tbx")));
    let la = listing(&env, &a);
    assert_eq!(la, listing(&env, &b));
    assert_eq!(la.len(), 2);
    assert_eq!(la[0]["targets"][0]["text"], "Senate");
    assert_eq!(la[0]["forbidden"][0]["text"], "Senat");
    assert_eq!(
        la[1]["targets"].as_array().unwrap().len(),
        2,
        "an admitted term is a target"
    );
    assert_eq!(la[1]["targets"][0]["lang"], "en-US");
    assert_eq!(la[1]["created_by"], "lina");
    assert_eq!(la[1]["note"], "North Korea's name in news");
}

#[test]
fn terms_failed_import_stores_nothing_and_names_the_line() {
    let env = Env::new();
    ok(env.mizan().args(["terms", "add", "كيم", "Kim"]));
    let mut broken = std::fs::read_to_string(data("news-glossary-v3.tbx")).unwrap();
    broken = broken.replacen(
        "</termSec>\n        </langSec>\n        <langSec xml:lang=\"en\">",
        "</termSec>\n        </langSet>\n        <langSec xml:lang=\"en\">",
        1,
    );
    let bad = env.write("bad.tbx", broken);
    let out = env.mizan().args(["terms", "import"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.tbx:14:"), "{stderr}");
    assert_eq!(
        listing(&env, &env.tm()).len(),
        1,
        "nothing of the broken file was stored"
    );
    let tsv = env.write("bad.tsv", "أمن\tsecurity\nسطر بلا علامة جدولة\n");
    let out = env.mizan().args(["terms", "import"]).arg(&tsv).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.tsv:2: no tab"));
    assert_eq!(listing(&env, &env.tm()).len(), 1);
}

#[test]
fn terms_add_list_delete() {
    let env = Env::new();
    let id = ok(env.mizan().args([
        "terms",
        "add",
        "مجلس الأمن",
        "Security Council",
        "--pos",
        "noun",
        "--forbidden",
        "Safety Council",
    ]));
    let id: i64 = id.trim().parse().unwrap();
    let again = ok(env.mizan().args([
        "terms",
        "add",
        "مجلس الأمن",
        "Security Council",
        "--pos",
        "noun",
        "--forbidden",
        "Safety Council",
    ]));
    assert_eq!(again.trim(), id.to_string(), "the same entry is stored once");
    let human = ok(env.mizan().args(["terms", "list"]));
    assert!(
        human.contains("مجلس الأمن  → Security Council  (not: Safety Council)  [noun]"),
        "{human}"
    );
    let out = env
        .mizan()
        .args(["terms", "delete", &id.to_string(), "999"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no term with id 999"));
    assert!(listing(&env, &env.tm()).is_empty());
    let out = env.mizan().args(["terms", "add", "مجلس الأمن", " "]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "an empty target is a usage error");
}

/// The hand-marked occurrences of `ntrex-hits.tsv`: (sentence index, forms in text order).
fn marked() -> Vec<(usize, Vec<String>)> {
    std::fs::read_to_string(data("ntrex-hits.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            let n: usize = f.next().unwrap().parse().unwrap();
            (n - 1, f.map(str::to_string).collect())
        })
        .collect()
}

/// The term hits `mizan match --json` gives for each sentence of `ntrex.ar.txt`.
fn hits_of(env: &Env, tm: &Path) -> Vec<Vec<serde_json::Value>> {
    let sentences = std::fs::read_to_string(data("ntrex.ar.txt")).unwrap();
    json_lines(
        env.mizan_at(tm)
            .args(["match", "--json"])
            .write_stdin(sentences)
            .output()
            .unwrap(),
    )
    .into_iter()
    .map(|v| v["terms"].as_array().unwrap().clone())
    .collect()
}

#[test]
fn terms_are_found_in_news_sentences_with_clitics() {
    let env = Env::new();
    ok(env.mizan().args(["terms", "import"]).arg(data("news-glossary.tsv")));
    let sentences: Vec<String> = std::fs::read_to_string(data("ntrex.ar.txt"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let hits = hits_of(&env, &env.tm());
    assert_eq!(hits.len(), sentences.len());
    for (i, want) in marked() {
        let got: Vec<&str> = hits[i].iter().map(|h| h["text"].as_str().unwrap()).collect();
        assert_eq!(got, want, "sentence {}: {}", i + 1, sentences[i]);
        for h in &hits[i] {
            let (s, e) = (
                h["start"].as_u64().unwrap() as usize,
                h["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&sentences[i][s..e], h["text"], "byte offsets");
        }
    }
    // The hit carries the glossary's entry: `لكوريا الشمالية` is `كوريا الشمالية`, North Korea.
    let h = &hits[11][1];
    assert_eq!(
        (h["source"].as_str(), h["targets"][0].as_str()),
        (Some("كوريا الشمالية"), Some("North Korea"))
    );
    assert_eq!(h["forbidden"][0], "North Corea");
    // Human output: one `term` line per hit.
    let human = ok(env.mizan().arg("match").arg(&sentences[3]));
    assert!(
        human.contains("term   #6  بالولايات المتحدة = الولايات المتحدة → United States | U.S."),
        "{human}"
    );
}

#[test]
fn terms_on_a_tm_at_an_older_schema_open_after_migration() {
    // A TM written before the glossary existed gets its tables on the next open.
    let env = Env::new();
    env.import_stdin("زيارة نادرة\tA rare visit\n");
    {
        let c = rusqlite::Connection::open(env.tm()).unwrap();
        c.execute_batch("DROP TABLE term_target; DROP TABLE term; PRAGMA user_version = 6;")
            .unwrap();
    }
    let out = ok(env.mizan().args(["match", "--json", "زيارة نادرة"]));
    assert!(out.contains("\"terms\":[]"), "{out}");
    ok(env.mizan().args(["terms", "add", "زيارة", "visit"]));
    let out = ok(env.mizan().args(["match", "--json", "زيارة نادرة"]));
    assert!(out.contains("\"targets\":[\"visit\"]"), "{out}");
}

#[cfg(feature = "postgres")]
#[test]
fn terms_on_postgres_behave_as_on_a_file() {
    let Some(db) = crate::common::PgDb::new("the glossary on PostgreSQL") else {
        return;
    };
    let env = Env::new();
    let pg = std::path::PathBuf::from(&db.url);
    for tm in [env.tm(), pg.clone()] {
        ok(env
            .mizan_at(&tm)
            .args(["terms", "import"])
            .arg(data("news-glossary.tsv")));
        ok(env
            .mizan_at(&tm)
            .args(["terms", "import"])
            .arg(data("news-glossary-v3.tbx")));
    }
    assert_eq!(listing(&env, &pg), listing(&env, &env.tm()));
    assert_eq!(hits_of(&env, &pg), hits_of(&env, &env.tm()));
    // A failed import stores nothing there either.
    let bad = env.write("bad.tsv", "أمن\tsecurity\nسطر بلا علامة جدولة\n");
    let before = listing(&env, &pg).len();
    assert!(!env
        .mizan_at(&pg)
        .args(["terms", "import"])
        .arg(&bad)
        .output()
        .unwrap()
        .status
        .success());
    assert_eq!(listing(&env, &pg).len(), before);
    let tbx = env.path("pg.tbx");
    ok(env.mizan_at(&pg).args(["terms", "export", "--out"]).arg(&tbx));
    assert_valid_tbx(&tbx);
    let first = json_lines(env.mizan_at(&pg).args(["terms", "list", "--json"]).output().unwrap());
    let id = first[0]["id"].as_i64().unwrap().to_string();
    ok(env.mizan_at(&pg).args(["terms", "delete", &id]));
    assert_eq!(listing(&env, &pg).len(), before - 1);
}

#[test]
fn terms_over_http_are_the_cli_terms_and_follow_the_schema() {
    use crate::serve::{assert_matches_schema, encode, Server};
    let env = Env::new();
    ok(env.mizan().args(["terms", "import"]).arg(data("news-glossary.tsv")));
    let sentences = std::fs::read_to_string(data("ntrex.ar.txt")).unwrap();
    let query = sentences.lines().nth(11).unwrap();
    let cli = json_lines(env.mizan().args(["match", "--json", query]).output().unwrap());
    let server = Server::start(&env, &env.tm(), &[]);
    let got = server.get(&format!("/api/match?q={}", encode(query)));
    assert_eq!(got.status, 200);
    let got = got.json();
    assert_eq!(got["terms"], cli[0]["terms"]);
    assert_eq!(got["terms"].as_array().unwrap().len(), 5);
    if crate::common::python_has("jsonschema") {
        assert_matches_schema(&env, "match", &got);
    } else {
        crate::common::skip_without(
            "python3 with jsonschema",
            "checking term hits against schemas/api/match",
        );
    }
    // A term added by another process is found at the next query.
    ok(env.mizan().args(["terms", "add", "الإشادة", "praise"]));
    let again = server.get(&format!("/api/match?q={}", encode(query))).json();
    assert_eq!(again["terms"].as_array().unwrap().len(), 6, "{again}");
}

/// `pretranslate` names the glossary's terms of each segment (TSV column `terms`, TMX property
/// `x-mizan-terms`), found through clitics; the filled-in file imports back without them.
#[test]
fn terms_in_pretranslate_files_inform_and_are_not_stored() {
    let env = Env::new();
    ok(env
        .mizan()
        .args(["terms", "add", "مجلس الأمن", "Security Council", "UN Security Council"]));
    ok(env.mizan().args(["terms", "add", "القرش", "shark"]));
    ok(env
        .mizan()
        .args(["import", "-", "--format", "tsv"])
        .write_stdin("دعا مجلس الأمن إلى وقف إطلاق النار\tThe Security Council called for a ceasefire\n"));
    let article = env.write(
        "new.ar.txt",
        "دعا مجلس الأمن إلى وقف فوري لإطلاق النار. وأشار جايلز إلى 135 فصيلة للقرش في المنطقة.",
    );
    let tsv = ok(env.mizan().arg("pretranslate").arg(&article).args(["--min", "50"]));
    let rows: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    let col = rows[0].iter().position(|c| *c == "terms").expect("a terms column");
    assert_eq!(rows[1][col], "مجلس الأمن = Security Council | UN Security Council");
    assert_eq!(rows[2][col], "القرش = shark", "found as للقرش");
    let tmx = ok(env
        .mizan()
        .arg("pretranslate")
        .arg(&article)
        .args(["--min", "50", "--format", "tmx"]));
    assert!(tmx.contains("<prop type=\"x-mizan-terms\">مجلس الأمن = Security Council | UN Security Council</prop>"));
    // The translator confirms the TMX suggestion; the terms do not become a property of a unit.
    let back = env.write("back.tmx", tmx.replace(">unreviewed</prop>", ">reviewed</prop>"));
    ok(env.mizan().arg("import").arg(&back));
    let export = ok(env.mizan().args(["export", "--out", "-"]));
    assert!(!export.contains("x-mizan-terms"), "{export}");
    let stats: serde_json::Value = serde_json::from_str(&ok(env.mizan().args(["stats", "--json"]))).unwrap();
    assert!(
        stats["statuses"]["reviewed"].as_u64().unwrap_or(0) >= 1,
        "the confirmation was read: {stats}"
    );
}

/// The glossary as `terms list --json` gives it, less what a copy renumbers or dates anew.
fn copied_listing(env: &Env, tm: &Path) -> Vec<serde_json::Value> {
    json_lines(env.mizan_at(tm).args(["terms", "list", "--json"]).output().unwrap())
        .into_iter()
        .map(|mut v| {
            let o = v.as_object_mut().unwrap();
            o.remove("id");
            o.remove("changed_at");
            v
        })
        .collect()
}

/// `mizan copy` moves the glossary with the units: every entry with its targets, forbidden
/// variants, status, provenance and creation date; `--append` stores no entry twice.
#[test]
fn copy_carries_the_glossary() {
    let env = Env::new();
    let a = env.path("a.db");
    ok(env
        .mizan_at(&a)
        .args(["terms", "import"])
        .arg(data("news-glossary.tsv")));
    ok(env.mizan_at(&a).args(["terms", "add", "قرش", "shark", "--unreviewed"]));
    ok(env
        .mizan_at(&a)
        .args(["add", "--source", "رأى قرشا", "--target", "He saw a shark"]));
    let want = copied_listing(&env, &a);
    assert!(want.len() > 10, "the glossary was imported: {want:?}");
    assert!(want.iter().any(|t| t["status"] == "unreviewed"));
    let b = env.path("b.db");
    let out = ok(env
        .mizan()
        .args(["copy", "--json", "--from"])
        .arg(&a)
        .arg("--to")
        .arg(&b));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["terms"], want.len());
    assert_eq!(report["terms_added"], want.len());
    assert_eq!(copied_listing(&env, &b), want);
    let out = ok(env
        .mizan()
        .args(["copy", "--append", "--json", "--from"])
        .arg(&a)
        .arg("--to")
        .arg(&b));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["terms_added"], 0);
    assert_eq!(copied_listing(&env, &b), want, "nothing stored twice");
}
