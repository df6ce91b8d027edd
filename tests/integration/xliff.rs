//! The CAT round trip (issue 16): `pretranslate --format xliff|xliff2` validates against the OASIS
//! schemas (xmllint, offline), OmegaT translates mizan's XLIFF and mizan imports OmegaT's file,
//! translate-toolkit reads both outputs and writes a file mizan imports; bad files are refused
//! with their place and change nothing.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::cat_tools::{omegat_project, on_path, run_omegat};
use crate::common::{repo, skip_without, units, Env};
use mizan::tm::{Origin, Status, Unit};

/// A sentence of the seed article with its day changed: a 96% fuzzy match of a seed pair.
const THURSDAY: &str = "استقبل زعيم كوريا الشمالية كيم جونغ أون، الرئيس الروسي فلاديمير بوتين، اليوم الخميس، في زيارة نادرة تهدف إلى عقد شراكة في مواجهة الضغوط والعقوبات الأمريكية.";
/// A headline stored in the seed TM as it is (an exact match).
const HEADLINE: &str = "زيارة نادرة";
/// Two paragraphs the TM has nothing close to; OmegaT's project memory translates them.
const NEW_1: &str = "وقال المتحدث إن الاجتماع سيعقد غدا.";
const NEW_2: &str = "هذه فقرة جديدة لا توجد في ذاكرة الترجمة.";
const NEW_1_EN: &str = "The spokesman said the meeting would be held tomorrow.";
const NEW_2_EN: &str = "This is a new paragraph that is not in the translation memory.";
/// A unit with a number, and an article sentence with another: the suggestion has the article's
/// number, the stored unit keeps its own.
const THREE: (&str, &str) = ("وصلت 3 وفود إلى العاصمة", "3 delegations arrived in the capital");
const FIVE: &str = "وصلت 5 وفود إلى العاصمة";

/// The seed TM, the inline-tag units of tests/data/tmx/inline-tags.tmx and the numbered unit;
/// returns the plain source of the first tagged unit.
fn seeded(env: &Env) -> String {
    env.import_seed_pairs();
    env.mizan()
        .arg("import")
        .arg(repo().join("tests/data/tmx/inline-tags.tmx"))
        .assert()
        .success();
    env.mizan()
        .args(["add", "--source", THREE.0, "--target", THREE.1])
        .assert()
        .success();
    let tagged = units(&env.tm())
        .into_iter()
        .find(|u| u.tuid.as_deref() == Some("inline-1"))
        .expect("the tagged unit");
    assert!(tagged.target_markup.is_some());
    tagged.source
}

fn article(env: &Env, tagged: &str) -> PathBuf {
    env.write(
        "article.ar.txt",
        format!("{HEADLINE}\n\n{THURSDAY}\n\n{tagged}\n\n{FIVE}\n\n{NEW_1}\n\n{NEW_2}\n"),
    )
}

fn pretranslate(env: &Env, article: &Path, format: &str, extra: &[&str], out: &str) -> PathBuf {
    let path = env.path(out);
    env.mizan()
        .arg("pretranslate")
        .arg(article)
        .args(["--format", format, "--min", "50"])
        .args(extra)
        .arg("--out")
        .arg(&path)
        .assert()
        .success();
    path
}

/// Validates `file` with xmllint against `schema` (in schemas/xliff), offline: the catalog maps
/// the W3C xml.xsd to the vendored copy and `--nonet` forbids the network.
fn assert_valid(file: &Path, schema: &str) {
    let dir = repo().join("schemas/xliff");
    match std::process::Command::new("xmllint")
        .env("XML_CATALOG_FILES", dir.join("catalog.xml"))
        .args(["--nonet", "--noout", "--schema"])
        .arg(dir.join(schema))
        .arg(file)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{} is not valid against {schema}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => skip_without("xmllint", "XLIFF schema validation"),
    }
}

#[test]
fn xliff_outputs_validate_against_the_oasis_schemas_with_states_matches_and_inline_codes() {
    let env = Env::new();
    let tagged = seeded(&env);
    let article = article(&env, &tagged);
    // A glossary term: its note must keep the file valid.
    env.mizan().args(["terms", "add", "بوتين", "Putin"]).assert().success();
    let x12 = pretranslate(&env, &article, "xliff", &[], "a12.xlf");
    let x12c = pretranslate(&env, &article, "xliff", &["--copy-source"], "a12c.xlf");
    let x2 = pretranslate(&env, &article, "xliff2", &[], "a2.xlf");
    assert_valid(&x12, "xliff12-with-mizan.xsd");
    assert_valid(&x12c, "xliff12-with-mizan.xsd");
    assert_valid(&x2, "xliff21-with-matches.xsd");

    let a12 = std::fs::read_to_string(&x12).unwrap();
    // One trans-unit per segment, in document order, with its position.
    let positions: Vec<&str> = a12
        .match_indices("mz:position=\"")
        .map(|(i, _)| &a12[i + 13..i + 14])
        .collect();
    assert_eq!(positions, ["0", "1", "2", "3", "4", "5"]);
    assert!(
        a12.contains("<note from=\"mizan-terms\" annotates=\"source\">بوتين = Putin</note>"),
        "{a12}"
    );
    let a2 = std::fs::read_to_string(&x2).unwrap();
    assert!(
        a2.contains("<gls:term source=\"mizan\">بوتين</gls:term>\n          <gls:translation source=\"mizan\">Putin</gls:translation>"),
        "{a2}"
    );
    assert!(a12.contains("<file original=\"article.ar.txt\""));
    assert!(a12.contains("state=\"translated\" state-qualifier=\"exact-match\">A rare visit</target>"));
    assert!(a12.contains("state=\"needs-review-translation\" state-qualifier=\"fuzzy-match\">North Korean leader"));
    // The tagged unit's target keeps its codes; its alternative has both sides as codes.
    assert!(
        a12.contains("<bpt id=\"t1\">&lt;b&gt;</bpt>Putin<ept id=\"t1\">&lt;/b&gt;</ept>"),
        "{a12}"
    );
    assert!(a12.contains("<source>قال <bpt id=\"s1\">&lt;b&gt;</bpt>بوتين"), "{a12}");
    // The suggestion has the article's number; the alternative is the stored unit, both sides.
    assert!(a12.contains(">5 delegations arrived in the capital</target>"), "{a12}");
    assert!(
        a12.contains(&format!(
            "<source>{}</source>\n          <target>{}</target>",
            THREE.0, THREE.1
        )),
        "{a12}"
    );
    assert!(!a12.contains(&format!(
        "<source>{}</source>\n          <target>5 delegations",
        THREE.0
    )));
    // No target for the new segments, unless asked for a copy of the source.
    assert_eq!(a12.matches("<target state=").count(), 4);
    let a12c = std::fs::read_to_string(&x12c).unwrap();
    assert!(a12c.contains(&format!("<target state=\"new\">{NEW_1}</target>")));

    let a2 = std::fs::read_to_string(&x2).unwrap();
    assert_eq!(a2.matches("<unit id=").count(), 6);
    assert_eq!(a2.matches("<segment id=\"s").count(), 6);
    // Only the exact matches of reviewed units (the headline, the tagged unit) are translated;
    // the fuzzy ones (the Thursday sentence, 96.1; the number, 99) are initial.
    let states: Vec<&str> = a2
        .lines()
        .filter(|l| l.trim_start().starts_with("<segment "))
        .map(|l| l.split("state=\"").nth(1).unwrap().split('"').next().unwrap())
        .collect();
    assert_eq!(
        states,
        ["translated", "initial", "translated", "initial", "initial", "initial"]
    );
    assert!(a2.contains("<mtc:match id=\"m1\" ref=\"#s1\" type=\"tm\""));
    assert!(a2.contains("matchQuality=\"96.1\""), "{a2}");
    assert!(a2.contains("<sc id=\"t1\"/>Putin<ec startRef=\"t1\"/>"), "{a2}");
}

/// The pairs (source, target) of units.
fn pairs(units: &[Unit]) -> BTreeSet<(String, String)> {
    units.iter().map(|u| (u.source.clone(), u.target.clone())).collect()
}

/// A project TM (tm/auto, whose exact matches OmegaT inserts) translating the two new paragraphs.
fn project_tm(dir: &Path) {
    let tu = |ar: &str, en: &str| {
        format!("<tu><tuv xml:lang=\"ar\"><seg>{ar}</seg></tuv><tuv xml:lang=\"en\"><seg>{en}</seg></tuv></tu>\n")
    };
    std::fs::write(
        dir.join("tm/auto/translator.tmx"),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header creationtool=\"test\" creationtoolversion=\"1\" segtype=\"paragraph\" o-tmf=\"test\" adminlang=\"en\" srclang=\"ar\" datatype=\"plaintext\"/><body>\n{}{}</body></tmx>\n",
            tu(NEW_1, NEW_1_EN),
            tu(NEW_2, NEW_2_EN)
        ),
    )
    .unwrap();
}

/// mizan pretranslates to XLIFF 1.2 (with a copy of the source in the new segments: OmegaT's XLIFF
/// filter translates `<target>`); OmegaT translates the new segments from its project TM; mizan
/// imports OmegaT's target file: the TM holds exactly the two new units, human and reviewed; the
/// untouched suggestions store nothing, and a second import adds nothing.
#[test]
fn omegat_translates_mizan_xliff_and_the_tm_gains_exactly_the_new_reviewed_units() {
    let Some(omegat) = on_path("omegat") else {
        return skip_without("OmegaT (`omegat`)", "the XLIFF round trip through OmegaT");
    };
    let env = Env::new();
    let tagged = seeded(&env);
    let article = article(&env, &tagged);
    let xliff = pretranslate(&env, &article, "xliff", &["--copy-source"], "article.xlf");
    let project = omegat_project(&env);
    std::fs::copy(&xliff, project.join("source/article.xlf")).unwrap();
    project_tm(&project);
    run_omegat(&env, &omegat, &project, false);
    let translated = project.join("target/article.xlf");
    let text = std::fs::read_to_string(&translated).expect("OmegaT wrote the translated XLIFF");
    assert!(text.contains(NEW_1_EN) && text.contains(NEW_2_EN), "{text}");

    let before = units(&env.tm());
    env.mizan()
        .arg("import")
        .arg(&translated)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "added 2, replaced 0, skipped 0 duplicates, rejected 0",
        ))
        .stdout(predicate::str::contains("left out 2 untouched fuzzy suggestions"));
    let after = units(&env.tm());
    let new: Vec<&Unit> = after.iter().filter(|u| !before.iter().any(|b| b.id == u.id)).collect();
    let got: BTreeSet<(String, String)> = new.iter().map(|u| (u.source.clone(), u.target.clone())).collect();
    let want: BTreeSet<(String, String)> = [(NEW_1, NEW_1_EN), (NEW_2, NEW_2_EN)]
        .iter()
        .map(|(a, e)| (a.to_string(), e.to_string()))
        .collect();
    assert_eq!(got, want);
    for u in &new {
        assert_eq!((u.origin, u.status), (Origin::Human, Status::Reviewed), "{u:?}");
        assert_eq!(u.document.as_deref(), Some("article.ar.txt"));
    }
    assert_eq!(
        new.iter().map(|u| u.position).collect::<BTreeSet<_>>(),
        [Some(4), Some(5)].into()
    );
    // The exact matches kept as they were count a use; the other units are unchanged.
    assert_eq!(pairs(&before).len() + 2, pairs(&after).len());
    env.mizan()
        .arg("import")
        .arg(&translated)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 0, replaced 0, skipped 2 duplicates"));
    assert_eq!(units(&env.tm()).len(), after.len(), "re-importing adds nothing");
}

/// translate-toolkit reads a file with `python3 -c`; without the package the test is skipped.
fn has_translate_toolkit() -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import translate.storage.xliff2"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Each unit of a translate-toolkit store as (source, target, translated, fuzzy).
const DUMP: &str = r#"
import json, sys
from translate.storage import factory, xliff2
path = sys.argv[1]
store = xliff2.Xliff2File.parsefile(path) if sys.argv[2] == "2" else factory.getobject(path)
out = [[u.source, u.target or "", u.istranslated(), u.isfuzzy()] for u in store.units if not u.isheader()]
json.dump(out, sys.stdout, ensure_ascii=False)
"#;

fn dump(path: &Path, version: &str) -> Vec<(String, String, bool, bool)> {
    let out = std::process::Command::new("python3")
        .args(["-c", DUMP])
        .arg(path)
        .arg(version)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// xliff2po turns mizan's XLIFF 1.2 into PO with every segment (nothing mizan wrote is approved,
/// so every entry with a suggestion is fuzzy); translate-toolkit's XLIFF 2 store reads mizan's
/// 2.1 file with every unit and its state (xliff2po itself refuses XLIFF 2.x: it sends the user
/// to that store). A file po2xliff makes imports into mizan: the translated entries only.
#[test]
fn translate_toolkit_reads_both_outputs_and_a_po2xliff_file_imports() {
    if !has_translate_toolkit() || !crate::common::has_tool("xliff2po") {
        return skip_without(
            "translate-toolkit (xliff2po, po2xliff)",
            "the translate-toolkit round trip",
        );
    }
    let env = Env::new();
    let tagged = seeded(&env);
    let article = article(&env, &tagged);
    // A glossary term: its note must keep the file valid.
    env.mizan().args(["terms", "add", "بوتين", "Putin"]).assert().success();
    let x12 = pretranslate(&env, &article, "xliff", &[], "a12.xlf");
    let x2 = pretranslate(&env, &article, "xliff2", &[], "a2.xlf");

    let po = env.path("a12.po");
    let run = std::process::Command::new("xliff2po")
        .arg(&x12)
        .arg(&po)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let entries = dump(&po, "1");
    let sources: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(sources, [HEADLINE, THURSDAY, tagged.as_str(), FIVE, NEW_1, NEW_2]);
    assert_eq!(entries[0].1, "A rare visit");
    assert!(
        entries[..4].iter().all(|e| e.3),
        "suggestions are fuzzy in PO: {entries:?}"
    );
    assert!(entries[4..].iter().all(|e| e.1.is_empty() && !e.2), "{entries:?}");

    let units2 = dump(&x2, "2");
    assert_eq!(units2.len(), 6);
    assert_eq!(units2[0], (HEADLINE.into(), "A rare visit".into(), true, false));
    assert!(
        units2[1].3 && !units2[1].2,
        "the fuzzy suggestion is fuzzy: {:?}",
        units2[1]
    );
    assert!(units2[4].1.is_empty() && !units2[4].2);

    let po_in = env.write(
        "done.po",
        format!(
            "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid \"{NEW_1}\"\nmsgstr \"{NEW_1_EN}\"\n\n#, fuzzy\nmsgid \"{NEW_2}\"\nmsgstr \"{NEW_2_EN}\"\n\nmsgid \"{THURSDAY}\"\nmsgstr \"\"\n"
        ),
    );
    let xlf = env.path("done.xlf");
    let run = std::process::Command::new("po2xliff")
        .arg(&po_in)
        .arg(&xlf)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    // po2xliff declares source-language="en-US" whatever the PO holds: refused, then read as the
    // TM's pair on request.
    let before = units(&env.tm()).len();
    env.mizan()
        .arg("import")
        .arg(&xlf)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("done.xlf:").and(predicate::str::contains("en-US")));
    assert_eq!(units(&env.tm()).len(), before);
    env.mizan()
        .args(["import", "--assume-languages"])
        .arg(&xlf)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "added 1, replaced 0, skipped 0 duplicates, rejected 0, ignored 2",
        ));
    let stored = units(&env.tm());
    let new = stored.last().unwrap();
    assert_eq!((new.source.as_str(), new.target.as_str()), (NEW_1, NEW_1_EN));
    assert_eq!((new.origin, new.status), (Origin::Human, Status::Reviewed));
}

/// A translated XLIFF with one finished segment, and the same file with a bad byte sequence, a
/// broken end tag, a wrong target language.
#[test]
fn bad_xliff_is_refused_with_file_line_and_column_and_stores_nothing() {
    let env = Env::new();
    env.import_seed_pairs();
    let before = units(&env.tm()).len();
    let good = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"2.0\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" srcLang=\"ar\" trgLang=\"en\">\n<file id=\"f\"><unit id=\"1\"><segment state=\"final\"><source>{NEW_1}</source><target>{NEW_1_EN}</target></segment></unit>\n<unit id=\"2\"><segment state=\"final\"><source>{NEW_2}</source><target>{NEW_2_EN}</target></segment></unit></file></xliff>\n"
    );
    for (name, text, line, what) in [
        (
            "broken.xliff",
            good.replace("</segment></unit></file>", "</unit></file>"),
            4,
            "not well-formed",
        ),
        ("french.xlf", good.replace("trgLang=\"en\"", "trgLang=\"fr\""), 2, "fr"),
        (
            "future.xlf",
            good.replace("version=\"2.0\"", "version=\"3.0\""),
            2,
            "version 3.0",
        ),
    ] {
        let path = env.write(name, text);
        env.mizan()
            .arg("import")
            .arg(&path)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("{name}:{line}:")).and(predicate::str::contains(what)));
        assert_eq!(units(&env.tm()).len(), before, "{name} stored nothing");
    }
    // Content sniffing: the same good file named .xml, and on standard input.
    let xml = env.write("good.xml", &good);
    env.mizan()
        .arg("import")
        .arg(&xml)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 2"));
    env.mizan()
        .args(["import", "-"])
        .write_stdin(good.clone())
        .assert()
        .success()
        .stdout(predicate::str::contains("added 0, replaced 0, skipped 2 duplicates"));
}

/// Trados Studio and memoQ files, told by their extensions (the Trados one in UTF-16 with a
/// byte-order mark, as Studio can save it): only the segments their tools mark finished are
/// stored, deleted revisions and history left out; the author is kept.
#[test]
fn trados_and_memoq_files_store_their_finished_segments() {
    let env = Env::new();
    let sdl = format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-16\"?>\n<xliff xmlns:sdl=\"http://sdl.com/FileTypes/SdlXliff/1.0\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" version=\"1.2\" sdl:version=\"1.0\">\n\
         <file original=\"a.docx\" datatype=\"x-sdlfilterframework2\" source-language=\"ar-SA\" target-language=\"en-US\"><body>\n\
         <trans-unit id=\"u1\"><source>{NEW_1} {NEW_2}</source>\n\
         <seg-source><mrk mtype=\"seg\" mid=\"1\">{NEW_1}</mrk> <mrk mtype=\"seg\" mid=\"2\">{NEW_2}</mrk></seg-source>\n\
         <target><mrk mtype=\"seg\" mid=\"1\">The spokesman<mrk mtype=\"x-sdl-deleted\" sdl:revid=\"r1\"> officially</mrk> said the meeting would be held tomorrow.</mrk> <mrk mtype=\"seg\" mid=\"2\">Draft text.</mrk></target>\n\
         <sdl:seg-defs><sdl:seg id=\"1\" conf=\"ApprovedSignOff\"><sdl:value key=\"last_modified_by\">lina</sdl:value></sdl:seg><sdl:seg id=\"2\" conf=\"Draft\"/></sdl:seg-defs>\n\
         </trans-unit></body></file></xliff>\n"
    );
    let utf16: Vec<u8> = sdl.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let path = env.write("job.sdlxliff", utf16);
    env.mizan()
        .arg("import")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "added 1, replaced 0, skipped 0 duplicates, rejected 0, ignored 1",
        ));
    let mq = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" xmlns:mq=\"MQXliff\"><file original=\"b.txt\" source-language=\"ara\" target-language=\"eng\" datatype=\"plaintext\"><body>\n\
         <trans-unit id=\"1\" mq:status=\"Proofread\" mq:lastchangedby=\"omar\"><source>{HEADLINE}</source><target>A rare trip</target>\n\
         <mq:historical-unit><source>{HEADLINE}</source><target>An uncommon visit</target></mq:historical-unit></trans-unit>\n\
         <trans-unit id=\"2\" mq:status=\"PartiallyEdited\"><source>{THURSDAY}</source><target state=\"translated\">half done</target></trans-unit>\n\
         </body></file></xliff>\n"
    );
    let path = env.write("job.mqxliff", mq);
    env.mizan()
        .arg("import")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("job.mqxliff:2:").and(predicate::str::contains("\"ara\"")));
    // ISO 639-2 codes (`ara`, `eng`) are not the TM's tags: read as its pair on request.
    env.mizan()
        .args(["import", "--assume-languages"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "added 1, replaced 0, skipped 0 duplicates, rejected 0, ignored 1",
        ));
    let stored = units(&env.tm());
    let got: Vec<(&str, &str, Option<&str>)> = stored
        .iter()
        .map(|u| (u.source.as_str(), u.target.as_str(), u.changed_by.as_deref()))
        .collect();
    assert_eq!(
        got,
        [(NEW_1, NEW_1_EN, Some("lina")), (HEADLINE, "A rare trip", Some("omar"))]
    );
    assert!(stored.iter().all(|u| u.status == Status::Reviewed));
    assert!(stored[0]
        .props
        .contains(&("x-sdl-conf".to_string(), "ApprovedSignOff".to_string())));
}

/// Segments whose neighbours match the neighbouring units of the same stored document are
/// context (101%) matches, as `analyze` counts them: 1.2 `state-qualifier="id-match"`, 2.1
/// `mtc:match type="icm"`; an exact match whose next segment is new is a plain exact match.
#[test]
fn context_matches_are_id_matches_in_xliff_12_and_icm_in_2() {
    let env = Env::new();
    env.import_seed_pairs();
    let mut seed = units(&env.tm());
    seed.sort_by_key(|u| u.position);
    let article = env.write(
        "seed-next.ar.txt",
        format!(
            "{}\n\n{}\n\n{}\n\n{NEW_1}\n",
            seed[0].source, seed[1].source, seed[2].source
        ),
    );
    let x12 = std::fs::read_to_string(pretranslate(&env, &article, "xliff", &[], "c12.xlf")).unwrap();
    let qualifiers: Vec<&str> = x12
        .match_indices("state-qualifier=\"")
        .map(|(i, _)| x12[i + 17..].split('"').next().unwrap())
        .collect();
    assert_eq!(qualifiers, ["id-match", "id-match", "exact-match"]);
    let x2 = pretranslate(&env, &article, "xliff2", &[], "c2.xlf");
    assert_valid(&x2, "xliff21-with-matches.xsd");
    let x2 = std::fs::read_to_string(x2).unwrap();
    let types: Vec<&str> = x2
        .match_indices("<mtc:match id=\"m1\"")
        .map(|(i, _)| x2[i..].split("type=\"").nth(1).unwrap().split('"').next().unwrap())
        .collect();
    assert_eq!(types, ["icm", "icm", "tm"]);
}
