//! TMX from other tools: TMX 1.1–1.4b, UTF-16, `*all*`, inline tags, hostile and broken files.
use predicates::prelude::*;

use crate::common::{assert_valid_tmx, repo, units, Env};

fn sample(name: &str) -> std::path::PathBuf {
    repo().join("tests/data/tmx").join(name)
}

#[test]
fn tico19_imports_in_the_reverse_direction() {
    let env = Env::new();
    env.mizan()
        .args(["import", "--src-lang", "ar", "--tgt-lang", "en"])
        .arg(sample("tico19.en-ar.tmx"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "added 3070, replaced 0, skipped 1 duplicates, rejected 0",
        ));
    let us = units(&env.tm());
    let first = &us[0];
    assert_eq!(first.source, "منذ متى لا تزال هذه الأعراض مستمرة تقريبًا؟");
    assert_eq!(first.target, "about how long have these symptoms been going on?");
    assert_eq!(first.tuid.as_deref(), Some("CMU_1:1"));
    assert_eq!(first.props[0].0, "note");
    // Idempotent: importing again changes nothing.
    env.mizan()
        .arg("import")
        .arg(sample("tico19.en-ar.tmx"))
        .assert()
        .success()
        .stdout(predicate::str::contains("added 0,"));
    assert_eq!(env.stats()["units"], 3070);
}

#[test]
fn trados_utf16_with_bom() {
    let env = Env::new();
    env.mizan()
        .arg("import")
        .arg(sample("trados-utf16le.tmx"))
        .assert()
        .success();
    let u = &units(&env.tm())[0];
    assert_eq!(u.source, "وأعلن بوتين توقيع معاهدة جديدة 😀");
    assert_eq!((u.source_lang.as_str(), u.target_lang.as_str()), ("ar-SA", "en-US"));
    assert_eq!(u.usage_count, 2);
    assert_eq!(u.created_at, "2024-06-19T08:30:00Z");
    assert_eq!(u.last_used_at.as_deref(), Some("2024-07-01T12:00:00Z"));
    assert_eq!(u.created_by.as_deref(), Some("TRADOS\\\\lina"));
}

#[test]
fn omegat_tmx_1_1_with_upper_case_lang_and_short_tags() {
    let env = Env::new();
    env.mizan()
        .arg("import")
        .arg(sample("omegat-1.1.tmx"))
        .assert()
        .success()
        .stdout(predicate::str::contains("added 2"));
    let us = units(&env.tm());
    assert_eq!(us[0].source, "قال <b0>بوتين</b0> إن العلاقات <x1/> تدخل طورا جديدا.");
    assert_eq!(us[0].target_lang.as_str(), "en-GB");
    // OmegaT keeps authors and dates on the target variant.
    assert_eq!(us[0].created_by.as_deref(), Some("lina"));
    assert_eq!(us[1].changed_at, "2024-06-20T10:15:00Z");
}

#[test]
fn all_languages_file_picks_by_language_and_counts_the_rest() {
    let env = Env::new();
    env.mizan()
        .arg("import")
        .arg(sample("all-langs.tmx"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "added 2, replaced 0, skipped 0 duplicates, rejected 0, ignored 1",
        ));
    let us = units(&env.tm());
    assert_eq!(
        (us[0].source.as_str(), us[0].target.as_str()),
        ("زيارة نادرة", "A rare visit")
    );
    assert_eq!(us[0].note.as_deref(), Some("checked by the reviewer"));
    assert_eq!(us[0].usage_count, 4);
    assert_eq!(us[1].target, "Visit stirs US concern");
    // French pairs come out of the same file when asked for.
    env.mizan()
        .args(["import", "--src-lang", "fr", "--tgt-lang", "en"])
        .arg(sample("all-langs.tmx"))
        .assert()
        .success();
    assert_eq!(env.stats()["units"], 5);
}

#[test]
fn inline_tags_round_trip_verbatim() {
    let env = Env::new();
    env.mizan()
        .arg("import")
        .arg(sample("inline-tags.tmx"))
        .assert()
        .success();
    let us = units(&env.tm());
    assert_eq!(us[0].source, "قال بوتين  إن الزيارة");
    assert!(us[0]
        .source_markup
        .as_deref()
        .unwrap()
        .contains(r#"<bpt i="1" type="bold">&lt;b&gt;</bpt>"#));
    let out = env.path("out.tmx");
    env.mizan().args(["export", "--out"]).arg(&out).assert().success();
    assert_valid_tmx(&out);
    let second = env.path("second.db");
    env.mizan_at(&second).arg("import").arg(&out).assert().success();
    let back = units(&second);
    for (a, b) in us.iter().zip(&back) {
        assert_eq!(a.source_markup, b.source_markup);
        assert_eq!(a.target_markup, b.target_markup);
        assert_eq!((&a.source, &a.target), (&b.source, &b.target));
        assert_eq!(a.tuid, b.tuid);
    }
}

#[test]
fn entity_bombs_and_external_entities_are_never_expanded() {
    let env = Env::new();
    for (file, entity) in [("billion-laughs.tmx", "lol9"), ("external-entity.tmx", "secret")] {
        env.mizan()
            .arg("import")
            .arg(sample(file))
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("unrecognized entity `{entity}`")));
    }
    let us = units(&env.tm());
    assert_eq!(us.len(), 1, "only the harmless unit is stored");
    assert!(us
        .iter()
        .all(|u| !u.source.contains("root:") && !u.source.contains("lol")));
}

#[test]
fn broken_xml_reports_line_and_column_and_stores_nothing() {
    let env = Env::new();
    env.mizan()
        .arg("import")
        .arg(sample("broken.tmx"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("broken.tmx:6:"))
        .stderr(predicate::str::contains("not well-formed XML"))
        .stderr(predicate::str::contains("nothing from this file was stored"));
    assert_eq!(env.stats()["units"], 0);
}

#[test]
fn keep_going_keeps_the_units_before_the_xml_error_and_goes_on() {
    let env = Env::new();
    let next = env.write("next.tsv", "ختام\tEnd\n");
    let out = env
        .mizan()
        .args(["import", "--keep-going", "--json"])
        .arg(sample("broken-after-two.tmx"))
        .arg(&next)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "a malformed file is still an error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken-after-two.tmx:7:61: not well-formed XML"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the 2 units before the error were imported"),
        "{stderr}"
    );
    let reports: Vec<serde_json::Value> = out
        .stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("JSON line"))
        .collect();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["added"], 2);
    assert!(reports[0]["error"].as_str().is_some_and(|e| e.contains(":7:61:")));
    assert_eq!(reports[1]["added"], 1);
    assert!(reports[1]["error"].is_null());
    let sources: Vec<String> = units(&env.tm()).into_iter().map(|u| u.source).collect();
    assert_eq!(sources, ["زيارة نادرة", "قال الرئيس", "ختام"]);
    // The same file again: what was kept is not stored twice.
    env.mizan()
        .args(["import", "--keep-going"])
        .arg(sample("broken-after-two.tmx"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("added 0, replaced 0, skipped 2 duplicates"));
    assert_eq!(env.stats()["units"], 3);
    // A dry run into a fresh TM says that nothing was written, and writes nothing.
    let dry = Env::new();
    dry.mizan()
        .args(["import", "--keep-going", "--dry-run"])
        .arg(sample("broken-after-two.tmx"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("(dry run: nothing was written)"));
    assert!(!dry.tm().exists() || dry.stats()["units"] == 0);
}

#[test]
fn without_keep_going_a_malformed_file_stores_nothing_and_import_stops() {
    let env = Env::new();
    let next = env.write("next.tsv", "ختام\tEnd\n");
    env.mizan()
        .arg("import")
        .arg(sample("broken-after-two.tmx"))
        .arg(&next)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("broken-after-two.tmx:7:61:"))
        .stderr(predicate::str::contains("nothing from this file was stored"));
    assert_eq!(env.stats()["units"], 0, "neither the bad file nor the one after it");
}

#[test]
fn odd_units_are_rejected_one_by_one() {
    let env = Env::new();
    env.mizan()
        .arg("import")
        .arg(sample("odd-units.tmx"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("odd-units.tmx:5: a <tuv> without xml:lang"))
        .stderr(predicate::str::contains("odd-units.tmx:6: empty <seg> for ar"))
        .stderr(predicate::str::contains("odd-units.tmx:7: empty <seg> for en"))
        .stdout(predicate::str::contains("added 1"));
}

#[test]
fn dry_run_writes_nothing() {
    let env = Env::new();
    env.mizan()
        .args(["add", "--source", "نص", "--target", "text"])
        .assert()
        .success();
    env.mizan()
        .args(["import", "--dry-run"])
        .arg(sample("tico19.en-ar.tmx"))
        .assert()
        .success()
        .stdout(predicate::str::contains("(dry run) added 3070"));
    assert_eq!(env.stats()["units"], 1);
}

/// The children of a TMX file's `<header>`, each as `name attr=value… : text` (attributes sorted,
/// `lang` read as `xml:lang`), nested `<map>`s included: what the header says, however it is
/// spelled.
fn header_children(path: &std::path::Path) -> Vec<String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_file(path).expect("open TMX");
    let mut buf = Vec::new();
    let (mut in_header, mut out) = (false, Vec::new());
    let describe = |e: &quick_xml::events::BytesStart<'_>| {
        let mut attrs: Vec<String> = e
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                let key = String::from_utf8_lossy(a.key.as_ref())
                    .replace("lang", "xml:lang")
                    .replace("xml:xml:", "xml:");
                format!("{key}={}", a.unescape_value().expect("value"))
            })
            .collect();
        attrs.sort();
        format!("{} {}", String::from_utf8_lossy(e.name().as_ref()), attrs.join(" "))
    };
    loop {
        match r.read_event_into(&mut buf).expect("well-formed") {
            Event::Start(e) if e.name().as_ref() == b"header" => in_header = true,
            Event::End(e) if e.name().as_ref() == b"header" => break,
            Event::Start(e) | Event::Empty(e) if in_header => out.push(describe(&e)),
            Event::Text(t) if in_header => {
                let t = t.unescape().expect("text");
                if !t.trim().is_empty() {
                    if let Some(last) = out.last_mut() {
                        last.push_str(": ");
                        last.push_str(&t);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

#[test]
fn header_props_notes_and_udes_are_kept_and_exported_once() {
    let env = Env::new();
    let original = sample("header-items.tmx");
    let expected = header_children(&original);
    assert_eq!(expected.len(), 6, "{expected:?}");
    env.mizan().arg("import").arg(&original).assert().success();
    let exported = env.path("out.tmx");
    env.mizan().args(["export", "--out"]).arg(&exported).assert().success();
    assert_valid_tmx(&exported);
    assert_eq!(header_children(&exported), expected);

    // Importing the export, and the original again, stores nothing twice.
    env.mizan()
        .arg("import")
        .arg(&exported)
        .arg(&original)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 0,"));
    let again = env.path("again.tmx");
    env.mizan().args(["export", "--out"]).arg(&again).assert().success();
    assert_eq!(header_children(&again), expected);

    // A new TM filled from the export writes the same header.
    let second = env.path("second.db");
    env.mizan_at(&second).arg("import").arg(&exported).assert().success();
    let third = env.path("third.tmx");
    env.mizan_at(&second)
        .args(["export", "--out"])
        .arg(&third)
        .assert()
        .success();
    assert_eq!(header_children(&third), expected);
    assert_eq!(units(&second).len(), 2);
}

/// A TMX of `n` units, each on its own line.
fn tmx_of(n: usize) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header creationtool=\"test\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"test\" adminlang=\"en\" srclang=\"ar\" datatype=\"plaintext\"/>\n  <body>\n");
    for i in 0..n {
        s.push_str(&format!(
            "    <tu tuid=\"{i}\"><tuv xml:lang=\"ar\"><seg>الجملة رقم {i} من الملف</seg></tuv><tuv xml:lang=\"en\"><seg>Sentence number {i} of the file</seg></tuv></tu>\n"
        ));
    }
    s.push_str("  </body>\n</tmx>\n");
    s
}

#[test]
fn a_tmx_cut_at_a_tag_boundary_is_refused_and_stores_nothing() {
    let env = Env::new();
    let full = tmx_of(5000);
    // Cut at half the file, at the start of a tag: every element up to there is complete, and
    // <tmx>, <body> and one <tu> are still open.
    let cut = full[..full.len() / 2].rfind('<').unwrap();
    let truncated = &full[..cut];
    let complete = truncated.matches("</tu>").count();
    assert!(complete > 2000 && complete < 3000, "{complete}");
    let file = env.write("cut.tmx", truncated);
    let line = truncated.lines().count();
    env.mizan()
        .arg("import")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("cut.tmx:{line}:")))
        .stderr(predicate::str::contains("truncated"))
        .stderr(predicate::str::contains("nothing from this file was stored"));
    assert_eq!(env.stats()["units"], 0);

    // --keep-going keeps the complete units before the cut, and still fails.
    env.mizan()
        .args(["import", "--keep-going"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "the {complete} units before the error were imported"
        )));
    assert_eq!(env.stats()["units"], complete);

    // Cut inside the text of a <seg>, and after the last </tu> (no </body></tmx>): refused too.
    for (name, text) in [
        ("in-seg.tmx", &full[..full.find("رقم 7 ").unwrap()]),
        ("no-end.tmx", &full[..full.rfind("  </body>").unwrap()]),
    ] {
        let other = Env::new();
        let f = other.write(name, text);
        other
            .mizan()
            .arg("import")
            .arg(&f)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("truncated"));
        assert_eq!(other.stats()["units"], 0, "{name}");
    }
}

#[test]
fn units_that_differ_only_in_inline_markup_are_different_units() {
    for policy in ["keep-both", "skip", "replace"] {
        let env = Env::new();
        env.mizan()
            .args(["import", "--on-duplicate", policy])
            .arg(sample("markup-duplicates.tmx"))
            .assert()
            .success()
            .stdout(predicate::str::contains("added 2, replaced 0, skipped 0 duplicates"));
        let us = units(&env.tm());
        assert_eq!(us.len(), 2, "{policy}");
        assert_eq!(us[0].source, us[1].source, "the same text without the tags");
        assert_eq!(
            (us[0].tuid.as_deref(), us[0].source_markup.as_deref()),
            (Some("plain"), None)
        );
        assert_eq!(us[1].tuid.as_deref(), Some("tagged"));
        assert!(us[1].source_markup.as_deref().unwrap().contains("<bpt i=\"1\">"));
        assert!(us[1].target_markup.is_some());
        // Importing the file again stores nothing twice.
        env.mizan()
            .args(["import", "--on-duplicate", policy])
            .arg(sample("markup-duplicates.tmx"))
            .assert()
            .success()
            .stdout(predicate::str::contains("added 0, replaced 0, skipped 2 duplicates"));
    }
}

#[test]
fn namespaced_elements_in_a_seg_are_written_back_with_their_prefix_and_namespace() {
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;
    let env = Env::new();
    env.mizan()
        .arg("import")
        .arg(sample("namespaced.tmx"))
        .assert()
        .success();
    let us = units(&env.tm());
    assert_eq!(us[0].source, "اقرأ التقرير كاملا");
    assert_eq!(
        us[0].source_markup.as_deref(),
        Some(r#"اقرأ <ex:m ref="1" xmlns:ex="urn:example:markup">التقرير</ex:m> كاملا"#),
        "the prefix declared outside the <seg> travels with the element"
    );
    assert_eq!(
        us[1].source_markup.as_deref(),
        Some(r#"انظر <ex:n xmlns:ex="urn:example:other" ex:k="v">الملحق</ex:n> <ph x="1"/>"#),
        "a declaration inside the <seg> is kept as it is"
    );
    let out = env.path("out.tmx");
    env.mizan().args(["export", "--out"]).arg(&out).assert().success();
    // The export is well formed, and every prefix in it is bound.
    let mut r = quick_xml::NsReader::from_file(&out).unwrap();
    let mut buf = Vec::new();
    let mut prefixed = 0;
    loop {
        match r.read_resolved_event_into(&mut buf).expect("well-formed export") {
            (ns, Event::Start(e) | Event::Empty(e)) if e.name().prefix().is_some() => {
                prefixed += 1;
                assert!(matches!(ns, ResolveResult::Bound(_)), "{:?} unbound", e.name());
            }
            (_, Event::Eof) => break,
            _ => {}
        }
        buf.clear();
    }
    assert_eq!(prefixed, 4);
    // The export reads back into the same units, and into the same TM as duplicates.
    env.mizan()
        .arg("import")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 0, replaced 0, skipped 2 duplicates"));
    let second = env.path("second.db");
    env.mizan_at(&second).arg("import").arg(&out).assert().success();
    for (a, b) in us.iter().zip(&units(&second)) {
        assert_eq!((&a.source, &a.source_markup), (&b.source, &b.source_markup));
        assert_eq!((&a.target, &a.target_markup), (&b.target, &b.target_markup));
    }
}

#[test]
fn line_ends_in_a_seg_are_read_as_every_xml_parser_reads_them() {
    let env = Env::new();
    let f = env.write(
        "crlf.tmx",
        "<?xml version=\"1.0\"?>\r\n<tmx version=\"1.4\"><header/><body>\r\n<tu><note>one\r\ntwo</note><tuv xml:lang=\"ar\"><seg>سطر أول\r\nسطر ثان\rسطر ثالث</seg></tuv><tuv xml:lang=\"en\"><seg>first line\r\nsecond <ph>&lt;br&gt;\r\n</ph>line&#13;kept</seg></tuv></tu>\r\n</body></tmx>\r\n",
    );
    env.mizan().arg("import").arg(&f).assert().success();
    let u = &units(&env.tm())[0];
    assert_eq!(u.source, "سطر أول\nسطر ثان\nسطر ثالث");
    assert_eq!(
        u.target, "first line\nsecond line\rkept",
        "a character reference stays a CR"
    );
    assert_eq!(
        u.target_markup.as_deref(),
        Some("first line\nsecond <ph>&lt;br&gt;\n</ph>line&#13;kept")
    );
    assert_eq!(u.note.as_deref(), Some("one\ntwo"));
}

#[test]
fn notes_and_props_of_a_tuv_stay_with_it_and_other_languages_stay_out() {
    let env = Env::new();
    env.mizan()
        .arg("import")
        .arg(sample("tuv-notes.tmx"))
        .assert()
        .success();
    let u = &units(&env.tm())[0];
    assert_eq!(u.note.as_deref(), Some("about the whole unit"));
    let props: Vec<(&str, &str)> = u.props.iter().map(|(t, v)| (t.as_str(), v.as_str())).collect();
    assert_eq!(
        props,
        [
            ("x-domain", "news"),
            ("x-mizan-source-note", "ملاحظة على النص العربي"),
            ("x-mizan-source-prop:x-checked", "yes"),
            ("x-mizan-target-prop:x-reviewer", "lina"),
            ("x-mizan-target-note", "a note on the English"),
        ]
    );
    // The export puts each back into its own <tuv>; nothing of the French variant comes out.
    let out = env.path("out.tmx");
    env.mizan().args(["export", "--out"]).arg(&out).assert().success();
    assert_valid_tmx(&out);
    let xml = std::fs::read_to_string(&out).unwrap();
    assert!(!xml.contains("fr"), "{xml}");
    let ar = &xml[xml.find("<tuv xml:lang=\"ar\">").unwrap()..xml.find("</seg></tuv>").unwrap()];
    assert!(
        ar.contains("<note>ملاحظة على النص العربي</note>") && ar.contains("<prop type=\"x-checked\">yes</prop>"),
        "{ar}"
    );
    let en = &xml[xml.find("<tuv xml:lang=\"en\">").unwrap()..];
    assert!(
        en.find("<prop type=\"x-reviewer\">lina</prop>") < en.find("<note>a note on the English</note>"),
        "{en}"
    );
    let tu = &xml[xml.find("<tu ").unwrap()..xml.find("<tuv").unwrap()];
    assert!(
        tu.contains("<note>about the whole unit</note>") && tu.contains("x-domain") && !tu.contains("x-mizan-source"),
        "{tu}"
    );
    // And it reads back the same.
    let second = env.path("second.db");
    env.mizan_at(&second).arg("import").arg(&out).assert().success();
    let back = &units(&second)[0];
    assert_eq!((&back.note, &back.props), (&u.note, &u.props));
}

#[test]
fn a_placeholder_between_two_words_separates_them_for_matching_and_concordance() {
    let env = Env::new();
    env.mizan()
        .arg("import")
        .arg(sample("placeholders.tmx"))
        .assert()
        .success();
    let us = units(&env.tm());
    assert_eq!(us[0].source, "اضغط هنا للمتابعة");
    assert_eq!(us[0].target, "Click here to continue");
    assert_eq!(us[1].source, "وصل الوفد أمس");
    assert_eq!(
        us[0].source_markup.as_deref(),
        Some("اضغط هنا<ph x=\"1\">&lt;br/&gt;</ph>للمتابعة"),
        "the markup is what the file says"
    );
    let hits = crate::common::json_lines(
        env.mizan()
            .args(["concordance", "--json", "للمتابعة"])
            .output()
            .unwrap(),
    );
    assert_eq!(hits.len(), 1);
    let found = crate::common::json_lines(env.mizan().args(["match", "--json", "وصل الوفد أمس"]).output().unwrap());
    assert!(found[0]["matches"][0]["score"].as_f64().unwrap() >= 95.0, "{found:?}");
}

#[test]
fn text_inside_sub_is_searchable() {
    let env = Env::new();
    env.mizan()
        .arg("import")
        .arg(sample("inline-tags.tmx"))
        .assert()
        .success();
    let hits = crate::common::json_lines(
        env.mizan()
            .args(["concordance", "--json", "عنوان الرابط"])
            .output()
            .unwrap(),
    );
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hits = crate::common::json_lines(
        env.mizan()
            .args(["concordance", "--target", "--json", "link title"])
            .output()
            .unwrap(),
    );
    assert_eq!(hits.len(), 1, "{hits:?}");
}

#[test]
fn a_file_without_the_language_pair_is_refused_naming_what_it_has() {
    let env = Env::new();
    env.mizan()
        .arg("import")
        .arg(sample("other-languages.tmx"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("other-languages.tmx"))
        .stderr(predicate::str::contains("ar and en"))
        .stderr(predicate::str::contains("fr-FR, de-DE, en"));
    assert_eq!(env.stats()["units"], 0);
    // Asked for a pair it has, it imports.
    env.mizan()
        .args(["import", "--src-lang", "fr", "--tgt-lang", "de"])
        .arg(sample("other-languages.tmx"))
        .assert()
        .success()
        .stdout(predicate::str::contains("added 2"));
}
