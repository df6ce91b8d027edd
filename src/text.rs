//! Orthographic normalization and tokenization for matching.
//!
//! This module turns a segment into the *matching form* used by the fuzzy matcher and the aligner.
//! Invariants:
//!
//! - **Stored text is never normalized.** [`normalize`] returns a new string; tokens keep byte
//!   offsets into the original text so that callers can always get back to the exact input.
//! - **Tokenization loses no token text.** Every character of the input is either white space
//!   (or an invisible mark) or belongs to exactly one [`Token`], and tokens appear in text order
//!   with non-overlapping byte ranges.
//! - **Invisible marks are ignored wherever they stand** ([`is_invisible_mark`]: LRM, RLM, ALM,
//!   ZWSP, ZWNJ, ZWJ, WJ, soft hyphen, BOM, bidi embeddings, overrides and isolates). Between words
//!   they separate nothing more than the white space around them; inside a word they do not split
//!   it (`الرئ` U+200E `يس`, with an LRM inside, is one word whose matching form is `الرئيس`).
//!   Editors, PDF text and bidi-aware input methods put them where no reader sees them, so no
//!   comparison may see them either.
//! - Normalization is idempotent: `normalize(&normalize(s)) == normalize(s)`.
//!
//! # Normalization rules ([`normalize`])
//!
//! 1. Unicode NFC.
//! 2. Removed: Arabic tashkeel (U+064B–U+065F, superscript alef U+0670, Quranic marks
//!    U+06D6–U+06ED), tatweel (U+0640), and invisible marks ([`is_invisible_mark`]).
//! 3. Alef forms أ إ آ ٱ → ا; alef maqsura ى → ي; ta marbuta ة → ه.
//! 4. Arabic-Indic (٠–٩) and Persian (۰–۹) digits → 0–9; Arabic decimal separator ٫ → `.`,
//!    thousands separator ٬ → `,`.
//! 5. Arabic punctuation folded: ، → `,`, ؛ → `;`, ؟ → `?`, ٪ → `%`, ۔ → `.`; quote styles folded:
//!    « » “ ” „ ‟ ″ → `"` and ‘ ’ ‚ ‛ ′ → `'`.
//! 6. Latin (and any cased script) lower-cased.
//! 7. White space runs folded to one space, trimmed at both ends.
//!
//! # Tokens ([`tokenize`])
//!
//! - [`TokenKind::Tag`]: an inline tag kept in the text, as one placeable. TMX paired-content
//!   elements `<bpt …>…</bpt>`, `<ept …>…</ept>`, `<ph …>…</ph>`, `<it …>…</it>`, `<ut …>…</ut>`
//!   are one token including their content; any other tag (`<hi>`, `</hi>`, OmegaT `<b0>`, `</b0>`,
//!   `<x1/>`) is one token by itself. A `<` that does not open a well-formed tag is punctuation.
//! - [`TokenKind::Number`]: a run of digits (any script) with single inner separators
//!   (`.` `,` `٫` `٬`) between digits: `2024`, `1,500.25`, `٢٠٢٤`, `٣٫٥`.
//! - [`TokenKind::Word`]: a run of letters and combining marks (tatweel, ZWNJ and ZWJ included);
//!   an apostrophe between two letters stays inside the word (`don't`).
//! - [`TokenKind::Punct`]: any other visible character, one token per character.
//!
//! Each token carries its normalized form ([`Token::norm`]). Words additionally get a *clitic
//! analysis* ([`clitics`]): Arabic proclitics (و ف, then ب ل ك, then the article ال, with ل+ال
//! written لل) and pronoun suffixes are split from a stem of at least three letters. Two words with
//! the same stem differ only by clitics; the fuzzy matcher charges little for that.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Normalizes `s` into its matching form (see the module documentation for the rules).
///
/// The input is not modified; a new string is returned.
///
/// ```
/// use mizan::text::normalize;
/// assert_eq!(normalize("أَعْلَنَ  الرئيـــس"), "اعلن الرئيس");
/// assert_eq!(normalize("«عام ٢٠٢٤»"), "\"عام 2024\"");
/// assert_eq!(normalize("The  Minister"), "the minister");
/// ```
pub fn normalize(s: &str) -> String {
    if s.chars().all(nfc_irrelevant) || matches!(is_nfc_quick(s.chars()), IsNormalized::Yes) {
        normalize_chars(s.chars(), s.len())
    } else {
        normalize_chars(s.nfc(), s.len())
    }
}

/// Characters for which NFC cannot change the normalized form: ASCII and Latin-1, general
/// punctuation, and Arabic except the marks that compose with a letter (U+0653–U+0655: madda and
/// hamza above/below). Other Arabic marks are deleted by normalization, so their canonical order
/// does not matter. A text made only of these skips the NFC check (most of the time of indexing).
fn nfc_irrelevant(c: char) -> bool {
    matches!(c, '\0'..='\u{02FF}' | '\u{0600}'..='\u{0652}' | '\u{0656}'..='\u{06FF}' | '\u{2000}'..='\u{206F}')
}

/// [`normalize`] after NFC.
fn normalize_chars(chars: impl Iterator<Item = char>, len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut pending_space = false;
    for c in chars {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if is_removed(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        push_folded(&mut out, c);
    }
    out
}

/// Folds runs of white space to one ASCII space and trims both ends; nothing else changes.
///
/// Two segments are *identical* for the fuzzy score when their folded forms are equal.
///
/// ```
/// assert_eq!(mizan::text::fold_whitespace("  قال\t الوزير \n"), "قال الوزير");
/// ```
pub fn fold_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Characters deleted by normalization: tashkeel, tatweel, invisible marks.
pub(crate) fn is_removed(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}') || is_invisible_mark(c)
}

/// Invisible marks: characters without a glyph that matching, concordance and segmentation look
/// through (see the module invariants). Soft hyphen U+00AD, Arabic letter mark U+061C, zero-width
/// space, non-joiner and joiner, LRM and RLM (U+200B–U+200F), the bidi embeddings and overrides
/// (U+202A–U+202E), word joiner U+2060, the bidi isolates (U+2066–U+2069) and the byte-order mark
/// / zero-width no-break space U+FEFF. The one list every part of mizan asks.
///
/// ```
/// assert!(mizan::text::is_invisible_mark('\u{200F}'));
/// assert!(!mizan::text::is_invisible_mark(' '));
/// ```
pub fn is_invisible_mark(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Pushes the folded form of one (non-removed) character.
fn push_folded(out: &mut String, c: char) {
    let mapped = match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        '٫' => '.',
        '٬' => ',',
        '،' => ',',
        '؛' => ';',
        '؟' => '?',
        '٪' => '%',
        '۔' => '.',
        '«' | '»' | '“' | '”' | '„' | '‟' | '″' => '"',
        '‘' | '’' | '‚' | '‛' | '′' => '\'',
        _ => {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else if ('\u{0600}'..='\u{06FF}').contains(&c) {
                // Arabic has no letter case.
                out.push(c);
            } else if c.is_uppercase() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
            return;
        }
    };
    out.push(mapped);
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A run of letters and marks.
    Word,
    /// A number placeable (digits of any script, with inner separators).
    Number,
    /// One punctuation or symbol character.
    Punct,
    /// An inline tag placeable (TMX or OmegaT style), with its content for TMX paired elements.
    Tag,
}

/// One token of a segment: its kind, where it is in the original text, and its matching form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// What the token is.
    pub kind: TokenKind,
    /// Byte offset of the token's first byte in the original text.
    pub start: usize,
    /// Byte offset one past the token's last byte in the original text.
    pub end: usize,
    /// The normalized (matching) form: [`normalize`] of the token text; for a number, Western
    /// digits with `.` as decimal and `,` as group separator.
    pub norm: String,
}

impl Token {
    /// The token's original text, given the text it was cut from.
    ///
    /// Returns an empty string if `text` is not the string the token came from and the range
    /// does not fit.
    pub fn raw<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// Cuts `s` into tokens (see the module documentation for the token rules).
///
/// ```
/// use mizan::text::{tokenize, TokenKind};
/// let s = "وقال الرئيس في عام ٢٠٢٤: <b0>نعم</b0>";
/// let t = tokenize(s);
/// let kinds: Vec<TokenKind> = t.iter().map(|t| t.kind).collect();
/// assert_eq!(t[4].norm, "2024");
/// assert_eq!(kinds[4..], [TokenKind::Number, TokenKind::Punct, TokenKind::Tag, TokenKind::Word, TokenKind::Tag]);
/// assert_eq!(t[6].raw(s), "<b0>");
/// ```
pub fn tokenize(s: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let Some(c) = rest.chars().next() else { break };
        if c.is_whitespace() || is_invisible_mark(c) {
            i += c.len_utf8();
            continue;
        }
        if c == '<' {
            if let Some(len) = tag_len(rest) {
                let raw = &s[i..i + len];
                tokens.push(Token {
                    kind: TokenKind::Tag,
                    start: i,
                    end: i + len,
                    norm: fold_whitespace(raw),
                });
                i += len;
                continue;
            }
        }
        if is_digit(c) {
            let len = number_len(rest);
            let raw = &s[i..i + len];
            tokens.push(Token {
                kind: TokenKind::Number,
                start: i,
                end: i + len,
                norm: normalize(raw),
            });
            i += len;
            continue;
        }
        if is_word_char(c) {
            let len = word_len(rest);
            let raw = &s[i..i + len];
            let norm = normalize(raw);
            i += len;
            if norm.is_empty() {
                // A lone tatweel or mark: nothing to match on.
                continue;
            }
            tokens.push(Token {
                kind: TokenKind::Word,
                start: i - len,
                end: i,
                norm,
            });
            continue;
        }
        let len = c.len_utf8();
        let norm = normalize(&s[i..i + len]);
        if !norm.is_empty() {
            tokens.push(Token {
                kind: TokenKind::Punct,
                start: i,
                end: i + len,
                norm,
            });
        }
        i += len;
    }
    tokens
}

/// The normalized words of `s` (word tokens only, in order).
///
/// ```
/// assert_eq!(mizan::text::words("قالَ: «نعم»."), vec!["قال", "نعم"]);
/// ```
pub fn words(s: &str) -> Vec<String> {
    tokenize(s)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.norm)
        .collect()
}

/// The numbers of `s` in normalized form (Western digits), in order.
///
/// ```
/// assert_eq!(mizan::text::numbers("في ٢٠٢٤ و 3.5"), vec!["2024", "3.5"]);
/// ```
pub fn numbers(s: &str) -> Vec<String> {
    tokenize(s)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Number)
        .map(|t| t.norm)
        .collect()
}

/// Whether `s` holds a digit of any script, that is, whether [`tokenize`] can find a number in
/// it (a number token starts with a digit).
pub(crate) fn has_digit(s: &str) -> bool {
    s.chars().any(is_digit)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{0660}'..='\u{0669}').contains(&c) || ('\u{06F0}'..='\u{06F9}').contains(&c)
}

fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}' | '\u{0640}')
}

/// Whether `c` is part of a word or a number: where two such characters meet, removing what stood
/// between them would glue two tokens into one.
pub(crate) fn is_word_or_digit(c: char) -> bool {
    is_word_char(c) || is_digit(c)
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    if ('\u{0621}'..='\u{064A}').contains(&c) {
        return true;
    }
    (c.is_alphabetic() || is_mark(c)) && !is_digit(c)
}

/// Length in bytes of the word that starts `s`. Invisible marks inside it belong to it (a word
/// goes on after them when a letter follows); marks after its last letter do not.
fn word_len(s: &str) -> usize {
    let mut len = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) {
            len = i + c.len_utf8();
        } else if is_invisible_mark(c) {
            continue;
        } else if (c == '\'' || c == '’') && len == i {
            match chars.peek() {
                Some(&(_, n)) if n.is_alphabetic() && !is_digit(n) => len = i + c.len_utf8(),
                _ => break,
            }
        } else {
            break;
        }
    }
    len
}

fn number_len(s: &str) -> usize {
    let mut len = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_digit(c) {
            len = i + c.len_utf8();
        } else if matches!(c, '.' | ',' | '٫' | '٬') && len == i {
            match chars.peek() {
                Some(&(_, n)) if is_digit(n) => {}
                _ => break,
            }
        } else {
            break;
        }
    }
    len
}

/// TMX elements whose content belongs to the tag placeable.
const PAIRED_CONTENT: [&str; 5] = ["bpt", "ept", "ph", "it", "ut"];

/// Length in bytes of the tag that starts `s` (which starts with `<`), or `None`.
fn tag_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    if !b.get(i).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'-'))
    {
        i += 1;
    }
    let name = &s[name_start..i];
    // Attributes: anything but `<` and `>`, and it must start with white space.
    let after_name = i;
    while let Some(&c) = b.get(i) {
        if c == b'>' || c == b'<' {
            break;
        }
        i += 1;
    }
    if b.get(i) != Some(&b'>') {
        return None;
    }
    if i > after_name && !(b[after_name].is_ascii_whitespace() || (b[after_name] == b'/' && i == after_name + 1)) {
        return None;
    }
    let self_closing = i > name_start && b[i - 1] == b'/';
    let end = i + 1;
    if closing || self_closing || !PAIRED_CONTENT.contains(&name) {
        return Some(end);
    }
    let close = format!("</{name}>");
    match s[end..].find(&close) {
        Some(pos) => Some(end + pos + close.len()),
        None => Some(end),
    }
}

/// Clitic analysis of a normalized word: proclitics, stem and pronoun suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clitics<'a> {
    /// The stem that remains after removing clitics (the whole word when nothing was removed).
    pub stem: &'a str,
    /// Bit set of proclitics: [`CONJ_WA`], [`CONJ_FA`], [`PREP_BI`], [`PREP_LI`], [`PREP_KA`],
    /// [`ARTICLE`].
    pub prefixes: u8,
    /// Index (1-based) of the pronoun suffix in [`SUFFIXES`], 0 for none.
    pub suffix: u8,
}

/// Proclitic و (and).
pub const CONJ_WA: u8 = 1;
/// Proclitic ف (so).
pub const CONJ_FA: u8 = 2;
/// Proclitic ب (with, by).
pub const PREP_BI: u8 = 4;
/// Proclitic ل (for, to).
pub const PREP_LI: u8 = 8;
/// Proclitic ك (like).
pub const PREP_KA: u8 = 16;
/// The article ال.
pub const ARTICLE: u8 = 32;
/// Pronoun suffixes recognized on normalized words (longest first).
pub const SUFFIXES: [&str; 8] = ["هما", "كما", "ها", "هم", "هن", "كم", "نا", "ه"];

/// The shortest stem (in letters) that clitic removal may leave.
const MIN_STEM: usize = 3;

/// Splits a *normalized* Arabic word into proclitics, stem and pronoun suffix.
///
/// Clitics are removed only while a stem of at least three letters remains. The normalized
/// ta marbuta (ه) counts as a pronoun suffix here, so `المدينة` and `مدينتها` both give a stem
/// starting مدين (see [`stem_key`]). Non-Arabic words are returned whole.
///
/// ```
/// use mizan::text::{clitics, normalize, ARTICLE, CONJ_WA, PREP_LI};
/// let w = normalize("والرئيس");
/// let c = clitics(&w);
/// assert_eq!((c.stem, c.prefixes), ("رئيس", CONJ_WA | ARTICLE));
/// let w = normalize("للرئيس");
/// assert_eq!(clitics(&w).prefixes, PREP_LI | ARTICLE);
/// ```
pub fn clitics(word: &str) -> Clitics<'_> {
    let whole = Clitics {
        stem: word,
        prefixes: 0,
        suffix: 0,
    };
    if !word
        .chars()
        .next()
        .is_some_and(|c| ('\u{0620}'..='\u{064A}').contains(&c))
    {
        return whole;
    }
    let letters = |s: &str| s.chars().count();
    let mut stem = word;
    let mut prefixes = 0u8;
    // Conjunction.
    for (p, bit) in [("و", CONJ_WA), ("ف", CONJ_FA)] {
        if let Some(r) = stem.strip_prefix(p) {
            if letters(r) >= MIN_STEM {
                stem = r;
                prefixes |= bit;
            }
            break;
        }
    }
    // ل + article is written لل.
    if let Some(r) = stem.strip_prefix("لل") {
        if letters(r) >= MIN_STEM {
            stem = r;
            prefixes |= PREP_LI | ARTICLE;
        }
    } else {
        for (p, bit) in [("ب", PREP_BI), ("ل", PREP_LI), ("ك", PREP_KA)] {
            if let Some(r) = stem.strip_prefix(p) {
                // Only a preposition before the article, or before a long stem.
                if r.starts_with("ال") && letters(r) >= MIN_STEM + 2 || letters(r) > MIN_STEM {
                    stem = r;
                    prefixes |= bit;
                }
                break;
            }
        }
        if let Some(r) = stem.strip_prefix("ال") {
            if letters(r) >= MIN_STEM {
                stem = r;
                prefixes |= ARTICLE;
            }
        }
    }
    let mut suffix = 0u8;
    for (k, s) in SUFFIXES.iter().enumerate() {
        if let Some(r) = stem.strip_suffix(s) {
            if letters(r) >= MIN_STEM {
                stem = r;
                suffix = (k + 1) as u8;
            }
            break;
        }
    }
    Clitics { stem, prefixes, suffix }
}

/// The stem key of a normalized word for matching: [`clitics`]'s stem, without the ta marbuta
/// written ت before a removed suffix.
///
/// Two words with equal keys are clitic variants of each other.
pub fn stem_key(word: &str) -> (String, Clitics<'_>) {
    let c = clitics(word);
    let mut key = c.stem.to_string();
    // The ta marbuta is written ت before a suffix (مدينتها) and ه (normalized ة) at the end of a
    // word (مدينه, whose ه the suffix rule already removed): drop the ت so both give مدين.
    // Not after ا: the feminine plural ات keeps its ت (سلطاتها, السلطات).
    if c.suffix != 0 && key.chars().count() > MIN_STEM {
        let mut rev = key.chars().rev();
        if rev.next() == Some('ت') && rev.next() != Some('ا') {
            key.pop();
        }
    }
    (key, c)
}

/// Morphological analysis of a word for the fuzzy matcher ([`morph`]): the matching key and the
/// affixes around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Morph<'a> {
    /// The key: what remains after removing every affix [`morph`] recognizes.
    pub key: &'a str,
    /// The affixes, packed ([`affix_cost`] compares two of them): bits 0–15 the prefixes, four
    /// bits each, innermost (next to the key) first; bits 16–27 the suffixes but a ت, four bits
    /// each, innermost first; bit 28 ([`SHORT_KEY`]) set when the key has fewer than three
    /// letters; bits 29–31, when a ت was removed (see [`morph`]), 1 + the number of suffixes
    /// outside it.
    pub affixes: u32,
}

/// Prefixes [`morph`] removes, by code (1-based). 1–6: the clitics و ف ب ل ك and the article ال;
/// 7–9: the imperfect person prefixes ي ت ن (inflection).
pub const MORPH_PREFIXES: [&str; 9] = ["و", "ف", "ب", "ل", "ك", "ال", "ي", "ت", "ن"];
/// Suffixes [`morph`] removes, by code (1-based). 1–8: attached pronouns (ه is also the ta
/// marbuta, and the ت that writes it before a pronoun); 9–13: inflection (sound plurals and dual
/// ون ين ان ات, and ي: a verb's second person feminine or the pronoun *my*).
pub const MORPH_SUFFIXES: [&str; 13] = [
    "هما", "كما", "ها", "هم", "هن", "كم", "نا", "ه", "ون", "ين", "ان", "ات", "ي",
];

/// Code of the suffix ه in [`MORPH_SUFFIXES`]; also the ta marbuta written ت before a suffix.
const SUFFIX_HA: u32 = 8;
/// Code of the suffix ي in [`MORPH_SUFFIXES`].
const SUFFIX_YA: u32 = 13;
/// Code of the suffix ات in [`MORPH_SUFFIXES`].
const SUFFIX_AT: u32 = 12;
/// Codes of a removed ت in the suffix sequences that [`affix_cost`] compares, past the end of
/// [`MORPH_SUFFIXES`] and inflection: the last letter of the word (the feminine ending of a verb,
/// `قالت`), and a ت under another suffix (the ta marbuta written ت, `مدينتها`, or the same
/// feminine ending, `قالتها`), which is one affix with either.
const SUFFIX_TA: u32 = 14;
const SUFFIX_TA_BOUND: u32 = 15;
/// Bits 29–31 of [`Morph::affixes`]: 0, or 1 + the number of suffixes outside a removed ت.
const TA_SHIFT: u32 = 29;
/// First inflection code in [`MORPH_PREFIXES`] and [`MORPH_SUFFIXES`].
const PERSON_PREFIX: u32 = 7;
const INFLECTION_SUFFIX: u32 = 9;
/// Bit of [`Morph::affixes`]: the key has fewer than three letters.
pub const SHORT_KEY: u32 = 1 << 28;

/// Splits a *normalized* word into a matching key and the affixes around it.
///
/// Unlike [`clitics`], which decides on one word alone whether a letter is a clitic, `morph`
/// removes every letter that *could* be an affix, so that two forms of one word get the same key
/// whichever letters belong to the word: the bare form `وزير` and `الوزير` both give زير (with و
/// kept among the affixes, not lost), `في` and `وفي` both give في. Whether two words with one key
/// are the same word plus clitics is decided on the pair, by [`affix_cost`].
///
/// In order, always leaving a key of at least two letters:
/// 1. clitic prefixes from the start, at most four, in any order: the conjunctions و ف (leaving
///    at least two letters), the prepositions ب ل ك (leaving at least three), the article ال,
///    and لل read as ل + ال (leaving at least two);
/// 2. suffixes from the end, at most three ([`MORPH_SUFFIXES`], so that a pronoun on a word that
///    already ends in two, `تلفزيونهم`/`التلفزيون`, keeps its key): pronouns and ات leaving at
///    least two letters, the other inflection three; besides them, once, a ت not after ا
///    (`سلطاتها`), leaving two letters: the feminine ending of a verb (`قالت`) or the ta marbuta
///    written ت before a suffix (`مدينتها`, so that `خارجيتهم` and `الخارجية` both give خارج;
///    [`affix_cost`] compares it as the ة or final ت it stands for). The letters a suffix must leave are counted once the prefixes that would
///    no longer leave theirs are put back (step 3), so that a preposition read on a letter of the
///    word does not keep a suffix on (`بلدان` and `بلد` both give بلد, `البحرين` and `البحر`
///    both بحر); but a suffix stays if that would put back the article or, leaving fewer than
///    three letters, a conjunction, which are read as prefixes wherever they leave two letters
///    (`وبه` is و + به as `به` keeps its ه, `الثانية` keeps ثان); and ي, often a letter of the
///    word (`على`, `بعلى`), needs its three letters without any prefix put back;
/// 3. the innermost prefixes that no longer leave their letters once the suffixes are gone are
///    put back, so a suffix does not change the key (`بلاده` and `البلاد` both give لاد,
///    `بيتهم` and `بيت` both بي);
/// 4. one person prefix ي ت ن, leaving at least two letters (`يسعى` and `تسعى` both give سع;
///    [`affix_cost`] tells a person prefix from a letter of the word on the pair).
///
/// Non-Arabic words are returned whole.
///
/// ```
/// use mizan::text::{morph, normalize};
/// assert_eq!(morph(&normalize("الوزير")).key, morph("وزير").key);
/// assert_eq!(morph("للحج").key, morph("الحج").key);
/// assert_eq!(morph("تعانين").key, morph("يعاني").key);
/// assert_eq!(morph("بلاده").key, morph(&normalize("البلاد")).key);
/// assert_eq!(morph("بيتهم").key, morph("بيت").key);
/// assert_eq!(morph("خارجيتهم").key, morph(&normalize("الخارجية")).key);
/// assert_eq!(morph("قالتها").key, morph("قالت").key);
/// assert_eq!(morph("بلدان").key, morph("بلد").key);
/// ```
pub fn morph(word: &str) -> Morph<'_> {
    if !word
        .chars()
        .next()
        .is_some_and(|c| ('\u{0620}'..='\u{064A}').contains(&c))
    {
        return Morph { key: word, affixes: 0 };
    }
    let letters = |s: &str| s.chars().count();
    // The key is word[start..end].
    let mut start = 0;
    let mut end = word.len();
    // Prefixes, outermost first: (code, its length in bytes, the fewest letters it leaves). Fixed
    // arrays, not vectors: morph runs on every word matched or indexed.
    let mut pre = [(0u32, 0usize, 0usize); 4];
    let mut n_pre = 0;
    fn push(pre: &mut [(u32, usize, usize); 4], n: &mut usize, p: (u32, usize, usize)) {
        pre[*n] = p;
        *n += 1;
    }
    while n_pre < 4 {
        let key = &word[start..end];
        let rest = letters(key);
        if n_pre < 3 && rest >= 4 && key.starts_with("لل") {
            // ل + ال: one letter each, both leaving two.
            push(&mut pre, &mut n_pre, (4, 'ل'.len_utf8(), 2));
            push(&mut pre, &mut n_pre, (6, 'ل'.len_utf8(), 2));
            start += "لل".len();
        } else if rest >= 4 && key.starts_with("ال") {
            push(&mut pre, &mut n_pre, (6, "ال".len(), 2));
            start += "ال".len();
        } else if let Some(k) = MORPH_PREFIXES[..5].iter().position(|p| key.starts_with(p)) {
            // The conjunctions may leave two letters (وفي, وهل), the prepositions three.
            let leaves = if k < 2 { 2 } else { 3 };
            if rest <= leaves {
                break;
            }
            push(&mut pre, &mut n_pre, (k as u32 + 1, MORPH_PREFIXES[k].len(), leaves));
            start += MORPH_PREFIXES[k].len();
        } else {
            break;
        }
    }
    // The key that remains between `start` and `end` once the innermost prefixes that no longer
    // leave their letters are put back: where the key starts, and how many prefixes stay.
    let fit = |start: usize, n_pre: usize, end: usize| {
        let (mut start, mut n) = (start, n_pre);
        while n > 0 {
            let (_, len, leaves) = pre[n - 1];
            if letters(&word[start..end]) >= leaves {
                break;
            }
            start -= len;
            n -= 1;
        }
        (start, n)
    };
    // Suffixes, outermost first, at most three besides a ت. A suffix is removed when the key still
    // has its letters once the prefixes that no longer fit are put back, so that a letter of the
    // word read as a preposition does not keep a suffix on (بلدان and بلد both give بلد, البحرون
    // and البحر both بحر); but not if that puts back a conjunction or the article, which are read
    // as prefixes wherever they leave two letters (وبه is و + به, as به keeps its ه; الثانية
    // keeps ثان). Pronouns and ات may leave two letters (ات as the ة it replaces: القوات,
    // القوة), the other inflection three. A final ت not after ا is the feminine ending (قالت, a
    // verb) or the ta marbuta written before a suffix (مدينتها): removed once, leaving two
    // letters, not counted among the three; recorded by its place among them (bits 29–31).
    let mut suf = [0u32; 3];
    let mut n_suf = 0;
    // Where a ت was removed: 1 + the number of suffixes outside it (0: none).
    let mut ta = 0u32;
    loop {
        let key = &word[start..end];
        let leaves_after = |len: usize, own: bool| {
            let (s, n) = fit(start, n_pre, end - len);
            let rest = letters(&word[s..end - len]);
            let back = &pre[n..n_pre];
            if (own && n < n_pre) || back.iter().any(|p| p.0 == 6) || (rest < 3 && back.iter().any(|p| p.0 <= 2)) {
                0
            } else {
                rest
            }
        };
        if ta == 0 {
            let mut rev = key.chars().rev();
            if rev.next() == Some('ت') && rev.next() != Some('ا') && leaves_after('ت'.len_utf8(), false) >= 2 {
                end -= 'ت'.len_utf8();
                ta = 1 + n_suf as u32;
                continue;
            }
        }
        if n_suf == 3 {
            break;
        }
        let found = MORPH_SUFFIXES.iter().enumerate().find_map(|(k, s)| {
            let code = k as u32 + 1;
            let need = if code >= INFLECTION_SUFFIX && code != SUFFIX_AT {
                3
            } else {
                2
            };
            (key.ends_with(s) && leaves_after(s.len(), code == SUFFIX_YA) >= need).then_some((code, s.len()))
        });
        let Some((code, len)) = found else { break };
        end -= len;
        suf[n_suf] = code;
        n_suf += 1;
    }
    // Each prefix must still leave its letters once the suffixes are gone: put back the
    // innermost ones that do not (بلاده and البلاد both keep لاد, بيتهم keeps بيت), so that a
    // word's key does not depend on whether a suffix was there when the prefixes were read.
    (start, n_pre) = fit(start, n_pre, end);
    // One person prefix of an imperfect verb, next to the key.
    if n_pre < 4 && letters(&word[start..end]) >= 3 {
        if let Some(k) = MORPH_PREFIXES[6..].iter().position(|p| word[start..end].starts_with(p)) {
            push(
                &mut pre,
                &mut n_pre,
                (k as u32 + PERSON_PREFIX, MORPH_PREFIXES[6 + k].len(), 2),
            );
            start += MORPH_PREFIXES[6 + k].len();
        }
    }
    let key = &word[start..end];
    // Both stored innermost first (next to the key).
    let prefixes = pre[..n_pre]
        .iter()
        .rev()
        .enumerate()
        .fold(0u32, |acc, (i, &(code, _, _))| acc | (code << (4 * i)));
    let suffixes = suf[..n_suf]
        .iter()
        .rev()
        .enumerate()
        .fold(0u32, |acc, (i, &code)| acc | (code << (4 * i)));
    let short = if letters(key) < 3 { SHORT_KEY } else { 0 };
    Morph {
        key,
        affixes: prefixes | (suffixes << 16) | short | (ta << TA_SHIFT),
    }
}

/// Cost unit of [`affix_cost`]: twentieths of a word.
const AFFIX_UNIT: u32 = 20;
/// Cost of a clitic (proclitic or pronoun) added, dropped or changed: 0.15 of a word.
pub const CLITIC_COST: u32 = 3;
/// Cost of an inflection affix (person prefix, plural, dual, ي) added, dropped or changed: 0.2.
pub const INFLECTION_COST: u32 = 4;
/// The most that affix differences between two words with one key cost: 0.45 of a word.
pub const MAX_AFFIX_COST: u32 = 9;

/// What it costs, in twentieths of a word, to turn one word into another when both have the same
/// [`morph`] key, given their [`Morph::affixes`]: the edit distance between their prefix sequences
/// plus that between their suffix sequences, each affix costing [`CLITIC_COST`] (clitics and
/// pronouns) or [`INFLECTION_COST`] (inflection), at most [`MAX_AFFIX_COST`].
///
/// A ت under another suffix (`مدينتها`, `قالتها`) is one affix with the ة at the end of a word
/// (`مدينة`) and with a final ت (`قالت`): changing one into the other costs nothing, so
/// `قالتها`/`قالت` and `مدينتها`/`مدينة` cost one pronoun; a final ت and a final ه do not
/// (`قالت`/`قاله`: 0.2).
///
/// Except on a key of fewer than three letters, where a letter is as likely to belong to the word
/// as to be a clitic: there the words must share their innermost prefix or their innermost
/// suffix, so that the stem they share has three letters (`فرحه`/`الفرح` share ف: فرح;
/// `يسعى`/`تسعى` share ي: سعي), or have the same innermost suffix and differ in the innermost
/// prefix only by the conjunction و or ف (`هل`/`وهل`, `في`/`وفي`); otherwise they are different
/// words (`كان`/`ان`, `بعد`/`عد`, `الله`/`له`, `سنة`/`سن`) and cost a whole word (20).
///
/// ```
/// use mizan::text::{affix_cost, morph};
/// let c = |a, b| affix_cost(morph(a).affixes, morph(b).affixes);
/// assert_eq!(c("وهل", "هل"), 3);
/// assert_eq!(c("الله", "له"), 20);
/// assert_eq!(c("تعاني", "يعاني"), 4);
/// assert_eq!(c("قالتها", "قالت"), 3);
/// assert_eq!(c("يسعي", "تسعي"), 4);
/// ```
pub fn affix_cost(a: u32, b: u32) -> u32 {
    if a == b {
        return 0;
    }
    let (pa, pb) = (unpack(a & 0xFFFF), unpack(b & 0xFFFF));
    let (sa, sb) = (suffixes(a), suffixes(b));
    if (a | b) & SHORT_KEY != 0 {
        let first = |s: &Seq| if s.1 > 0 { s.0[0] } else { 0 };
        let conj = |p: &Seq| first(p) <= 2;
        let same_pre = first(&pa) == first(&pb);
        let same_suf = one_affix(&sa, 0, &sb, 0);
        // The feminine ending: ة (ه) or ت and the plural ات that replaces it (لغة, لغات).
        let fem = |c: u32| matches!(c, SUFFIX_HA | SUFFIX_TA_BOUND);
        let feminine = (fem(first(&sa)) && first(&sb) == SUFFIX_AT) || (fem(first(&sb)) && first(&sa) == SUFFIX_AT);
        let shared_pre = same_pre && pa.1 > 0;
        let shared_suf = (same_suf && (sa.1 > 0 || sb.1 > 0)) || feminine;
        if !(shared_pre || shared_suf || (same_suf && (same_pre || conj(&pa) && conj(&pb)))) {
            return AFFIX_UNIT;
        }
    }
    let prefix_cost = |c| {
        if c >= PERSON_PREFIX {
            INFLECTION_COST
        } else {
            CLITIC_COST
        }
    };
    let suffix_cost = |c| {
        if c >= INFLECTION_SUFFIX {
            INFLECTION_COST
        } else {
            CLITIC_COST
        }
    };
    let cost = seq_distance(&pa, &pb, prefix_cost) + seq_distance(&sa, &sb, suffix_cost);
    cost.min(MAX_AFFIX_COST)
}

/// A sequence of affix codes, innermost first, and its length.
type Seq = ([u32; 4], usize);

/// The codes packed four bits each, innermost first (0 ends the sequence).
fn unpack(mut x: u32) -> Seq {
    let mut v = [0u32; 4];
    let mut n = 0;
    while x & 0xF != 0 && n < 4 {
        v[n] = x & 0xF;
        x >>= 4;
        n += 1;
    }
    (v, n)
}

/// The suffixes of [`Morph::affixes`], innermost first, a removed ت included.
fn suffixes(affixes: u32) -> Seq {
    let (mut v, mut n) = unpack((affixes >> 16) & 0xFFF);
    let ta = affixes >> TA_SHIFT;
    if ta > 0 && n < 4 {
        // 1 + the number of suffixes outside the ت, the outermost last.
        let at = n.saturating_sub(ta as usize - 1);
        v.copy_within(at..n, at + 1);
        v[at] = if at == n { SUFFIX_TA } else { SUFFIX_TA_BOUND };
        n += 1;
    }
    (v, n)
}

/// Whether suffix `i` of `a` and suffix `j` of `b` are one affix: equal codes, or a ت under a
/// suffix and the final ت or the ة (ه, the last letter of its word) it is written for.
fn one_affix(a: &Seq, i: usize, b: &Seq, j: usize) -> bool {
    let code = |s: &Seq, k: usize| if k < s.1 { s.0[k] } else { 0 };
    let (x, y) = (code(a, i), code(b, j));
    let ta_for = |y: u32, last: bool| y == SUFFIX_TA || (y == SUFFIX_HA && last);
    x == y || (x == SUFFIX_TA_BOUND && ta_for(y, j + 1 == b.1)) || (y == SUFFIX_TA_BOUND && ta_for(x, i + 1 == a.1))
}

/// Weighted edit distance between two affix sequences; codes that are one affix
/// ([`one_affix`]) are substituted for free.
fn seq_distance(a: &Seq, b: &Seq, cost: impl Fn(u32) -> u32) -> u32 {
    let ((va, na), (vb, nb)) = (*a, *b);
    let mut row = [0u32; 5];
    for j in 1..=nb {
        row[j] = row[j - 1] + cost(vb[j - 1]);
    }
    for i in 1..=na {
        let mut diag = row[0];
        row[0] += cost(va[i - 1]);
        for j in 1..=nb {
            let sub = if one_affix(a, i - 1, b, j - 1) {
                0
            } else {
                cost(va[i - 1]).max(cost(vb[j - 1]))
            };
            let v = (diag + sub)
                .min(row[j] + cost(va[i - 1]))
                .min(row[j - 1] + cost(vb[j - 1]));
            diag = row[j];
            row[j] = v;
        }
    }
    row[nb]
}

// Added for the aligner (src/align), which reads Arabic with this module's rules only.

/// True for a letter of the Arabic alphabet: hamza to ghain (U+0621–U+063A) and feh to yeh
/// (U+0641–U+064A), which include the hamza carriers أ إ ؤ ئ, madda آ, alef maqsura ى and ta
/// marbuta ة. Not tatweel (U+0640), tashkeel, Arabic-Indic digits or Arabic punctuation, nor the
/// letters of other languages written in Arabic script (پ چ ژ ڤ گ ک ی).
///
/// A word is Arabic for the aligner when it has such a letter: its consonant skeleton is then
/// compared with the English names.
///
/// ```
/// use mizan::text::is_arabic_letter;
/// assert!("الرئيس".chars().all(is_arabic_letter));
/// assert!(!is_arabic_letter('ـ') && !is_arabic_letter('٣') && !is_arabic_letter('a'));
/// ```
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')
}

#[cfg(test)]
mod aligner_rule_tests {
    use super::*;

    #[test]
    fn arabic_letters() {
        // Every letter of a real sentence, hamza forms, alef maqsura and ta marbuta included.
        let s = "وأكد المسؤولون أن الطائرة هبطت في مستشفى الرياض بعد إنذار آخر";
        assert!(s.chars().filter(|c| !c.is_whitespace()).all(is_arabic_letter));
        assert!("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي".chars().all(is_arabic_letter));
        // Tatweel and tashkeel are not letters (normalization removes them).
        assert!(!"ـًٌٍَُِّْٰ".chars().any(is_arabic_letter));
        // Nor digits or punctuation of the Arabic block.
        assert!(!"٠١٢٣٤٥٦٧٨٩۰۹،؛؟٪٫٬".chars().any(is_arabic_letter));
        // Nor the letters of other languages written in Arabic script.
        assert!(!"پچژڤگکی".chars().any(is_arabic_letter));
        assert!(!"aZé".chars().any(is_arabic_letter));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_rules() {
        assert_eq!(normalize("إِنَّ"), "ان");
        assert_eq!(normalize("آخر ٱلأمر"), "اخر الامر");
        assert_eq!(normalize("مستشفى"), "مستشفي");
        assert_eq!(normalize("المدينة"), "المدينه");
        assert_eq!(normalize("۱۲۳ ١٢٣"), "123 123");
        assert_eq!(normalize("٣٫٥ ١٬٠٠٠"), "3.5 1,000");
        assert_eq!(normalize("قال، هل؟ نعم؛ ٥٪"), "قال, هل? نعم; 5%");
        assert_eq!(normalize("„a“ ‘b’ «c»"), "\"a\" 'b' \"c\"");
        assert_eq!(normalize("THE Minister"), "the minister");
        assert_eq!(normalize("الرئيــــس"), "الرئيس");
        assert_eq!(normalize("\u{200F}نعم\u{200E}  \n"), "نعم");
        // NFC: alef + combining hamza above composes, then folds to bare alef.
        assert_eq!(normalize("\u{0627}\u{0654}"), "ا");
    }

    #[test]
    fn normalization_is_idempotent_on_real_sentences() {
        let text = include_str!("../tests/data/fuzzy/ntrex.ar.txt");
        for line in text.lines() {
            let n = normalize(line);
            assert_eq!(normalize(&n), n, "{line}");
        }
    }

    #[test]
    fn tokens_cover_all_visible_text_in_order() {
        let text = include_str!("../tests/data/fuzzy/ntrex.ar.txt");
        for line in text.lines() {
            let toks = tokenize(line);
            let mut pos = 0;
            for t in &toks {
                assert!(t.start >= pos && t.end > t.start);
                assert!(line[pos..t.start]
                    .chars()
                    .all(|c| c.is_whitespace() || is_invisible_mark(c)));
                pos = t.end;
            }
            assert!(line[pos..].trim().is_empty());
        }
    }

    #[test]
    fn tags_are_single_placeables() {
        let s = r#"قال <bpt i="1">&lt;b&gt;</bpt>الرئيس<ept i="1">&lt;/b&gt;</ept> و<ph>&lt;br/&gt;</ph> <x1/> <b0>نعم</b0> a < b"#;
        let t = tokenize(s);
        let tags: Vec<&str> = t
            .iter()
            .filter(|t| t.kind == TokenKind::Tag)
            .map(|t| t.raw(s))
            .collect();
        assert_eq!(
            tags,
            [
                r#"<bpt i="1">&lt;b&gt;</bpt>"#,
                r#"<ept i="1">&lt;/b&gt;</ept>"#,
                "<ph>&lt;br/&gt;</ph>",
                "<x1/>",
                "<b0>",
                "</b0>"
            ]
        );
        // A bare `<` is punctuation.
        assert!(t.iter().any(|t| t.kind == TokenKind::Punct && t.raw(s) == "<"));
    }

    #[test]
    fn numbers_and_words() {
        let s = "بلغ العجز 1,500.25 مليون في ٢٠٢٤، أي 3. don't";
        let t = tokenize(s);
        let nums: Vec<&str> = t
            .iter()
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| t.norm.as_str())
            .collect();
        assert_eq!(nums, ["1,500.25", "2024", "3"]);
        assert!(t.iter().any(|t| t.norm == "don't"));
        assert_eq!(t.iter().filter(|t| t.kind == TokenKind::Punct).count(), 2);
    }

    #[test]
    fn invisible_marks_inside_a_word_do_not_split_it() {
        for mark in [
            '\u{00AD}', '\u{061C}', '\u{200B}', '\u{200C}', '\u{200E}', '\u{202A}', '\u{202E}', '\u{2060}', '\u{2067}',
            '\u{FEFF}',
        ] {
            let s = format!("{mark}قال الرئ{mark}{mark}يس{mark} في{mark}٢٠٢٤ don{mark}'t{mark}");
            let t = tokenize(&s);
            let norms: Vec<&str> = t.iter().map(|t| t.norm.as_str()).collect();
            assert_eq!(
                norms,
                ["قال", "الرئيس", "في", "2024", "don", "'", "t"],
                "U+{:04X}",
                mark as u32
            );
            // The word's raw text is the stored text, marks inside included, marks after it not.
            assert_eq!(t[1].raw(&s), format!("الرئ{mark}{mark}يس"));
            assert_eq!(words(&s)[1], normalize("الرئيس"));
            assert!(is_invisible_mark(mark));
        }
    }

    #[test]
    fn morph_keys_pair_bare_and_affixed_forms() {
        let key = |w: &str| morph(&normalize(w)).key.to_string();
        let cost = |a: &str, b: &str| {
            let (na, nb) = (normalize(a), normalize(b));
            let (ma, mb) = (morph(&na), morph(&nb));
            if ma.key == mb.key {
                affix_cost(ma.affixes, mb.affixes)
            } else {
                AFFIX_UNIT
            }
        };
        // A first letter that may belong to the word: the bare and the prefixed forms share a key.
        for (bare, affixed) in [
            ("وثيق", "ووثيق"),
            ("فيها", "وفيها"),
            ("فريق", "الفريق"),
            ("كيفية", "الكيفية"),
            ("وزير", "الوزير"),
            ("وزير", "للوزير"),
            ("فكرة", "بالفكرة"),
            ("كان", "لكان"),
            ("على", "بعلى"),
            ("بين", "وبين"),
            ("بعد", "وبعد"),
            ("ذلك", "لذلك"),
            ("ذلك", "كذلك"),
            ("أخذ", "ووأخذ"),
            ("هل", "وهل"),
            ("في", "وفي"),
            ("الحج", "للحج"),
            ("الحج", "بالحج"),
            ("المدينة", "مدينتها"),
            ("السلطات", "سلطاتها"),
            ("تعاني", "تعانين"),
            ("تعاني", "تعانون"),
            ("تعاني", "يعاني"),
            ("المهندسون", "المهندسين"),
        ] {
            assert_eq!(key(bare), key(affixed), "{bare} {affixed}");
            let c = cost(bare, affixed);
            assert!((1..=MAX_AFFIX_COST).contains(&c), "{bare} {affixed}: {c}");
        }
        // Exact costs: one clitic, two clitics, one inflection, clitic + inflection.
        assert_eq!(cost("وهل", "هل"), CLITIC_COST);
        assert_eq!(cost("ووأخذ", "أخذ"), 2 * CLITIC_COST);
        assert_eq!(cost("ووأخذ", "وأخذ"), CLITIC_COST);
        assert_eq!(cost("للحج", "الحج"), CLITIC_COST);
        assert_eq!(cost("تعانين", "تعاني"), INFLECTION_COST);
        assert_eq!(cost("يعاني", "تعاني"), INFLECTION_COST);
        assert_eq!(cost("وتعانين", "تعاني"), CLITIC_COST + INFLECTION_COST);
        assert_eq!(cost("مدينتها", "المدينة"), 2 * CLITIC_COST);
        // Capped: many affixes never cost more than MAX_AFFIX_COST, less than a word.
        assert_eq!(cost("وبالمدينة", "مدينتهم"), MAX_AFFIX_COST);
        // Order matters: و before the article is not the article before و.
        assert_eq!(cost("والوزير", "الووزير"), 2 * CLITIC_COST);
        // Short keys: a preposition or the article is not split from a two-letter word.
        assert_eq!(cost("كان", "أن"), AFFIX_UNIT);
        assert_eq!(cost("الله", "له"), AFFIX_UNIT);
        assert_eq!(cost("سنة", "سن"), AFFIX_UNIT);
        assert_eq!(cost("فيها", "في"), AFFIX_UNIT);
        // Different words keep different keys.
        assert_ne!(key("الرئيس"), key("الوزير"));
        assert_ne!(key("بلد"), key("ولد"));
        assert_eq!(key("Minister"), "minister");
        assert_eq!(morph("Minister").affixes, 0);
        assert_eq!(morph("قال").affixes, 0);
    }

    #[test]
    fn morph_keys_pair_forms_a_suffix_or_a_letter_of_the_word_hid() {
        let cost = |a: &str, b: &str| {
            let (na, nb) = (normalize(a), normalize(b));
            let (ma, mb) = (morph(&na), morph(&nb));
            if ma.key == mb.key {
                affix_cost(ma.affixes, mb.affixes)
            } else {
                AFFIX_UNIT
            }
        };
        for (a, b, c) in [
            // The feminine ت of a verb keeps its key under a pronoun.
            ("قالت", "قالتها", CLITIC_COST),
            ("أكدت", "أكدتها", CLITIC_COST),
            ("كانت", "كان", INFLECTION_COST),
            // The ta marbuta, as ة, as ت before a pronoun, and replaced by the plural ات.
            ("القوة", "القوات", INFLECTION_COST),
            ("قوة", "قوتها", CLITIC_COST),
            ("الثقة", "ثقتهم", 2 * CLITIC_COST),
            ("لغة", "لغات", INFLECTION_COST),
            ("الثانية", "ثانيتهم", 2 * CLITIC_COST),
            ("الألمانية", "ألمانيتهم", 2 * CLITIC_COST),
            // A preposition read on the word's first letter does not keep a suffix on.
            ("بلد", "بلدان", INFLECTION_COST),
            ("البلد", "بلده", 2 * CLITIC_COST),
            ("البحر", "البحرين", INFLECTION_COST),
            ("الكشف", "كشفه", 2 * CLITIC_COST),
            // A two-letter key: the words share a prefix or a suffix, so a three-letter stem.
            ("الفرح", "فرحه", 2 * CLITIC_COST),
            ("الوضع", "وضعها", 2 * CLITIC_COST),
            ("تسعى", "يسعى", INFLECTION_COST),
            ("تبدون", "يبدون", INFLECTION_COST),
            ("الحاكم", "حاكمها", 2 * CLITIC_COST),
            // Still: a conjunction on a short word.
            ("به", "وبه", CLITIC_COST),
            ("بها", "وبها", CLITIC_COST),
        ] {
            assert_eq!(cost(a, b), c, "{a} {b}");
            assert_eq!(cost(b, a), c, "{b} {a}");
        }
        // Different words stay a word apart, however the letters could be read.
        for (a, b) in [("بيت", "بيه"), ("سنة", "سن"), ("الله", "له"), ("يوم", "نوم")] {
            assert_eq!(cost(a, b), AFFIX_UNIT, "{a} {b}");
        }
        // The final ت of قالت is not the ta marbuta that a pronoun follows: one inflection apart.
        assert_eq!(cost("قالت", "قاله"), INFLECTION_COST);
        assert_eq!(cost("على", "بعلى"), CLITIC_COST);
    }

    #[test]
    fn affix_cost_is_a_symmetric_distance_below_a_word() {
        let text = include_str!("../tests/data/fuzzy/ntrex.ar.txt");
        let ws: Vec<String> = text.lines().take(40).flat_map(words).collect();
        let mut by_key: std::collections::HashMap<String, Vec<u32>> = std::collections::HashMap::new();
        for w in &ws {
            for p in ["", "و", "ف", "ب", "ل", "ال", "وال", "بال"] {
                for x in ["", "ها", "هم", "ون", "ين"] {
                    // A pronoun after the ta marbuta (normalized ه) is written after ت.
                    let v = match w.strip_suffix('ه') {
                        Some(t) if x.starts_with('ه') => format!("{p}{t}ت{x}"),
                        _ => format!("{p}{w}{x}"),
                    };
                    let m = morph(&v);
                    by_key.entry(m.key.to_string()).or_default().push(m.affixes);
                }
            }
        }
        assert!(by_key.len() > 100);
        for sigs in by_key.values() {
            for &a in sigs {
                assert_eq!(affix_cost(a, a), 0);
                for &b in sigs {
                    let c = affix_cost(a, b);
                    assert_eq!(c, affix_cost(b, a), "{a:#x} {b:#x}");
                    assert!(c == AFFIX_UNIT || c <= MAX_AFFIX_COST);
                    assert!(a == b || c > 0);
                }
            }
        }
    }

    #[test]
    fn clitic_analysis() {
        let key = |w: &str| stem_key(&normalize(w)).0;
        assert_eq!(key("والرئيس"), key("الرئيس"));
        assert_eq!(key("للرئيس"), key("رئيس"));
        assert_eq!(key("بالمدينة"), key("مدينتها"));
        assert_eq!(key("السلطات"), key("سلطاتها"));
        assert_eq!(key("صوتها"), key("صوت"));
        assert_eq!(key("فقال"), key("قال"));
        // Short words keep their letters: و in ولد is a root letter.
        assert_eq!(key("ولد"), "ولد");
        assert_eq!(clitics("الله").prefixes, 0);
        assert_ne!(key("الرئيس"), key("الوزير"));
        assert_eq!(key("Minister"), "minister");
    }
}

/// Number words of Arabic and English, in matching form ([`normalize`]), as the value they stand
/// for; a magnitude word (`hundred`, `ألف`, `million`, `مليار` …) as its power of ten.
///
/// The quality checks use it ([`crate::check`]); the aligner uses a shorter table
/// ([`anchor_number_word`], without one, two and the ordinals). Arabic forms are listed
/// unnormalized and normalized on first use.
const CHECK_NUMBER_WORDS: &[(&str, u64)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("hundred", 100),
    ("hundreds", 100),
    ("thousand", 1_000),
    ("thousands", 1_000),
    ("million", 1_000_000),
    ("millions", 1_000_000),
    ("billion", 1_000_000_000),
    ("billions", 1_000_000_000),
    ("واحد", 1),
    ("واحدة", 1),
    ("اثنان", 2),
    ("اثنين", 2),
    ("اثنتان", 2),
    ("اثنتين", 2),
    ("ثلاث", 3),
    ("ثلاثة", 3),
    ("أربع", 4),
    ("أربعة", 4),
    ("خمس", 5),
    ("خمسة", 5),
    ("ست", 6),
    ("ستة", 6),
    ("سبع", 7),
    ("سبعة", 7),
    ("ثمان", 8),
    ("ثماني", 8),
    ("ثمانية", 8),
    ("تسع", 9),
    ("تسعة", 9),
    ("عشر", 10),
    ("عشرة", 10),
    ("عشرون", 20),
    ("عشرين", 20),
    ("ثلاثون", 30),
    ("ثلاثين", 30),
    ("أربعون", 40),
    ("أربعين", 40),
    ("خمسون", 50),
    ("خمسين", 50),
    ("ستون", 60),
    ("ستين", 60),
    ("سبعون", 70),
    ("سبعين", 70),
    ("ثمانون", 80),
    ("ثمانين", 80),
    ("تسعون", 90),
    ("تسعين", 90),
    ("مئة", 100),
    ("مائة", 100),
    ("مئات", 100),
    ("ألف", 1_000),
    ("آلاف", 1_000),
    ("مليون", 1_000_000),
    ("ملايين", 1_000_000),
    ("مليار", 1_000_000_000),
    ("مليارات", 1_000_000_000),
    ("بليون", 1_000_000_000),
    // Ordinals: `63rd` is `الثالث والستين`, `Radio 4` is `الإذاعة الرابعة`.
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("أول", 1),
    ("أولى", 1),
    ("ثاني", 2),
    ("ثانية", 2),
    ("ثالث", 3),
    ("ثالثة", 3),
    ("رابع", 4),
    ("رابعة", 4),
    ("خامس", 5),
    ("خامسة", 5),
    ("سادس", 6),
    ("سادسة", 6),
    ("سابع", 7),
    ("سابعة", 7),
    ("ثامن", 8),
    ("ثامنة", 8),
    ("تاسع", 9),
    ("تاسعة", 9),
    ("عاشر", 10),
    ("عاشرة", 10),
];

/// The number words that the aligner takes as anchors ([`anchor_number_word`]): cardinals of
/// both languages from three up and the magnitudes, as the value they stand for (a magnitude
/// word as its power of ten). One and two are left out (`one of` and the Arabic dual would give
/// false anchors), and so are ordinals. Arabic forms are given unnormalized and normalized on
/// first use.
const ANCHOR_NUMBER_WORDS: [(&str, u64); 44] = [
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fifteen", 15),
    ("twenty", 20),
    ("hundred", 100),
    ("hundreds", 100),
    ("thousand", 1_000),
    ("thousands", 1_000),
    ("million", 1_000_000),
    ("millions", 1_000_000),
    ("billion", 1_000_000_000),
    ("billions", 1_000_000_000),
    ("ثلاث", 3),
    ("ثلاثة", 3),
    ("أربع", 4),
    ("أربعة", 4),
    ("خمسة", 5),
    ("ست", 6),
    ("ستة", 6),
    ("سبعة", 7),
    ("ثماني", 8),
    ("ثمانية", 8),
    ("تسعة", 9),
    ("عشرة", 10),
    ("عشرين", 20),
    ("عشرون", 20),
    ("مئة", 100),
    ("مائة", 100),
    ("ألف", 1_000),
    ("آلاف", 1_000),
    ("مليون", 1_000_000),
    ("ملايين", 1_000_000),
    ("مليار", 1_000_000_000),
    ("مليارات", 1_000_000_000),
    ("بليون", 1_000_000_000),
];

/// The value of a number word that the aligner takes as an anchor, given in matching form
/// ([`normalize`]): a cardinal from three up or a magnitude, in either language, an Arabic one
/// with or without a leading `و` (what is left keeps three letters). Unlike [`number_word`], no
/// one or two (`one of`, the Arabic dual) and no ordinals.
///
/// ```
/// use mizan::text::{anchor_number_word, normalize};
/// assert_eq!(anchor_number_word(&normalize("وستة")), Some(6));
/// assert_eq!(anchor_number_word("million"), Some(1_000_000));
/// assert_eq!(anchor_number_word("one"), None);
/// assert_eq!(anchor_number_word(&normalize("الثالث")), None);
/// ```
pub fn anchor_number_word(norm: &str) -> Option<u64> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<String, u64>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| ANCHOR_NUMBER_WORDS.iter().map(|&(w, v)| (normalize(w), v)).collect());
    table
        .get(norm)
        .or_else(|| {
            norm.strip_prefix('و')
                .filter(|r| r.chars().count() >= 3)
                .and_then(|r| table.get(r))
        })
        .copied()
}

/// The value of one number word given in matching form ([`normalize`]): `ستة` and `six` → 6,
/// `مليون` → 1000000, ordinals too (`الرابعة`, `third`); Arabic words may carry the proclitics
/// و ف, then ب ل ك, then the article ال (`وبعشرين`, `الأربعين`, `للثالثة`). `None` for any
/// other word.
///
/// ```
/// use mizan::text::{normalize, number_word};
/// assert_eq!(number_word(&normalize("ستة")), Some(6));
/// assert_eq!(number_word(&normalize("وخمسة")), Some(5));
/// assert_eq!(number_word(&normalize("بعشرين")), Some(20));
/// assert_eq!(number_word(&normalize("والثلاثين")), Some(30));
/// assert_eq!(number_word("million"), Some(1_000_000));
/// assert_eq!(number_word("people"), None);
/// ```
pub fn number_word(norm: &str) -> Option<u64> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<String, u64>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| CHECK_NUMBER_WORDS.iter().map(|&(w, v)| (normalize(w), v)).collect());
    if let Some(v) = table.get(norm) {
        return Some(*v);
    }
    if !norm.starts_with(is_arabic_letter) {
        return None;
    }
    // Proclitics in their order, each optional; what is left keeps two letters (ست).
    let strip = |w: &str, prefixes: &[&str]| prefixes.iter().find_map(|p| w.strip_prefix(p)).map(str::to_string);
    let mut forms = Vec::with_capacity(3);
    let mut w = norm.to_string();
    if let Some(r) = strip(&w, &["و", "ف"]) {
        w = r;
        forms.push(w.clone());
    }
    if let Some(r) = strip(&w, &["ب", "ك", "ل"]) {
        // ل before the article is written لل: `للثالثة` is ل + `الثالثة`.
        w = if r.starts_with('ل') && !r.starts_with("ال") {
            format!("ا{r}")
        } else {
            r
        };
        forms.push(w.clone());
    }
    if let Some(r) = w.strip_prefix("ال") {
        forms.push(r.to_string());
    }
    forms
        .iter()
        .filter(|f| f.chars().count() >= 2)
        .find_map(|f| table.get(f.as_str()).copied())
}

/// Whether a number word's value is a magnitude (hundred, thousand, million, billion): after a
/// number it multiplies it (`3.5 million`, `٦ ملايين`).
pub fn is_magnitude(value: u64) -> bool {
    matches!(value, 100 | 1_000 | 1_000_000 | 1_000_000_000)
}
