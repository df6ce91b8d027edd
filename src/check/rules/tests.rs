//! One test (at least) per rule, on real-looking news sentences.

use super::super::{check_segment, CheckOptions, CheckTerm, Finding, Rule, Segment, Severity, TermLookup};

fn run(source: &str, target: &str) -> Vec<Finding> {
    check_segment(&Segment::new(1, source, target), &CheckOptions::default(), None)
}

fn rules(findings: &[Finding]) -> Vec<Rule> {
    findings.iter().map(|f| f.rule).collect()
}

#[test]
fn a_good_translation_has_no_finding() {
    let f = run(
        "وقال المتحدث إن ٣٫٥ مليون شخص شاركوا في الانتخابات عام ٢٠٢٤.",
        "The spokesman said 3.5 million people took part in the 2024 election.",
    );
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn numbers_agree_in_any_digit_script_and_grouping() {
    assert!(run("بلغ عدد الزوار ١٬٥٠٠ زائر.", "Visitors numbered 1500.").is_empty());
    assert!(run("بلغ عدد الزوار 1500 زائر.", "Visitors numbered 1,500.").is_empty());
    assert!(run("ارتفع بنسبة ٣٫٥ في المئة.", "It rose by 3.5 percent.").is_empty());
    assert!(run("خسر 3,000,000 دولار.", "He lost 3 million dollars.").is_empty());
}

#[test]
fn a_changed_number_is_one_error_with_both_spans() {
    let seg = Segment::new(4, "وصل الوفد عام ٢٠٢٤.", "The delegation arrived in 2025.");
    let f = check_segment(&seg, &CheckOptions::default(), None);
    assert_eq!(rules(&f), vec![Rule::Numbers]);
    assert_eq!(f[0].severity, Severity::Error);
    assert_eq!(f[0].source_span.unwrap().text(&seg.source), "٢٠٢٤");
    assert_eq!(f[0].target_span.unwrap().text(&seg.target), "2025");
    assert!(
        f[0].message.contains("٢٠٢٤") && f[0].message.contains("2025"),
        "{}",
        f[0].message
    );
}

#[test]
fn missing_and_extra_numbers_are_errors_each() {
    let f = run("قتل 12 شخصا وأصيب 40 آخرون.", "Twelve people were killed.");
    // 12 is written as a word: a note; 40 is gone: an error.
    assert_eq!(rules(&f), vec![Rule::NumberWords, Rule::Numbers]);
    assert!(f[1].message.contains("40"), "{}", f[1].message);
    let f = run("قتل شخص.", "Seven people were killed on 3 May.");
    assert_eq!(rules(&f), vec![Rule::Numbers]);
    assert!(f[0].source_span.is_none() && f[0].target_span.is_some());
}

#[test]
fn number_words_are_noted_not_errors() {
    let seg = Segment::new(1, "قتل ستة أشخاص.", "6 people were killed.");
    let f = check_segment(&seg, &CheckOptions::default(), None);
    assert_eq!(rules(&f), vec![Rule::NumberWords]);
    assert_eq!(f[0].severity, Severity::Info);
    assert_eq!(f[0].source_span.unwrap().text(&seg.source), "ستة");
    assert_eq!(f[0].target_span.unwrap().text(&seg.target), "6");
    // Words on both sides: nothing to say.
    assert!(run("قتل ثلاثة عشر شخصا.", "Thirteen people were killed.").is_empty());
    assert_eq!(
        rules(&run("قتل ثلاثة عشر شخصا.", "13 people were killed.")),
        vec![Rule::NumberWords]
    );
}

struct Glossary(Vec<(&'static str, Vec<&'static str>, Vec<&'static str>)>);

impl TermLookup for Glossary {
    fn hits(&self, source: &str) -> Vec<CheckTerm> {
        self.0
            .iter()
            .filter_map(|(term, targets, forbidden)| {
                let start = source.find(term)?;
                Some(CheckTerm {
                    start,
                    end: start + term.len(),
                    source: term.to_string(),
                    targets: targets.iter().map(|s| s.to_string()).collect(),
                    forbidden: forbidden.iter().map(|s| s.to_string()).collect(),
                })
            })
            .collect()
    }
}

#[test]
fn glossary_terms_need_one_of_their_targets() {
    let glossary = Glossary(vec![
        ("مجلس الأمن", vec!["Security Council"], vec!["Safety Council"]),
        ("كيم جونغ أون", vec!["Kim Jong Un", "Kim Jong-un"], vec![]),
    ]);
    let check = |s: &str, t: &str| check_segment(&Segment::new(1, s, t), &CheckOptions::default(), Some(&glossary));
    // Letter case and a plural or possessive ending do not matter.
    assert!(check("اجتمع مجلس الأمن اليوم.", "The security council met today.").is_empty());
    assert!(check("اجتمع مجلس الأمن اليوم.", "The Security Council's members met today.").is_empty());
    assert!(check("التقى كيم جونغ أون بالوفد.", "Kim Jong-un met the delegation.").is_empty());
    let seg = Segment::new(1, "اجتمع مجلس الأمن اليوم.", "The Council met today.");
    let f = check_segment(&seg, &CheckOptions::default(), Some(&glossary));
    assert_eq!(rules(&f), vec![Rule::Terms]);
    assert_eq!(f[0].severity, Severity::Warning);
    assert_eq!(f[0].source_span.unwrap().text(&seg.source), "مجلس الأمن");
    let seg = Segment::new(1, "اجتمع مجلس الأمن اليوم.", "The Safety Council met today.");
    let f = check_segment(&seg, &CheckOptions::default(), Some(&glossary));
    assert_eq!(rules(&f), vec![Rule::Terms, Rule::ForbiddenTerms]);
    assert_eq!(f[1].severity, Severity::Error);
    assert_eq!(f[1].target_span.unwrap().text(&seg.target), "Safety Council");
}

#[test]
fn tags_must_be_kept_and_nested() {
    assert!(run(
        "قال <b0>الرئيس</b0> إن<x1/> الزيارة ناجحة.",
        "<b0>The president</b0> said<x1/> the visit went well."
    )
    .is_empty());
    let seg = Segment::new(
        1,
        "قال <b0>الرئيس</b0> إن الزيارة ناجحة.",
        "The president said the visit went well.",
    );
    let f = check_segment(&seg, &CheckOptions::default(), None);
    assert_eq!(rules(&f), vec![Rule::Tags, Rule::Tags]);
    assert_eq!(f[0].source_span.unwrap().text(&seg.source), "<b0>");
    let f = run("قال <b0>الرئيس</b0>.", "<b0>The president said</b0> <x2/>.");
    assert_eq!(rules(&f), vec![Rule::Tags]);
    assert!(f[0].message.contains("<x2/>"));
    let f = run("<b0>قال <i1>الرئيس</i1></b0>.", "<b0>The <i1>president</b0> said</i1>.");
    assert_eq!(rules(&f), vec![Rule::Tags]);
    assert!(f[0].message.contains("nested"), "{}", f[0].message);
}

#[test]
fn tags_of_markup_pair_by_their_ids() {
    let mut seg = Segment::new(1, "خمسة", "five");
    seg.source_markup = Some(r#"<bpt i="1">&lt;b&gt;</bpt>خمسة<ept i="1">&lt;/b&gt;</ept>"#.into());
    seg.target_markup = Some(r#"<bpt i="1">&lt;b&gt;</bpt>five<ept i="1">&lt;/b&gt;</ept>"#.into());
    assert!(check_segment(&seg, &CheckOptions::default(), None).is_empty());
    seg.target_markup = Some(r#"<bpt i="1">&lt;b&gt;</bpt>five"#.into());
    let f = check_segment(&seg, &CheckOptions::default(), None);
    assert_eq!(rules(&f), vec![Rule::Tags, Rule::Tags]);
    assert!(f[0].message.contains("ept"));
    assert!(f[1].message.contains("never closed"), "{}", f[1].message);
}

#[test]
fn empty_and_untranslated_targets_are_the_only_finding() {
    let f = run("وصل الوفد عام ٢٠٢٤.", "  ");
    assert_eq!(rules(&f), vec![Rule::Empty]);
    assert_eq!(f[0].severity, Severity::Error);
    let f = run("وصل الوفد عام ٢٠٢٤.", "وصل الوفد عام ٢٠٢٤. ");
    assert_eq!(rules(&f), vec![Rule::Untranslated]);
    // A target left mostly in Arabic is flagged, and the other rules still run.
    let f = run("وصل الوفد عام ٢٠٢٤.", "The وفد وصل عام 2024.");
    assert_eq!(rules(&f), vec![Rule::Untranslated]);
    assert!(f[0].message.contains("mostly"));
    // A Latin source copied (a name, a number) is a translation.
    assert!(run("BBC", "BBC").is_empty());
    // Into Arabic script, identical is not untranslated.
    let ar = CheckOptions::for_target_language("fa");
    assert!(check_segment(&Segment::new(1, "ایران", "ایران"), &ar, None).is_empty());
}

#[test]
fn spaces() {
    let seg = Segment::new(1, "وصل الوفد.", "The  delegation arrived. ");
    let f = check_segment(&seg, &CheckOptions::default(), None);
    assert_eq!(rules(&f), vec![Rule::DoubleSpace, Rule::EdgeSpace]);
    assert_eq!(f[0].target_span.unwrap().text(&seg.target), "  ");
    assert_eq!(f[1].target_span.unwrap().text(&seg.target), " ");
    let f = run(" وصل الوفد.", "The delegation arrived.");
    assert_eq!(rules(&f), vec![Rule::EdgeSpace]);
    assert!(f[0].message.contains("source has leading"));
}

#[test]
fn final_punctuation_is_mirrored() {
    assert!(run("هل وصل الوفد؟", "Did the delegation arrive?").is_empty());
    assert!(run("قال: «وصلنا».", "He said: \"We arrived.\"").is_empty());
    let seg = Segment::new(1, "هل وصل الوفد؟", "Did the delegation arrive.");
    let f = check_segment(&seg, &CheckOptions::default(), None);
    assert_eq!(rules(&f), vec![Rule::EndPunctuation]);
    assert_eq!(f[0].source_span.unwrap().text(&seg.source), "؟");
    assert_eq!(f[0].target_span.unwrap().text(&seg.target), ".");
    assert_eq!(
        rules(&run("وصل الوفد!", "The delegation arrived")),
        vec![Rule::EndPunctuation]
    );
    let f = run("هل وصل الوفد؟", "Did the delegation arrive؟");
    assert_eq!(rules(&f), vec![Rule::ArabicPunctuation]);
    assert!(f[0].message.contains('?'));
}

#[test]
fn unbalanced_marks_in_the_target() {
    assert!(run("قال (الرئيس) ذلك.", "The (president) said so.").is_empty());
    let seg = Segment::new(1, "قال (الرئيس) ذلك.", "The (president said so.");
    let f = check_segment(&seg, &CheckOptions::default(), None);
    assert_eq!(rules(&f), vec![Rule::Unbalanced]);
    assert_eq!(f[0].target_span.unwrap().text(&seg.target), "(");
    assert_eq!(rules(&run("قال «نعم».", "He said \"yes.")), vec![Rule::Unbalanced]);
    // A quotation that runs on past the segment in the source may in the target too.
    assert!(run("قال «نعم.", "He said \"yes.").is_empty());
    // Quotes inside a tag's attributes are not text.
    assert!(run("<g id=\"1\">نعم</g>.", "<g id=\"1\">Yes</g>.").is_empty());
}

#[test]
fn rules_can_be_switched_off() {
    let opts = CheckOptions {
        rules: vec![Rule::Tags],
        ..CheckOptions::default()
    };
    assert!(check_segment(&Segment::new(1, "عام ٢٠٢٤.", "In 2025"), &opts, None).is_empty());
    assert_eq!(Rule::parse("end-punctuation"), Some(Rule::EndPunctuation));
    for r in Rule::ALL {
        assert_eq!(Rule::parse(r.id()), Some(r));
    }
}
