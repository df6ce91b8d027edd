//! Per-sentence features used by the bead scores: length, numbers, Latin tokens, punctuation,
//! name skeletons and the words for lexicon lookup.
//!
//! Invariants:
//! - Every feature is computed from the sentence text alone (no dictionary).
//! - All vectors of keys are sorted so that two spans can be compared by a linear merge.
//! - The text rules are [`crate::text`]'s, the same as segmentation and fuzzy matching use: a
//!   sentence is cut once by [`text::tokenize`] (words, numbers, punctuation; inline tags are
//!   skipped), words and numbers are compared in their matching form ([`text::normalize`]:
//!   Arabic letter forms folded, tashkeel and tatweel removed, digits of any script read as
//!   Western digits, Arabic punctuation and quotation styles folded, lower case), and Arabic
//!   clitics are removed with [`text::stem_key`]. This module adds only what is the aligner's
//!   own: number keys, the punctuation anchors and the consonant skeletons of names.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use crate::text::{self, TokenKind};

/// A 64-bit key for a normalized token (numbers, Latin words, skeletons).
pub(crate) fn key(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// One word of a sentence as [`text::tokenize`] cut it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    /// The word as written (for the capital of an English name).
    pub raw: &'a str,
    /// Its matching form ([`text::Token::norm`]).
    pub norm: String,
}

/// What the features read from a sentence: one pass of [`text::tokenize`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Tokens<'a> {
    /// Word tokens in text order.
    pub words: Vec<Word<'a>>,
    /// Keys of the number tokens ([`number_key`]), sorted.
    pub numbers: Vec<u64>,
    /// The punctuation anchors among the punctuation tokens.
    pub punct: Punct,
    /// Characters that are not content: those of inline tags (`<seg id="1">`, `</b0>`) and
    /// control or invisible format characters (zero-width and bidirectional marks, BOM), not
    /// counting white space. The length model subtracts them.
    pub markup: usize,
}

/// A control or invisible format character (zero-width space and joiners, bidirectional
/// marks and isolates, BOM, soft hyphen): not content for the length model.
pub(crate) fn is_invisible(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(c, '\u{00AD}' | '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Number keys of the number words among `words` ([`text::anchor_number_word`]); an Arabic
/// unit followed by `عشر` / `عشرة` is a teen (`ثلاثة عشر` → 13).
fn number_words(words: &[Word<'_>]) -> Vec<u64> {
    let look = |w: &str| text::anchor_number_word(w);
    let ten = text::normalize("عشرة");
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        if let Some(v) = look(&words[k].norm) {
            let teen = v < 10 && words.get(k + 1).is_some_and(|n| n.norm == ten || n.norm == "عشر");
            out.push(number_key(&(if teen { v + 10 } else { v }).to_string()));
            k += usize::from(teen);
        }
        k += 1;
    }
    out
}

/// Cuts a sentence into the words, numbers and punctuation anchors the features use.
pub(crate) fn tokens(s: &str) -> Tokens<'_> {
    let mut out = Tokens::default();
    for t in text::tokenize(s) {
        match t.kind {
            TokenKind::Word => out.words.push(Word {
                raw: t.raw(s),
                norm: t.norm,
            }),
            TokenKind::Number => out.numbers.push(number_key(&t.norm)),
            TokenKind::Punct => out.punct.count(&t.norm, &s[..t.start], &s[t.end..]),
            TokenKind::Tag => out.markup += s[t.start..t.end].chars().filter(|c| !c.is_whitespace()).count(),
        }
    }
    out.markup += s.chars().filter(|&c| is_invisible(c)).count();
    out.numbers.extend(number_words(&out.words));
    out.numbers.sort_unstable();
    out
}

/// Key of a number token's matching form (Western digits, `.` and `,` only between digits):
/// its digits without separators or leading zeros, so that ٢٠٢٢ = 2022, ١٬٠٠٠ = 1,000 = 1000
/// and ٣٫٥ = 3.5. Separators are dropped because their roles differ between writing styles
/// (1.000 is a thousand in some), at the price of 3.5 and 35 sharing a key.
fn number_key(norm: &str) -> u64 {
    let digits: String = norm.chars().filter(char::is_ascii_digit).collect();
    let t = digits.trim_start_matches('0');
    key(if t.is_empty() { "0" } else { t })
}

/// The lookup stem of an Arabic word given in matching form: [`text::stem_key`] (proclitics
/// و ف ب ل ك ال and pronoun suffixes removed while three letters remain), the key under which
/// the fuzzy matcher also takes two words for clitic variants. Other words are returned whole.
pub(crate) fn ar_stem(norm: &str) -> String {
    text::stem_key(norm).0
}

/// Counts of the punctuation anchors of a sentence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Punct {
    /// Quotation marks (every double quotation style, and single quotes used as quotation
    /// marks rather than apostrophes).
    pub quotes: u16,
    /// Question marks (? ؟).
    pub questions: u16,
    /// Parentheses and brackets.
    pub parens: u16,
    /// Exclamation marks.
    pub exclaims: u16,
}

impl Punct {
    /// The anchors of a sentence.
    #[cfg(test)]
    pub(crate) fn of(s: &str) -> Punct {
        tokens(s).punct
    }

    /// Counts one punctuation token, given in matching form (so « » “ ” „ are `"`, ‘ ’ are `'`
    /// and ؟ is `?`), with the text before and after it.
    fn count(&mut self, norm: &str, before: &str, after: &str) {
        match norm {
            "\"" => self.quotes += 1,
            "'" => {
                // A single quote used as a quotation mark: a word on one side only, and not the
                // `'s` of a possessive after a number (`1990's`). An apostrophe between two
                // letters is inside a word token already.
                let next = after.chars().next();
                let word_before = before.chars().next_back().is_some_and(char::is_alphanumeric);
                let word_after = next.is_some_and(char::is_alphanumeric);
                if word_before != word_after && !(word_before && next == Some('s')) {
                    self.quotes += 1;
                }
            }
            "?" => self.questions += 1,
            "(" | ")" | "[" | "]" => self.parens += 1,
            "!" => self.exclaims += 1,
            _ => {}
        }
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
        assert_eq!(numbers("٣٫٥ مليون"), numbers("3.5 million"));
        assert_eq!(numbers("007"), numbers("7"));
        assert_ne!(numbers("2013"), numbers("2014"));
        // The Arabic comma ends a number: two numbers, as in "2, 3".
        assert_eq!(numbers("٢،٣"), numbers("2, 3"));
        assert!(numbers("لا أرقام").is_empty());
        // Issue 14: number words of either language read as the digits they stand for.
        assert_eq!(numbers("قتل ستة أشخاص"), numbers("Six people were killed"));
        assert_eq!(numbers("٦ ملايين دولار"), numbers("six million dollars"));
        assert_eq!(numbers("ثلاثة عشر عاما"), numbers("13 years"));
        assert_eq!(numbers("وخمسة آلاف"), numbers("5 thousand"));
        assert!(numbers("one of the two").is_empty());
    }

    fn numbers(s: &str) -> Vec<u64> {
        tokens(s).numbers
    }

    #[test]
    fn words_come_from_the_shared_tokenizer() {
        let s = "Daley's \"hope.\" (24) <b0>Trump</b0>";
        let t = tokens(s);
        let raw: Vec<&str> = t.words.iter().map(|w| w.raw).collect();
        assert_eq!(raw, ["Daley's", "hope", "Trump"]);
        assert_eq!(t.words[0].norm, "daley's");
        assert_eq!(t.numbers.len(), 1);
        // Arabic words in matching form: tashkeel and tatweel gone, letter forms folded.
        let t = tokens("أَعْلَنَ الرئيـس في مستشفى المدينة");
        let norm: Vec<&str> = t.words.iter().map(|w| w.norm.as_str()).collect();
        assert_eq!(norm, ["اعلن", "الرئيس", "في", "مستشفي", "المدينه"]);
    }

    #[test]
    fn clitic_variants_share_a_stem() {
        let stem = |w: &str| ar_stem(&text::normalize(w));
        for w in ["الرئيس", "والرئيس", "للرئيس", "بالرئيس", "فالرئيس", "رئيس"] {
            assert_eq!(stem(w), "رئيس", "{w}");
        }
        assert_eq!(stem("بالمدينة"), stem("مدينتها"));
        assert_eq!(stem("وقال"), stem("قال"));
        // A two-letter stem keeps its article, the same with any other proclitic before it.
        assert_eq!(stem("بالحج"), "الحج");
        assert_eq!(stem("والحج"), stem("الحج"));
        // A short word keeps its first letter: و in ولد and وصل is a root letter.
        assert_eq!(stem("ولد"), "ولد");
        assert_eq!(stem("وصل"), "وصل");
        assert_ne!(stem("الرئيس"), stem("الوزير"));
        assert_eq!(stem("Minister"), "minister");
    }

    #[test]
    fn skeletons_of_transliterated_names_meet() {
        let ar = |w: &str| ar_skeleton(&text::normalize(w));
        assert_eq!(ar("دالي"), en_skeleton("Daley"));
        assert_eq!(ar("ترامب"), en_skeleton("Trump"));
        assert_eq!(ar("لافيرن"), en_skeleton("Laverne"));
        // The proclitic of a name is removed before its skeleton is compared.
        assert_eq!(ar_skeleton(&ar_stem(&text::normalize("وترامب"))), en_skeleton("Trump"));
    }

    #[test]
    fn punctuation_anchors() {
        let p = Punct::of("قال: \"الأمل\"؟ (نعم)");
        assert_eq!((p.quotes, p.questions, p.parens), (2, 1, 2));
        let p = Punct::of("قال «نعم» وسأل: لماذا؟!");
        assert_eq!((p.quotes, p.questions, p.exclaims), (2, 1, 1));
        let e = Punct::of("He's 'inferior' over it?");
        assert_eq!((e.quotes, e.questions), (2, 1));
        let e = Punct::of("In the 1990's, “mine” (and ‘yours’).");
        assert_eq!((e.quotes, e.parens), (4, 2));
    }
}
