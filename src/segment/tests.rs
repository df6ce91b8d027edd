use super::*;

fn texts(text: &str, lang: &str) -> Vec<String> {
    segment(text, lang).into_iter().map(|s| s.text).collect()
}

fn data(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/segment")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Replaces `\u{XXXX}` escapes (used in the gold files for invisible characters).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("\\u{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let close = after.find('}').expect("unclosed \\u{ escape in gold file");
        let code = u32::from_str_radix(&after[..close], 16).expect("bad hex in gold file");
        out.push(char::from_u32(code).expect("bad code point in gold file"));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// One gold case: id, input, expected segments.
struct Case {
    id: String,
    input: String,
    expected: Vec<String>,
}

/// Parses the gold format described in `tests/data/segment/README.md`.
fn gold(name: &str) -> Vec<Case> {
    let text = data(name);
    let mut cases = Vec::new();
    let mut current: Option<(String, Vec<&str>, Vec<&str>, bool)> = None;
    let finish = |c: Option<(String, Vec<&str>, Vec<&str>, bool)>, cases: &mut Vec<Case>| {
        if let Some((id, input, expected, _)) = c {
            cases.push(Case {
                id,
                input: unescape(&input.join("\n")),
                expected: expected
                    .iter()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| unescape(l))
                    .collect(),
            });
        }
    };
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("=== ") {
            finish(current.take(), &mut cases);
            let id = header.split_whitespace().next().unwrap_or("").to_string();
            current = Some((id, Vec::new(), Vec::new(), false));
        } else if let Some((_, input, expected, in_expected)) = current.as_mut() {
            if line == "---" && !*in_expected {
                *in_expected = true;
            } else if *in_expected {
                expected.push(line);
            } else {
                input.push(line);
            }
        }
    }
    finish(current, &mut cases);
    cases
}

fn check_gold(name: &str, lang: &str, min_cases: usize) {
    let cases = gold(name);
    assert!(
        cases.len() >= min_cases,
        "{name}: {} cases, expected at least {min_cases}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let got = texts(&case.input, lang);
        if got != case.expected {
            failures.push(format!(
                "[{}]\n  expected: {:#?}\n  got:      {:#?}",
                case.id, case.expected, got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {name} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn builtin_rules_compile() {
    for lang in ["ar", "en", "und"] {
        let s = Segmenter::from_srx(BUILTIN_SRX, lang);
        assert!(s.is_ok(), "{lang}: {:?}", s.err());
    }
}

#[test]
fn seed_article_matches_gold() {
    let got = texts(&data("seed-article.ar.txt"), "ar");
    let gold = data("seed-article.gold.txt");
    let expected: Vec<&str> = gold.lines().collect();
    assert_eq!(got, expected);
}

#[test]
fn arabic_gold_set() {
    check_gold("ar.gold", "ar", 150);
}

#[test]
fn english_gold_set() {
    check_gold("en.gold", "en", 50);
}

/// Checks the module invariants of one segmentation of `text`.
fn check_invariants(text: &str, segs: &[Segment]) {
    let chars: Vec<char> = text.chars().collect();
    let mut covered = vec![false; chars.len()];
    let mut prev_end = 0usize;
    let mut prev_para = 0usize;
    for (i, s) in segs.iter().enumerate() {
        assert_eq!(s.index, i);
        assert!(s.start < s.end && s.end <= chars.len(), "{s:?}");
        assert!(s.start >= prev_end, "segments overlap or are out of order: {s:?}");
        assert!(s.paragraph >= prev_para);
        let slice: String = chars[s.start..s.end].iter().collect();
        assert_eq!(slice, s.text);
        assert!(
            !s.text.starts_with(is_trimmable) && !s.text.ends_with(is_trimmable),
            "{s:?}"
        );
        assert!(!s.text.contains(is_line_break), "a segment crosses a line break: {s:?}");
        covered[s.start..s.end].iter_mut().for_each(|c| *c = true);
        prev_end = s.end;
        prev_para = s.paragraph;
    }
    // Everything not in a segment is white space, an invisible mark or a line break: putting the
    // dropped characters back in order gives the input.
    for (i, &c) in chars.iter().enumerate() {
        assert!(
            covered[i] || is_trimmable(c) || is_line_break(c),
            "character {c:?} at {i} was lost"
        );
    }
}

#[test]
fn offsets_are_character_offsets_and_paragraphs_count_blocks() {
    let text = "\u{feff}  عنوان الخبر\r\nقال د. أحمد: «نعم». وغادر.\n\n\n  سطر\u{2029}آخر  \n";
    let segs = segment(text, "ar");
    check_invariants(text, &segs);
    let got: Vec<(&str, usize)> = segs.iter().map(|s| (s.text.as_str(), s.paragraph)).collect();
    assert_eq!(
        got,
        [
            ("عنوان الخبر", 0),
            ("قال د. أحمد: «نعم».", 0),
            ("وغادر.", 0),
            ("سطر", 1),
            ("آخر", 1)
        ]
    );
    assert_eq!(segs[0].start, 3);
    assert_eq!(segs[1].start, 3 + "عنوان الخبر".chars().count() + 2);
}

#[test]
fn language_tags_choose_rule_sets() {
    let ar = "وصل د. أحمد. وغادر.";
    assert_eq!(texts(ar, "ar-SA"), texts(ar, "AR"));
    assert_eq!(texts(ar, "ar").len(), 2);
    assert_eq!(
        Segmenter::for_language("en-US")
            .segment("Mr. Smith left. He is back.")
            .len(),
        2
    );
    // The generic default has no abbreviation list but still splits sentences.
    assert_eq!(texts("Hallo Welt. Wie geht es?", "de"), ["Hallo Welt.", "Wie geht es?"]);
    assert_eq!(
        texts("こんにちは。元気ですか？", "ja"),
        ["こんにちは。", "元気ですか？"]
    );
}

#[test]
fn empty_and_blank_inputs_give_nothing() {
    for t in ["", "\n", "  \n\t\n\u{200f}\n", "\r\n\r\n"] {
        assert!(segment(t, "ar").is_empty(), "{t:?}");
    }
}

#[test]
fn invisible_marks_change_no_break() {
    assert_eq!(
        texts(
            "التقى د\u{202A}.\u{202C} ديفيد بالوزير. ثم غادر\u{200F}.\u{200F} وعاد.",
            "ar"
        ),
        ["التقى د\u{202A}.\u{202C} ديفيد بالوزير.", "ثم غادر\u{200F}.", "وعاد."]
    );
    assert_eq!(
        texts("Dr\u{00AD}.\u{2060} Who came.\u{2069} He left.", "en"),
        ["Dr\u{00AD}.\u{2060} Who came.", "He left."]
    );
}

fn srx_with(rules: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<srx version=\"2.0\">\n<header cascade=\"no\"/>\n<body>\n<languagerules>\n\
         <languagerule languagerulename=\"X\">\n{rules}\n</languagerule>\n</languagerules>\n<maprules>\n\
         <languagemap languagepattern=\"ar.*\" languagerulename=\"X\"/>\n</maprules>\n</body>\n</srx>\n"
    )
}

#[test]
fn user_srx_rules_apply_in_order() {
    let srx = srx_with(
        "<rule break=\"no\"><beforebreak>\\bد\\.</beforebreak><afterbreak>\\s</afterbreak></rule>\n\
         <rule break=\"yes\"><beforebreak>[.\\u061F]</beforebreak><afterbreak>\\s</afterbreak></rule>",
    );
    let s = Segmenter::from_srx(&srx, "ar-EG").unwrap();
    let got: Vec<String> = s
        .segment("زار د. علي المدينة. هل عاد؟ نعم.")
        .into_iter()
        .map(|s| s.text)
        .collect();
    assert_eq!(got, ["زار د. علي المدينة.", "هل عاد؟", "نعم."]);
}

#[test]
fn srx_errors_say_what_to_fix_and_where() {
    let bad =
        srx_with("<rule break=\"yes\">\n<beforebreak>(?&lt;!Mr)\\.</beforebreak><afterbreak>\\s</afterbreak></rule>");
    let err = Segmenter::from_srx(&bad, "ar").unwrap_err();
    assert!(matches!(err, SrxError::UnsupportedRegex { line: 7, .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.starts_with("SRX line 7:") && msg.contains("(?<!") && msg.contains("<beforebreak>"),
        "{msg}"
    );

    let err = Segmenter::from_srx(&srx_with("<rule><beforebreak>[.</beforebreak></rule>"), "ar").unwrap_err();
    assert!(matches!(err, SrxError::BadRegex { line: 7, .. }), "{err:?}");
    assert!(err.to_string().contains("not a valid regular expression"));

    let err = Segmenter::from_srx(&srx_with(""), "en").unwrap_err();
    assert_eq!(err, SrxError::NoRulesForLanguage { lang: "en".into() });
    assert!(err.to_string().contains("languagepattern=\".*\""));

    let err = Segmenter::from_srx("<srx><body><languagerules></srx>", "ar").unwrap_err();
    assert!(matches!(err, SrxError::Xml { line: 1, .. }), "{err:?}");

    let err = Segmenter::from_srx("<html/>", "ar").unwrap_err();
    assert_eq!(err, SrxError::NotSrx);

    let unknown = "<srx><body><maprules>\n<languagemap languagepattern=\".*\" languagerulename=\"Nope\"/></maprules></body></srx>";
    let err = Segmenter::from_srx(unknown, "ar").unwrap_err();
    assert_eq!(
        err,
        SrxError::UnknownLanguageRule {
            line: 2,
            name: "Nope".into()
        }
    );
    assert!(err.to_string().contains("no <languagerule> has that name"));

    let err = Segmenter::from_srx(&srx_with("<rule break=\"maybe\"/>"), "ar").unwrap_err();
    assert!(matches!(err, SrxError::BadYesNo { line: 7, .. }), "{err:?}");
}

#[test]
fn big_and_hostile_inputs_finish() {
    let mb = 1 << 20;
    // 1 MB on one line, and the worst patterns for the rules (a candidate at every second
    // character; enumerations that make before-patterns scan their whole window) at 256 KB.
    let q = mb / 4;
    let inputs = [
        "a".repeat(mb),
        "وقال المتحدث إن الاجتماع انتهى… ".repeat(mb / 60),
        ".".repeat(q),
        ". ".repeat(q / 2),
        "؟! ".repeat(q / 6),
        "د. ".repeat(q / 4),
        "1. ".repeat(q / 3),
        format!(": 1. {}", "x 2. ".repeat(q / 5)),
    ];
    for text in &inputs {
        for lang in ["ar", "en", "xx"] {
            let segs = segment(text, lang);
            assert!(!segs.is_empty());
            assert_eq!(segs.last().map(|s| s.end), Some(text.trim_end().chars().count()));
        }
    }
    // A user rule that can match anywhere makes every position a candidate; still bounded work.
    let srx = srx_with("<rule break=\"yes\"><beforebreak>.*x</beforebreak><afterbreak>.*</afterbreak></rule>");
    let s = Segmenter::from_srx(&srx, "ar").unwrap();
    let text = "yx".repeat(mb / 8);
    assert_eq!(s.segment(&text).len(), mb / 8);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn newsy_char() -> impl Strategy<Value = char> {
        prop::sample::select(vec![
            '.', '.', '.', '؟', '!', '?', '…', '"', '»', '«', '”', '“', '(', ')', ':', '،', '؛', ' ', ' ', ' ', '\n',
            '\r', '\u{200f}', '\u{a0}', '1', '٥', 'د', 'م', 'ق', 'ه', 'ـ', 'و', 'ل', 'U', 'S', 'a', 'D', 'r',
            '\u{2029}', '\u{feff}',
        ])
    }

    fn news_token() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "وقال",
            "قال",
            "تساءل",
            "كما",
            "إلخ",
            "د",
            "أ",
            "م",
            "هـ",
            "ق",
            "ب",
            "ص",
            "الجزيرة",
            "نت",
            "The",
            "He",
            "Mr",
            "U",
            "S",
            "D",
            "C",
            "e",
            "g",
            "etc",
            "Inc",
            "Oct",
            "a",
            "m",
            "17",
            "1",
            "2",
            "٥",
            "2019",
            ".",
            ".",
            ".",
            "؟",
            "!",
            "?",
            "…",
            "...",
            ":",
            "،",
            "؛",
            "«",
            "»",
            "\"",
            "”",
            "“",
            "(",
            ")",
            "[",
            "]",
            " ",
            " ",
            " ",
            "\u{200f}",
            "\u{a0}",
            "@",
            "•",
        ])
    }

    /// SRX semantics spelled out: at every position try every rule in order on the whole line;
    /// the first that matches decides. The engine must agree with it (candidate filtering,
    /// break-rules-first evaluation and bounded windows are optimisations, not changes).
    fn naive_breaks(segmenter: &Segmenter, line: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for (pos, _) in line.char_indices().skip(1) {
            for rule in &segmenter.rules.rules {
                let after_ok = rule
                    .after
                    .as_ref()
                    .is_none_or(|re| re.is_match(Input::new(line).span(pos..line.len()).anchored(Anchored::Yes)));
                let before_ok = rule
                    .before
                    .as_ref()
                    .is_none_or(|re| re.is_match(Input::new(&line[..pos])));
                if after_ok && before_ok {
                    if rule.is_break {
                        out.push(pos);
                    }
                    break;
                }
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn engine_agrees_with_naive_srx_semantics_on_news_tokens(tokens in prop::collection::vec(news_token(), 0..60)) {
            let line: String = tokens.concat();
            for lang in ["ar", "en"] {
                let segmenter = Segmenter::for_language(lang);
                let mut fast = Vec::new();
                segmenter.rules.breaks(&line, &mut fast);
                prop_assert_eq!(fast, naive_breaks(&segmenter, &line), "{} {:?}", lang, line);
            }
        }

        #[test]
        fn engine_agrees_with_naive_srx_semantics(chars in prop::collection::vec(newsy_char(), 0..200)) {
            let line: String = chars.into_iter().filter(|&c| !is_line_break(c)).collect();
            for lang in ["ar", "en"] {
                let segmenter = Segmenter::for_language(lang);
                let mut fast = Vec::new();
                segmenter.rules.breaks(&line, &mut fast);
                prop_assert_eq!(fast, naive_breaks(&segmenter, &line), "{} {:?}", lang, line);
            }
        }

        /// Marks sprinkled anywhere into a line give the segments of the line without them, with
        /// the marks back in place: the rules never see a mark.
        #[test]
        fn marks_anywhere_give_the_same_segments(
            tokens in prop::collection::vec(news_token(), 0..40),
            marks in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(vec!['\u{200E}', '\u{200F}', '\u{061C}', '\u{200B}', '\u{2060}', '\u{00AD}', '\u{FEFF}', '\u{202B}', '\u{202C}', '\u{2067}', '\u{2069}'])), 0..12),
        ) {
            let unmark = |s: &str| s.chars().filter(|c| !crate::text::is_invisible_mark(*c)).collect::<String>();
            let plain = unmark(&tokens.concat());
            let mut chars: Vec<char> = plain.chars().collect();
            for (at, mark) in &marks {
                chars.insert(at.index(chars.len() + 1), *mark);
            }
            let marked: String = chars.into_iter().collect();
            for lang in ["ar", "en"] {
                let want: Vec<String> = texts(&plain, lang);
                let got: Vec<String> = texts(&marked, lang).iter().map(|s| unmark(s)).filter(|s| !s.trim().is_empty()).collect();
                prop_assert_eq!(&got, &want, "{} {:?}", lang, marked);
                check_invariants(&marked, &segment(&marked, lang));
            }
        }

        #[test]
        fn any_unicode_loses_nothing(text in any::<String>(), lang in prop::sample::select(vec!["ar", "en", "fr"])) {
            check_invariants(&text, &segment(&text, lang));
        }

        #[test]
        fn punctuation_soup_loses_nothing(chars in prop::collection::vec(newsy_char(), 0..400)) {
            let text: String = chars.into_iter().collect();
            for lang in ["ar", "en"] {
                check_invariants(&text, &segment(&text, lang));
            }
        }
    }
}
