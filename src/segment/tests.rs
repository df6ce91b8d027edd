use super::*;

fn texts(text: &str, lang: &str) -> Vec<String> {
    segment(text, lang).into_iter().map(|s| s.text).collect()
}

fn data(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/segment").join(name);
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
                expected: expected.iter().filter(|l| !l.trim().is_empty()).map(|l| unescape(l)).collect(),
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
    assert!(cases.len() >= min_cases, "{name}: {} cases, expected at least {min_cases}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let got = texts(&case.input, lang);
        if got != case.expected {
            failures.push(format!("[{}]\n  expected: {:#?}\n  got:      {:#?}", case.id, case.expected, got));
        }
    }
    assert!(failures.is_empty(), "{} of {} {name} cases fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
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
