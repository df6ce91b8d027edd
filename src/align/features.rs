//! Per-sentence features used by the bead scores: length, numbers, Latin tokens, punctuation,
//! name skeletons and normalized word tokens for lexicon lookup.
//!
//! Invariants: every feature is computed from the sentence text alone (no dictionary); all
//! vectors of keys are sorted so that two spans can be compared by a linear merge.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// A 64-bit key for a normalized token (numbers, Latin words, skeletons).
pub(crate) fn key(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Value of a decimal digit in any of the digit scripts we meet in Arabic and English text.
pub(crate) fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

/// Arabic diacritics (tashkeel), the superscript alef and Quranic marks.
fn is_tashkeel(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// Orthographic normalization of one Arabic word for lexicon lookup: strips tashkeel and tatweel,
/// unifies alef forms (أ إ آ ٱ → ا), ى → ي and ة → ه.
pub(crate) fn normalize_ar_word(w: &str) -> String {
    w.chars()
        .filter(|&c| !is_tashkeel(c) && c != '\u{0640}')
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            c => c,
        })
        .collect()
}

/// Strips the common proclitics (و ف ب ل ك and the article ال, in the combinations Arabic
/// allows) from a normalized Arabic word, keeping at least two letters of stem.
pub(crate) fn strip_proclitics(w: &str) -> &str {
    let mut s = w;
    // conjunction و / ف
    for p in ["و", "ف"] {
        if let Some(rest) = s.strip_prefix(p) {
            if rest.chars().count() >= 3 {
                s = rest;
                break;
            }
        }
    }
    // preposition + article (بال كال لل) or article alone, or a bare preposition
    for p in ["بال", "كال", "لل", "ال", "ب", "ل", "ك"] {
        if let Some(rest) = s.strip_prefix(p) {
            if rest.chars().count() >= 2 {
                return rest;
            }
        }
    }
    s
}

/// English lookup form: lower case, possessive `'s` and a plural `s` removed.
pub(crate) fn normalize_en_word(w: &str) -> String {
    let mut l = w.to_lowercase();
    if l.ends_with("'s") || l.ends_with("’s") {
        l.truncate(l.len() - if l.ends_with("'s") { 2 } else { 4 });
    }
    if l.len() > 3 && l.ends_with('s') && !l.ends_with("ss") {
        l.pop();
    }
    l
}

/// Letters, digits, Arabic marks and tatweel; the ASCII and Arabic blocks are decided without
/// the (slow) general Unicode tables.
fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\0'..='\u{7f}' => false,
        '\u{0621}'..='\u{065F}' | '\u{0660}'..='\u{0669}' | '\u{066E}'..='\u{06D3}' => true,
        '\u{06D5}' | '\u{06E5}' | '\u{06E6}' | '\u{06EE}'..='\u{06FF}' => true,
        '\u{0600}'..='\u{06FF}' => is_tashkeel(c),
        _ => c.is_alphanumeric() || is_tashkeel(c) || c == '\u{0640}',
    }
}

/// Splits text into word tokens: maximal runs of letters, digits, Arabic marks and tatweel
/// (apostrophes inside a Latin word are kept).
pub(crate) fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let inner_apos = (c == '\'' || c == '’')
            && k > 0
            && chars[k - 1].1.is_ascii_alphabetic()
            && chars.get(k + 1).is_some_and(|n| n.1.is_ascii_alphabetic());
        let w = is_word_char(c) || inner_apos;
        match (w, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// Numbers in any digit script, as digit strings without group or decimal separators and
/// without leading zeros (٢٠٢٢ → "2022", 1,000 → "1000", 3.5 → "35").
pub(crate) fn numbers(text: &str) -> Vec<u64> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        if let Some(d) = digit_value(c) {
            cur.push(char::from_digit(d, 10).unwrap_or('0'));
        } else if !cur.is_empty()
            && matches!(c, ',' | '.' | '٫' | '٬' | '،')
            && chars.get(k + 1).and_then(|&n| digit_value(n)).is_some()
            && c != '،'
        {
            // separator between digits: part of the number
        } else if !cur.is_empty() {
            push_number(&mut out, &cur);
            cur.clear();
        }
        k += 1;
    }
    if !cur.is_empty() {
        push_number(&mut out, &cur);
    }
    out.sort_unstable();
    out
}

fn push_number(out: &mut Vec<u64>, digits: &str) {
    let t = digits.trim_start_matches('0');
    out.push(key(if t.is_empty() { "0" } else { t }));
}

/// Counts of the punctuation anchors of a sentence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Punct {
    /// Quotation marks (" “ ” « » and quote-like single quotes).
    pub quotes: u16,
    /// Question marks (? ؟).
    pub questions: u16,
    /// Parentheses and brackets.
    pub parens: u16,
    /// Exclamation marks.
    pub exclaims: u16,
}

impl Punct {
    pub(crate) fn of(text: &str) -> Punct {
        let mut p = Punct::default();
        let chars: Vec<char> = text.chars().collect();
        for (k, &c) in chars.iter().enumerate() {
            match c {
                '"' | '“' | '”' | '«' | '»' | '„' => p.quotes += 1,
                '\'' | '‘' | '’' => {
                    // a single quote used as a quotation mark, not an apostrophe inside a word
                    let before = k > 0 && chars[k - 1].is_alphanumeric();
                    let after = chars.get(k + 1).is_some_and(|n| n.is_alphanumeric());
                    if before != after && !(before && matches!(chars.get(k + 1), Some('s'))) {
                        p.quotes += 1;
                    }
                }
                '?' | '؟' => p.questions += 1,
                '(' | ')' | '[' | ']' => p.parens += 1,
                '!' => p.exclaims += 1,
                _ => {}
            }
        }
        p
    }

    pub(crate) fn add(self, o: Punct) -> Punct {
        Punct {
            quotes: self.quotes + o.quotes,
            questions: self.questions + o.questions,
            parens: self.parens + o.parens,
            exclaims: self.exclaims + o.exclaims,
        }
    }
}

/// Consonant class of a Latin letter for name skeletons (see [`ar_skeleton`]).
fn latin_class(c: char) -> Option<char> {
    Some(match c.to_ascii_lowercase() {
        'b' | 'p' | 'v' | 'f' => 'B',
        't' | 'd' => 'T',
        'k' | 'c' | 'q' | 'g' | 'x' => 'K',
        'j' => 'J',
        's' | 'z' => 'S',
        'm' => 'M',
        'n' => 'N',
        'l' => 'L',
        'r' => 'R',
        'h' => 'H',
        'w' => 'W',
        'y' => 'Y',
        _ => return None,
    })
}

/// Consonant skeleton of an English word (vowels dropped, digraphs folded, doubles collapsed).
pub(crate) fn en_skeleton(w: &str) -> String {
    let lower: Vec<char> = w.to_lowercase().chars().collect();
    let mut out = String::new();
    let mut k = 0;
    while k < lower.len() {
        let c = lower[k];
        let next = lower.get(k + 1).copied();
        let (cls, step) = match (c, next) {
            ('s', Some('h')) => (Some('S'), 2),
            ('c', Some('h')) => (Some('S'), 2),
            ('t', Some('h')) => (Some('T'), 2),
            ('p', Some('h')) => (Some('B'), 2),
            ('g', Some('h')) => (None, 2),
            ('k', Some('h')) => (Some('K'), 2),
            ('c', Some('e' | 'i' | 'y')) => (Some('S'), 1),
            ('y', _) if k == 0 => (Some('Y'), 1),
            ('y', _) => (None, 1),
            ('w', _) if k == 0 => (Some('W'), 1),
            ('w', _) => (None, 1),
            ('h', _) if k > 0 => (None, 1),
            _ => (latin_class(c), 1),
        };
        if let Some(cl) = cls {
            if !out.ends_with(cl) {
                out.push(cl);
            }
        }
        k += step;
    }
    out
}

/// Consonant skeleton of an Arabic word (a transliterated name): long vowels ا و ي are dropped
/// except at the start, where و and ي are consonants; letters map to the classes of
/// [`en_skeleton`].
pub(crate) fn ar_skeleton(w: &str) -> String {
    let mut out = String::new();
    for (k, c) in w.chars().enumerate() {
        let cls = match c {
            'ب' | 'ف' | 'پ' | 'ڤ' => Some('B'),
            'ت' | 'ط' | 'د' | 'ض' | 'ث' | 'ذ' => Some('T'),
            'ك' | 'ق' | 'غ' | 'خ' | 'گ' => Some('K'),
            'ج' => Some('J'),
            'س' | 'ص' | 'ز' | 'ظ' | 'ش' => Some('S'),
            'م' => Some('M'),
            'ن' => Some('N'),
            'ل' => Some('L'),
            'ر' => Some('R'),
            'ه' | 'ح' => Some('H'),
            'و' if k == 0 => Some('W'),
            'ي' if k == 0 => Some('Y'),
            _ => None,
        };
        if let Some(cl) = cls {
            if !out.ends_with(cl) {
                out.push(cl);
            }
        }
    }
    // Arabic often writes an English initial "h" or "ch" differently: keep as is.
    out
}

/// Returns true when the token looks like a capitalized English word (a name candidate).
pub(crate) fn is_capitalized(w: &str) -> bool {
    let mut cs = w.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_uppercase())
        && cs.all(|c| c.is_ascii_alphabetic() || c == '\'' || c == '’')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_any_script_agree() {
        assert_eq!(numbers("عام ٢٠٢٢ و ۱۲"), numbers("in 2022 and 12"));
        assert_eq!(numbers("1,000"), numbers("١٬٠٠٠"));
        assert_ne!(numbers("2013"), numbers("2014"));
        assert!(numbers("لا أرقام").is_empty());
    }

    #[test]
    fn arabic_normalization_and_clitics() {
        assert_eq!(normalize_ar_word("أَحْمَد"), "احمد");
        assert_eq!(normalize_ar_word("مدرسـة"), "مدرسه");
        assert_eq!(normalize_ar_word("مستشفى"), "مستشفي");
        assert_eq!(strip_proclitics("والمدرسه"), "مدرسه");
        assert_eq!(strip_proclitics("بالبيت"), "بيت");
        assert_eq!(strip_proclitics("للبيت"), "بيت");
        // too short to strip
        assert_eq!(strip_proclitics("بل"), "بل");
    }

    #[test]
    fn skeletons_of_transliterated_names_meet() {
        assert_eq!(ar_skeleton(&normalize_ar_word("دالي")), en_skeleton("Daley"));
        assert_eq!(ar_skeleton(&normalize_ar_word("ترامب")), en_skeleton("Trump"));
        assert_eq!(ar_skeleton(&normalize_ar_word("لافيرن")), en_skeleton("Laverne"));
    }

    #[test]
    fn words_and_punctuation() {
        assert_eq!(words("Daley's \"hope.\" (24)"), vec!["Daley's", "hope", "24"]);
        let p = Punct::of("قال: \"الأمل\"؟ (نعم)");
        assert_eq!((p.quotes, p.questions, p.parens), (2, 1, 2));
        let e = Punct::of("He's 'inferior' over it?");
        assert_eq!((e.quotes, e.questions), (2, 1));
    }
}
