//! Unit tests of the glossary model and its file formats.
use super::*;

fn opts() -> ReadOptions {
    ReadOptions {
        file: "g.tsv".into(),
        source_lang: LangTag::parse("ar").unwrap(),
        target_lang: LangTag::parse("en").unwrap(),
        author: Some("tester".into()),
    }
}

#[test]
fn tsv_with_and_without_header() {
    let r = read_bytes(
        "مجلس الأمن\tSecurity Council\tnoun\tUN organ\tSafety Council | Council of Security\n\nكيم جونغ أون\tKim Jong Un\n".as_bytes(),
        TermFormat::Tsv,
        &opts(),
    )
    .unwrap();
    assert_eq!(r.terms.len(), 2);
    let t = &r.terms[0].term;
    assert_eq!((t.pos.as_deref(), t.note.as_deref()), (Some("noun"), Some("UN organ")));
    assert_eq!(
        t.forbidden.iter().map(|f| f.text.as_str()).collect::<Vec<_>>(),
        ["Safety Council", "Council of Security"]
    );
    assert_eq!(r.terms[1].line, 3);
    assert_eq!(t.created_by.as_deref(), Some("tester"));
    let r = read_bytes(
        "note\ttarget\tsource\nصفة\tKim\tكيم\n".as_bytes(),
        TermFormat::Tsv,
        &opts(),
    )
    .unwrap();
    assert_eq!(
        (r.terms[0].term.source.as_str(), r.terms[0].term.note.as_deref()),
        ("كيم", Some("صفة"))
    );
}

#[test]
fn tsv_errors_name_the_line() {
    let e = read_bytes("أ\tA\nبلا علامة جدولة\n".as_bytes(), TermFormat::Tsv, &opts()).unwrap_err();
    assert_eq!(e.to_string().split(": ").next(), Some("g.tsv:2"), "{e}");
    let r = read_bytes("أمن\t \n".as_bytes(), TermFormat::Tsv, &opts()).unwrap();
    assert_eq!(r.skipped, [(1, "no target term".to_string())]);
}

#[test]
fn csv_needs_a_header_and_reads_quotes() {
    let r = read_bytes(
        "source,target,forbidden\n\"مجلس الأمن\",\"Security Council, the\",Safety Council\n".as_bytes(),
        TermFormat::Csv,
        &opts(),
    )
    .unwrap();
    assert_eq!(r.terms[0].term.targets[0].text, "Security Council, the");
    assert_eq!(r.terms[0].line, 2);
    let e = read_bytes("a,b\nx,y\n".as_bytes(), TermFormat::Csv, &opts()).unwrap_err();
    assert!(
        e.to_string().starts_with("g.tsv:1: the header names no `source`"),
        "{e}"
    );
}

#[test]
fn tbx_2008_and_v3_read_alike() {
    let v2 = r#"<?xml version="1.0"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="e1">
  <langSet xml:lang="ar"><tig><term>مجلس الأمن</term><termNote type="partOfSpeech">noun</termNote></tig></langSet>
  <langSet xml:lang="en-US"><ntig><termGrp><term>Security Council</term></termGrp></ntig>
    <tig><term>Safety Council</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig></langSet>
</termEntry>
<termEntry id="e2"><langSet xml:lang="fr"><tig><term>Conseil</term></tig></langSet></termEntry>
</body></text></martif>"#;
    let r = read_bytes(v2.as_bytes(), TermFormat::Tbx, &opts()).unwrap();
    assert_eq!(r.terms.len(), 1);
    let t = &r.terms[0].term;
    assert_eq!((t.source.as_str(), t.pos.as_deref()), ("مجلس الأمن", Some("noun")));
    assert_eq!(
        t.targets,
        [TermTarget {
            lang: "en-US".into(),
            text: "Security Council".into()
        }]
    );
    assert_eq!(t.forbidden[0].text, "Safety Council");
    assert_eq!(r.terms[0].line, 3);
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].0, 8);
}

#[test]
fn tbx_export_reads_back() {
    let mut t = NewTerm::new("ar", "مجلس الأمن & <الدولي>", "en", "Security Council").unwrap();
    t.forbidden.push(TermTarget {
        lang: "en".into(),
        text: "Safety Council".into(),
    });
    t.pos = Some("noun".into());
    t.note = Some("a note\nwith two lines".into());
    t.status = Status::Unreviewed;
    t.created_by = Some("سارة".into());
    let stored = t.clone().stored(7);
    let mut out = Vec::new();
    tbx::write(&mut out, std::slice::from_ref(&stored)).unwrap();
    let r = read_bytes(&out, TermFormat::Tbx, &opts()).unwrap();
    let back = &r.terms[0].term;
    assert_eq!(back.source, t.source);
    assert_eq!((&back.targets, &back.forbidden), (&t.targets, &t.forbidden));
    assert_eq!((&back.pos, &back.note, back.status), (&t.pos, &t.note, t.status));
    assert_eq!(back.created_by, t.created_by);
    assert_eq!(back.created_at.as_deref(), Some(stored.created_at.as_str()));
}

#[test]
fn tbx_errors_name_the_line() {
    let e = read_bytes(b"<tbx>\n<text>\n<body></text>", TermFormat::Tbx, &opts()).unwrap_err();
    assert!(e.to_string().starts_with("g.tsv:3:"), "{e}");
    let e = read_bytes(b"<html/>", TermFormat::Tbx, &opts()).unwrap_err();
    assert!(e.to_string().contains("not a TBX file"), "{e}");
}

#[test]
fn formats_are_sniffed() {
    assert_eq!(TermFormat::sniff(b"\xEF\xBB\xBF  <?xml"), TermFormat::Tbx);
    assert_eq!(TermFormat::sniff("أ\tA".as_bytes()), TermFormat::Tsv);
    assert_eq!(TermFormat::sniff(b"source,target"), TermFormat::Csv);
}

/// An entry repeats a stored one only when both its targets and its forbidden variants are the
/// same: a new forbidden variant (or a new target) makes a new entry.
#[test]
fn an_entry_is_identical_only_with_the_same_targets_and_forbidden_variants() {
    let mut tm = crate::tm::Tm::open_in_memory().unwrap();
    let plain = NewTerm::new("ar", "كوريا الشمالية", "en", "North Korea").unwrap();
    let mut guarded = plain.clone();
    guarded.forbidden.push(TermTarget {
        lang: "en".into(),
        text: "North Corea".into(),
    });
    let mut other = plain.clone();
    other.targets[0].text = "DPRK".into();
    let out = tm.add_terms(&[plain.clone(), guarded, other, plain]).unwrap();
    assert!(matches!(out[0], TermOutcome::Added(_)));
    assert!(
        matches!(out[1], TermOutcome::Added(_)),
        "a new forbidden variant: {out:?}"
    );
    assert!(matches!(out[2], TermOutcome::Added(_)), "a new target: {out:?}");
    assert_eq!(out[3], TermOutcome::Duplicate(out[0].id()));
}
