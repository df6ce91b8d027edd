//! pretranslate → a translator edits the TSV → import stores the edits as human translations and
//! counts the untouched exact matches as uses.
use predicates::prelude::*;

use crate::common::{repo, units, Env};
use mizan::tm::{Origin, Unit};

#[test]
fn pretranslate_edit_import_round_trip() {
    let env = Env::new();
    env.import_seed_pairs();
    let article = env.write(
        "new.ar.txt",
        "زيارة نادرة\n\nوقال مسؤول روسي إن الوفد سيعود إلى موسكو مساء الخميس.\n\nالزيارة تثير قلق أمريكا\n",
    );
    let tsv = env.path("new.tsv");
    env.mizan()
        .args(["pretranslate"])
        .arg(&article)
        .arg("--out")
        .arg(&tsv)
        .assert()
        .success()
        .stderr(predicate::str::contains("3 segments, 2 with a suggestion"));
    let text = std::fs::read_to_string(&tsv).unwrap();
    let mut lines: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    assert_eq!(
        lines[0],
        [
            "index",
            "source",
            "suggestion",
            "score",
            "origin",
            "unit_id",
            "status",
            "confirmed",
            "original",
            "terms",
            "fragment_words"
        ]
    );
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[1][2], "A rare visit");
    assert_eq!(lines[1][3], "100.0");
    assert_eq!(lines[2][2], "", "no suggestion for the new sentence");
    // The translator fills in the new sentence, fixes the third, keeps the first.
    lines[2][2] = "A Russian official said the delegation would return to Moscow on Thursday evening.".into();
    lines[3][2] = "The visit alarms America".into();
    let edited: String = lines.iter().map(|l| l.join("\t") + "\n").collect();
    env.write("new.tsv", edited);
    env.mizan()
        .arg("import")
        .arg(&tsv)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 2").and(predicate::str::contains("confirmed 1 exact matches")));
    let all = units(&env.tm());
    assert_eq!(all.len(), 25);
    let new: Vec<&Unit> = all.iter().filter(|u| u.origin == Origin::Human).collect();
    assert_eq!(new.len(), 2);
    assert_eq!(new[0].source, "وقال مسؤول روسي إن الوفد سيعود إلى موسكو مساء الخميس.");
    assert_eq!(new[1].target, "The visit alarms America");
    assert!(new.iter().all(|u| u.status == mizan::tm::Status::Reviewed));
    assert_eq!(all.iter().find(|u| u.source == "زيارة نادرة").unwrap().usage_count, 1);
}

#[test]
fn pretranslate_xliff_is_well_formed_with_alternatives() {
    let env = Env::new();
    env.import_seed_pairs();
    let out = env
        .mizan()
        .args(["pretranslate", "--format", "xliff"])
        .arg(repo().join("seeds/seed-article.ar.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let xml = String::from_utf8(out.stdout).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut units, mut targets, mut alts) = (0, 0, 0);
    loop {
        match reader.read_event().expect("well-formed XLIFF") {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"trans-unit" => units += 1,
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"target" => targets += 1,
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"alt-trans" => alts += 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(units, 23);
    assert!(alts >= units, "every segment has its exact match as an alternative");
    assert_eq!(targets, units + alts, "one target per segment and one per alternative");
}
