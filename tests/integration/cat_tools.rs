//! Proof against real tools (issue 6, TMX interoperability): OmegaT pre-translates a project from a
//! TMX that `mizan export` wrote, mizan imports the TMX files that OmegaT writes in that run, and
//! translate-toolkit reads mizan's TMX with the same units and texts.
//!
//! The tools come from `scripts/cat-tools-setup.sh` (Debian `omegat`, PyPI `translate-toolkit`).
//! Without a tool a test is skipped with a message on stderr, except on CI (`CI` set), where it
//! fails.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::common::{assert_valid_tmx, ntrex_tsv, repo, units, Env};
use mizan::tm::Unit;

/// A unit whose texts need XML escaping (`&`, `<`, `>`, quotes) and mix scripts.
const ESCAPED_SOURCE: &str = "أعلنت شركة AT&T عن نتائج \"الربع الثالث\" <مؤقتًا> بنسبة 5%";
const ESCAPED_TARGET: &str = "AT&T announced \"third-quarter\" results <provisionally> at 5%";

/// An Arabic paragraph that no unit translates: OmegaT must leave it as it is.
const NEW_PARAGRAPH: &str = "هذه فقرة جديدة لا توجد في ذاكرة الترجمة.";

/// Reports a missing tool: fails on CI, otherwise says where a person sees it that the test is skipped.
fn skip_without(tool: &str) {
    crate::common::skip_without(tool, "a CAT-tool round trip");
}

/// The executable `name` on `PATH`, if any.
pub(crate) fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// `(source language, target language, source, target)` of each unit.
fn pairs(units: &[Unit]) -> BTreeSet<(String, String, String, String)> {
    units
        .iter()
        .map(|u| {
            (
                u.source_lang.as_str().to_string(),
                u.target_lang.as_str().to_string(),
                u.source.clone(),
                u.target.clone(),
            )
        })
        .collect()
}

/// A TM with the seed article's 23 pairs and the unit that needs escaping; returns its units.
fn seed_tm(env: &Env) -> Vec<Unit> {
    let seeds = repo().join("seeds").join("seed-article.pairs.tsv");
    env.mizan()
        .arg("import")
        .arg(&seeds)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "added 23, replaced 0, skipped 0 duplicates, rejected 0",
        ));
    env.mizan()
        .args(["add", "--source", ESCAPED_SOURCE, "--target", ESCAPED_TARGET])
        .assert()
        .success();
    let stored = units(&env.tm());
    assert_eq!(stored.len(), 24);
    stored
}

/// `omegat.project` for an Arabic→English project with sentence segmentation off, so that each
/// paragraph of a plain-text file is one segment.
const OMEGAT_PROJECT: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>ar</source_lang>
        <target_lang>en</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneArabicTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"#;

/// Runs OmegaT headless on `project` (console mode, its own config folder and HOME, no display,
/// UTF-8 locale), asserts it finished without TMX warnings or exceptions, and returns its log.
/// With `save`, a script makes OmegaT write `omegat/project_save.tmx` too.
pub(crate) fn run_omegat(env: &Env, omegat: &Path, project: &Path, save: bool) -> String {
    let config = env.path("omegat-config");
    let started = Instant::now();
    let mut cmd = assert_cmd::Command::new(omegat);
    cmd.current_dir(env.dir.path())
        .env("HOME", env.dir.path())
        .env("LC_ALL", "C.UTF-8")
        .env("JAVA_TOOL_OPTIONS", "-Djava.awt.headless=true")
        .env_remove("DISPLAY")
        .arg(project)
        .arg("--mode=console-translate")
        .arg(format!("--config-dir={}", config.display()));
    if save {
        cmd.arg(format!(
            "--script={}",
            repo().join("tests/data/cat/save-project.groovy").display()
        ));
    }
    let run = cmd.timeout(Duration::from_secs(300)).output().expect("run omegat");
    eprintln!("OmegaT console-translate took {:.1} s", started.elapsed().as_secs_f64());
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "OmegaT failed: {log}");
    assert!(log.contains("Finished"), "OmegaT did not finish: {log}");
    for bad in [
        "TMXR_WARNING",
        "TMXR_RECOVERABLE",
        "TMXR_FATAL",
        "TMXR_EXCEPTION",
        "TMXR_ERROR",
        "Exception",
    ] {
        assert!(!log.contains(bad), "OmegaT reported {bad}: {log}");
    }
    log
}

/// Makes an OmegaT project folder (Arabic→English, paragraphs unsegmented) and returns its path.
pub(crate) fn omegat_project(env: &Env) -> PathBuf {
    // The path must hold no space: /usr/bin/omegat passes its arguments on unquoted.
    let project = env.path("project");
    assert!(
        !project.to_string_lossy().contains(char::is_whitespace),
        "OmegaT's launcher cannot take a project path with a space: {}",
        project.display()
    );
    for dir in ["omegat", "glossary", "dictionary", "source", "target", "tm/auto"] {
        std::fs::create_dir_all(project.join(dir)).expect("project folders");
    }
    std::fs::write(project.join("omegat.project"), OMEGAT_PROJECT).expect("omegat.project");
    project
}

/// One OmegaT run proves both directions: OmegaT applies mizan's TMX from `tm/auto` (exact
/// matches are inserted on load, no project setting needed beyond unsegmented paragraphs), and
/// mizan imports the four TMX files OmegaT writes (TMX 1.1 with `lang`, TMX 1.4 with `xml:lang`).
#[test]
fn omegat_applies_mizan_tmx_and_mizan_imports_omegat_tmx() {
    let Some(omegat) = on_path("omegat") else {
        return skip_without("OmegaT (`omegat`)");
    };
    let env = Env::new();
    let stored = seed_tm(&env);

    // The project: the TM's Arabic sources as paragraphs, plus one paragraph the TM lacks.
    let project = omegat_project(&env);
    let mut paragraphs: Vec<&str> = stored.iter().map(|u| u.source.as_str()).collect();
    paragraphs.insert(3, NEW_PARAGRAPH);
    std::fs::write(project.join("source/article.txt"), paragraphs.join("\n\n") + "\n").expect("source");

    let tmx = project.join("tm/auto/mizan.tmx");
    env.mizan()
        .args(["export", "--out"])
        .arg(&tmx)
        .assert()
        .success()
        .stderr(predicate::str::contains("exported 24 units"));
    assert_valid_tmx(&tmx);

    run_omegat(&env, &omegat, &project, true);

    // Each paragraph translated from mizan's TMX, the unknown one left in Arabic.
    let expected: Vec<&str> = paragraphs
        .iter()
        .map(|&p| stored.iter().find(|u| u.source == p).map_or(p, |u| u.target.as_str()))
        .collect();
    assert_eq!(expected.iter().filter(|&&p| p == NEW_PARAGRAPH).count(), 1);
    let target = std::fs::read_to_string(project.join("target/article.txt")).expect("OmegaT target file");
    assert_eq!(target, expected.join("\n\n") + "\n");

    // The TMX files OmegaT wrote hold exactly mizan's pairs, and mizan reads them all.
    let written = [
        ("project-omegat.tmx", "<tmx version=\"1.1\">"),
        ("project-level1.tmx", "<tmx version=\"1.1\">"),
        ("project-level2.tmx", "<tmx version=\"1.4\">"),
        ("omegat/project_save.tmx", "<tmx version=\"1.1\">"),
    ];
    for (i, (name, version)) in written.iter().enumerate() {
        let file = project.join(name);
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("OmegaT did not write {name}: {e}"));
        assert!(text.contains(version), "{name} is not {version}: {text}");
        let tm = env.path(&format!("from-omegat-{i}.db"));
        env.mizan_at(&tm)
            .arg("import")
            .arg(&file)
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "added 24, replaced 0, skipped 0 duplicates, rejected 0",
            ));
        let back = units(&tm);
        assert_eq!(pairs(&back), pairs(&stored), "{name}: other pairs than mizan exported");
        assert_eq!(back.len(), stored.len(), "{name}");
    }
}

/// translate-toolkit's TMX reader, as a script for `python3 -c`: prints a JSON list of the units
/// of the TMX file named by its argument, each with its variants' languages and texts.
const TMX_DUMP: &str = r#"
import json, sys
from translate.storage.tmx import tmxfile
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
with open(sys.argv[1], "rb") as f:
    store = tmxfile(f)
units = []
for unit in store.units:
    langs = [node.get(XML_LANG) or node.get("lang") for node in unit.getlanguageNodes()]
    units.append({"langs": langs, "source": unit.source, "target": unit.target})
json.dump(units, sys.stdout, ensure_ascii=False)
"#;

#[test]
fn translate_toolkit_reads_mizan_tmx_with_the_same_units() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import translate.storage.tmx"])
        .output();
    if !matches!(probe, Ok(ref out) if out.status.success()) {
        return skip_without("translate-toolkit (python3 -m pip install translate-toolkit)");
    }
    let env = Env::new();
    seed_tm(&env);
    let tsv = env.write("ntrex.tsv", ntrex_tsv());
    env.mizan()
        .arg("import")
        .arg(&tsv)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "added 659, replaced 0, skipped 0 duplicates, rejected 0",
        ));
    let stored = units(&env.tm());
    assert_eq!(stored.len(), 24 + 659);

    let tmx = env.path("mizan.tmx");
    env.mizan().args(["export", "--out"]).arg(&tmx).assert().success();
    let out = std::process::Command::new("python3")
        .args(["-c", TMX_DUMP])
        .arg(&tmx)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "translate-toolkit could not read mizan's TMX: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON from python");
    assert_eq!(read.len(), stored.len(), "translate-toolkit unit count");
    let seen: BTreeSet<(String, String, String, String)> = read
        .iter()
        .map(|u| {
            let lang = |i: usize| u["langs"][i].as_str().unwrap_or_default().to_string();
            assert_eq!(u["langs"].as_array().map(Vec::len), Some(2), "variants of {u}");
            let text = |k: &str| u[k].as_str().unwrap_or_default().to_string();
            (lang(0), lang(1), text("source"), text("target"))
        })
        .collect();
    assert_eq!(seen, pairs(&stored));
}

/// translate-toolkit's XLIFF reader: prints a JSON list of `{source, target, alternatives}`.
const XLIFF_DUMP: &str = r#"
import json, sys
from translate.storage.xliff import xlifffile
with open(sys.argv[1], "rb") as f:
    store = xlifffile(f)
units = [{"source": u.source, "target": u.target, "alternatives": len(u.getalttrans())} for u in store.units if u.source]
json.dump(units, sys.stdout, ensure_ascii=False)
"#;

/// `mizan pretranslate --format xliff` opens in translate-toolkit (same segments, suggestions as
/// targets, matches as alternatives) and in OmegaT, which translates it as a source file.
#[test]
fn pretranslated_xliff_opens_in_translate_toolkit_and_omegat() {
    let env = Env::new();
    let stored = seed_tm(&env);
    let article = env.write(
        "article.txt",
        format!("{}\n\n{}\n\n{}\n", stored[0].source, NEW_PARAGRAPH, stored[17].source),
    );
    let xliff = env.path("article.xlf");
    env.mizan()
        .args(["pretranslate", "--format", "xliff", "--out"])
        .arg(&xliff)
        .arg(&article)
        .assert()
        .success();

    let probe = std::process::Command::new("python3")
        .args(["-c", "import translate.storage.xliff"])
        .output();
    if matches!(probe, Ok(ref out) if out.status.success()) {
        let out = std::process::Command::new("python3")
            .args(["-c", XLIFF_DUMP])
            .arg(&xliff)
            .output()
            .expect("python3");
        assert!(
            out.status.success(),
            "translate-toolkit could not read the XLIFF: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(read.len(), 3);
        assert_eq!(read[0]["source"], stored[0].source.as_str());
        assert_eq!(read[0]["target"], stored[0].target.as_str());
        assert!(read[0]["alternatives"].as_u64() >= Some(1));
        assert_eq!(read[1]["source"], NEW_PARAGRAPH);
        assert!(read[1]["target"].as_str().unwrap_or_default().is_empty());
        assert_eq!(read[2]["target"], stored[17].target.as_str());
    } else {
        skip_without("translate-toolkit (python3 -m pip install translate-toolkit)");
    }

    let Some(omegat) = on_path("omegat") else {
        return skip_without("OmegaT (`omegat`)");
    };
    let project = omegat_project(&env);
    std::fs::copy(&xliff, project.join("source/article.xlf")).expect("copy XLIFF");
    env.mizan()
        .args(["export", "--out"])
        .arg(project.join("tm/auto/mizan.tmx"))
        .assert()
        .success();
    run_omegat(&env, &omegat, &project, false);
    let translated =
        std::fs::read_to_string(project.join("target/article.xlf")).expect("OmegaT wrote the translated XLIFF");
    let mut reader = quick_xml::Reader::from_str(&translated);
    while !matches!(
        reader.read_event().expect("OmegaT's XLIFF is well-formed"),
        quick_xml::events::Event::Eof
    ) {}
    assert!(translated.contains(stored[0].target.as_str()), "{translated}");
    assert!(translated.contains(stored[17].target.as_str()), "{translated}");
}
