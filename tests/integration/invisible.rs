//! Invisible marks (LRM, RLM, ALM, ZWSP, WJ, SHY, BOM, bidi embeddings, overrides and isolates)
//! inside or beside a word: matching, concordance and segmentation look through them, and stored
//! text keeps them byte for byte.
use crate::common::{json_lines, units, Env};

/// Each mark the issue names, by code point.
const MARKS: [char; 16] = [
    '\u{200E}', '\u{200F}', '\u{061C}', '\u{200B}', '\u{2060}', '\u{00AD}', '\u{FEFF}', '\u{202A}', '\u{202B}',
    '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

#[test]
fn a_mark_inside_a_word_does_not_split_it_for_matching_or_concordance() {
    for mark in MARKS {
        let env = Env::new();
        let source = format!("الرئ{mark}يس");
        env.import_stdin(format!("{source}\tThe president\n"));
        assert_eq!(units(&env.tm())[0].source, source, "stored byte for byte");
        let found = json_lines(env.mizan().args(["match", "--json", "الرئيس"]).output().unwrap());
        let score = found[0]["matches"][0]["score"].as_f64();
        assert!(score.is_some_and(|s| s >= 95.0), "U+{:04X}: {found:?}", mark as u32);
        let hits = json_lines(env.mizan().args(["concordance", "--json", "الرئيس"]).output().unwrap());
        assert_eq!(hits.len(), 1, "U+{:04X}", mark as u32);
        assert_eq!(hits[0]["source"], source.as_str());
    }
}

#[test]
fn marks_in_a_sentence_change_neither_its_match_nor_its_words() {
    let env = Env::new();
    env.import_stdin(
        "قال الرئ\u{200E}يس إن \u{2067}الوضع\u{2069} صعب\u{200F}\tThe president said the situation is hard\n",
    );
    let found = json_lines(
        env.mizan()
            .args(["match", "--json", "قال الرئيس إن الوضع صعب"])
            .output()
            .unwrap(),
    );
    assert!(found[0]["matches"][0]["score"].as_f64().unwrap() >= 95.0, "{found:?}");
}

#[test]
fn a_mark_inside_an_abbreviation_does_not_end_the_sentence() {
    let env = Env::new();
    let text = "التقى د\u{202A}.\u{202C} ديفيد بالوزير. ثم غادر\u{200F}. وعاد أ\u{200F}. محمد.\n";
    let out = env
        .mizan()
        .args(["segment", "--lang", "ar", "--json"])
        .write_stdin(text)
        .output()
        .unwrap();
    let segs: Vec<String> = json_lines(out)
        .iter()
        .map(|s| s["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        segs,
        [
            "التقى د\u{202A}.\u{202C} ديفيد بالوزير.",
            "ثم غادر\u{200F}.",
            "وعاد أ\u{200F}. محمد.",
        ]
    );
}
