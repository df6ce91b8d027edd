//! Term recognition: which glossary terms a segment contains, and where.
//!
//! Both the terms and the text are cut into tokens by [`crate::text::tokenize`] (inline tags in the
//! text are passed over) and every word gets its [`crate::text::morph`] key — what remains once
//! every letter that could be a clitic or an affix is removed — so `مجلس`, `ومجلس`, `لمجلس` and
//! `بمجلس` share a key, as do `الأمن`, `أمن` and `للأمن`. A term word matches a text word when:
//! - their normalized forms are equal ([`crate::text::normalize`]: hamza forms, alef maqsura, ta
//!   marbuta, tashkeel and tatweel folded), or
//! - their keys are equal and the words differ only by *clitics*: the conjunctions و ف, the
//!   prepositions ب ل ك, the article ال (added or dropped) and attached pronouns (with the ta
//!   marbuta written ت before them, `حكومتها`). Inflection must agree: a person prefix (ي ت ن)
//!   must be the same (so `تونس` is not `يونس`), and an inflection suffix too, except that the
//!   case forms of one plural or dual (ون / ين / ان) stand for each other; on a key of fewer than
//!   three letters [`crate::text::affix_cost`]'s stricter rule decides.
//!
//! English words (any script without the Arabic rules) match when equal after lower-casing, or
//! when one is the other with a plural or possessive ending (`-s`, `-es`, `-ies`/`-y`, `'s`).
//!
//! The index is a trie over the words' keys: from each position of the text it is walked along
//! the following words' keys for as long as some term continues, so a segment costs a few hash
//! look-ups per token, whatever the size of the glossary; only the terms whose keys all match are
//! checked word by word. At each position the
//! longest term found wins, and the search resumes after it: hits never overlap. Terms whose
//! normalized source is the same (one term with two entries) give one hit listing every entry.

use std::collections::HashMap;

use super::Term;
use crate::text::{affix_cost, morph, tokenize, Token, TokenKind, SHORT_KEY};
use crate::unit::LangTag;

pub use crate::unit::TermHit;

/// A token reduced to what matching compares.
#[derive(Debug, Clone)]
struct Word {
    norm: String,
    key: String,
    affixes: u32,
    arabic: bool,
}

/// Terms with one normalized source: what the index points at.
#[derive(Debug)]
struct Entry {
    words: Vec<Word>,
    /// Indexes into [`Glossary::terms`], in id order.
    terms: Vec<usize>,
}

/// The in-memory recognizer of a glossary.
#[derive(Debug, Default)]
pub struct Glossary {
    terms: Vec<Term>,
    entries: Vec<Entry>,
    /// A trie over the words' keys: (node, hash of the next word's key) → child node. Node 0 is
    /// the root; a path spells the keys of a term's words.
    children: HashMap<(u32, u64), u32>,
    /// The entries whose keys end at each node.
    ends: Vec<Vec<u32>>,
    /// Only targets in this language are reported (`None`: all).
    target_lang: Option<LangTag>,
}

impl Glossary {
    /// The same recognizer reporting only targets (and forbidden variants) in a language `lang`
    /// serves (`None`: all).
    pub fn with_target_lang(mut self, lang: Option<LangTag>) -> Glossary {
        self.target_lang = lang;
        self
    }

    /// The recognizer of `terms` (all languages).
    pub fn from_terms(mut terms: Vec<Term>) -> Glossary {
        terms.sort_by_key(|t| t.id);
        let mut entries: Vec<Entry> = Vec::new();
        let mut by_source: HashMap<String, usize> = HashMap::new();
        let mut children: HashMap<(u32, u64), u32> = HashMap::new();
        let mut ends: Vec<Vec<u32>> = vec![Vec::new()];
        for (i, t) in terms.iter().enumerate() {
            let words: Vec<Word> = tokenize(&t.term.source)
                .iter()
                .filter(|tok| tok.kind != TokenKind::Tag)
                .map(word)
                .collect();
            if words.is_empty() {
                continue;
            }
            let joined = words.iter().map(|w| w.norm.as_str()).collect::<Vec<_>>().join(" ");
            if let Some(&e) = by_source.get(&joined) {
                entries[e].terms.push(i);
                continue;
            }
            let e = entries.len();
            let mut node = 0u32;
            for w in &words {
                let next = ends.len() as u32;
                node = *children.entry((node, key_hash(&w.key))).or_insert(next);
                if node == next {
                    ends.push(Vec::new());
                }
            }
            ends[node as usize].push(e as u32);
            by_source.insert(joined, e);
            entries.push(Entry { words, terms: vec![i] });
        }
        Glossary {
            terms,
            entries,
            children,
            ends,
            target_lang: None,
        }
    }

    /// Number of glossary entries.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the glossary is empty.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms found in `text`, in text order, never overlapping (the longest term at a
    /// position wins).
    ///
    /// ```
    /// use mizan::terms::{Glossary, NewTerm};
    /// let g = Glossary::from_terms(vec![
    ///     NewTerm::new("ar", "الأمم المتحدة", "en", "United Nations").unwrap().stored(1),
    ///     NewTerm::new("ar", "الأمين العام للأمم المتحدة", "en", "UN Secretary-General").unwrap().stored(2),
    /// ]);
    /// let hits = g.hits("قال الأمين العام للأمم المتحدة إن الأمم المتحدة مستعدة");
    /// let ids: Vec<i64> = hits.iter().map(|h| h.term_id).collect();
    /// assert_eq!(ids, [2, 1]);
    /// ```
    pub fn hits(&self, text: &str) -> Vec<TermHit> {
        if self.entries.is_empty() {
            return Vec::new();
        }
        let tokens: Vec<Token> = tokenize(text)
            .into_iter()
            .filter(|t| t.kind != TokenKind::Tag)
            .collect();
        let words: Vec<Word> = tokens.iter().map(word).collect();
        let mut hits = Vec::new();
        let mut i = 0;
        let hashes: Vec<u64> = words.iter().map(|w| key_hash(&w.key)).collect();
        while i < words.len() {
            // Walk the trie along the text's keys; every node passed may end terms, checked word
            // by word; the deepest one that passes wins.
            let mut best: Option<(usize, usize)> = None; // (entry, length)
            let mut node = 0u32;
            for (j, h) in hashes.iter().enumerate().skip(i) {
                let Some(&next) = self.children.get(&(node, *h)) else {
                    break;
                };
                node = next;
                let n = j + 1 - i;
                for &e in &self.ends[node as usize] {
                    let entry = &self.entries[e as usize];
                    let mut pairs = entry.words.iter().zip(&words[i..i + n]);
                    if pairs.next().is_some_and(|(t, w)| same_word(t, w, true))
                        && pairs.all(|(t, w)| same_word(t, w, false))
                    {
                        best = Some((e as usize, n));
                        break;
                    }
                }
            }
            match best {
                Some((e, n)) => {
                    let (start, end) = (tokens[i].start, tokens[i + n - 1].end);
                    hits.push(self.hit(&self.entries[e], start, end, text));
                    i += n;
                }
                None => i += 1,
            }
        }
        hits
    }

    fn hit(&self, entry: &Entry, start: usize, end: usize, text: &str) -> TermHit {
        let first = &self.terms[entry.terms[0]];
        let wanted = |lang: &str| {
            self.target_lang
                .as_ref()
                .is_none_or(|t| LangTag::parse(lang).is_ok_and(|l| t.serves(&l)))
        };
        let mut targets: Vec<String> = Vec::new();
        let mut forbidden: Vec<String> = Vec::new();
        for &i in &entry.terms {
            let t = &self.terms[i].term;
            for x in t.targets.iter().filter(|x| wanted(&x.lang)) {
                if !targets.contains(&x.text) {
                    targets.push(x.text.clone());
                }
            }
            for x in t.forbidden.iter().filter(|x| wanted(&x.lang)) {
                if !forbidden.contains(&x.text) {
                    forbidden.push(x.text.clone());
                }
            }
        }
        TermHit {
            start,
            end,
            text: text[start..end].to_string(),
            source: first.term.source.clone(),
            targets,
            forbidden,
            term_id: first.id,
            other_ids: if entry.terms.len() > 1 {
                entry.terms.iter().map(|&i| self.terms[i].id).collect()
            } else {
                Vec::new()
            },
            pos: first.term.pos.clone(),
            note: first.term.note.clone(),
        }
    }
}

/// A word key's hash for the trie (a fixed hasher: the same key always lands on the same edge;
/// a collision only costs a failed word check, never a wrong hit).
fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

/// The recognition key of a term's first token (what the index is keyed by): a stored derived
/// column, so that a store can find the entries a text may hold without loading them all.
pub(crate) fn first_key(source: &str) -> String {
    tokenize(source)
        .iter()
        .find(|t| t.kind != TokenKind::Tag)
        .map(|t| word(t).key)
        .unwrap_or_default()
}

/// What matching keeps of a token.
fn word(t: &Token) -> Word {
    if t.kind != TokenKind::Word {
        return Word {
            norm: t.norm.clone(),
            key: t.norm.clone(),
            affixes: 0,
            arabic: false,
        };
    }
    let arabic = t
        .norm
        .chars()
        .next()
        .is_some_and(|c| ('\u{0620}'..='\u{064A}').contains(&c));
    if arabic {
        let m = morph(&t.norm);
        Word {
            key: m.key.to_string(),
            affixes: m.affixes,
            norm: t.norm.clone(),
            arabic,
        }
    } else {
        Word {
            key: english_key(&t.norm),
            affixes: 0,
            norm: t.norm.clone(),
            arabic,
        }
    }
}

/// An English word without a plural or possessive ending (`councils`, `council's` → `council`;
/// `agencies` → `agency`; `taxes` → `tax`). Symmetric: both sides of a comparison get it.
fn english_key(w: &str) -> String {
    let w = w.strip_suffix("'s").unwrap_or(w);
    let n = w.chars().count();
    if n > 4 {
        if let Some(stem) = w.strip_suffix("ies") {
            return format!("{stem}y");
        }
        for end in ["sses", "xes", "ches", "shes", "zes"] {
            if w.ends_with(end) {
                return w[..w.len() - 2].to_string();
            }
        }
    }
    if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// Prefix codes of [`crate::text::MORPH_PREFIXES`] from 7 on are inflection (ي ت ن).
const FIRST_PERSON_PREFIX: u32 = 7;
/// Suffix codes of [`crate::text::MORPH_SUFFIXES`] from 9 on are inflection; 9–11 are ون ين ان.
const FIRST_INFLECTION_SUFFIX: u32 = 9;
const LAST_CASE_SUFFIX: u32 = 11;

/// Whether text word `w` is term word `t` up to clitics (see the module documentation). Only the
/// `first` word of a term may take or lose the conjunctions and prepositions; the words after it
/// may only take or lose the article (`الأمين العام للأمم المتحدة` is not found in
/// `الأمين العام والأمم المتحدة`, where a new phrase starts at و).
fn same_word(t: &Word, w: &Word, first: bool) -> bool {
    if t.norm == w.norm {
        return true;
    }
    if t.key != w.key {
        return false;
    }
    if !t.arabic {
        return true;
    }
    if (t.affixes | w.affixes) & SHORT_KEY != 0 && affix_cost(t.affixes, w.affixes) >= 20 {
        return false;
    }
    let nibbles = |x: u32, n: u32| (0..n).map(move |i| (x >> (4 * i)) & 0xF).filter(|&c| c != 0);
    let person = |a: u32| {
        nibbles(a & 0xFFFF, 4)
            .filter(|&c| c >= FIRST_PERSON_PREFIX)
            .collect::<Vec<_>>()
    };
    let inflection = |a: u32| {
        nibbles((a >> 16) & 0xFFF, 3)
            .filter(|&c| c >= FIRST_INFLECTION_SUFFIX)
            .collect::<Vec<_>>()
    };
    if person(t.affixes) != person(w.affixes) {
        return false;
    }
    // Conjunctions and prepositions (codes 1–5); 6 is the article.
    let particles = |a: u32| nibbles(a & 0xFFFF, 4).filter(|&c| c <= 5).collect::<Vec<_>>();
    if !first && particles(t.affixes) != particles(w.affixes) {
        return false;
    }
    let (ti, wi) = (inflection(t.affixes), inflection(w.affixes));
    let case_form = |v: &[u32]| v.len() == 1 && (FIRST_INFLECTION_SUFFIX..=LAST_CASE_SUFFIX).contains(&v[0]);
    ti == wi || (case_form(&ti) && case_form(&wi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::NewTerm;

    fn glossary(pairs: &[(&str, &str)]) -> Glossary {
        Glossary::from_terms(
            pairs
                .iter()
                .enumerate()
                .map(|(i, (s, t))| NewTerm::new("ar", s, "en", t).unwrap().stored(i as i64 + 1))
                .collect(),
        )
    }

    fn found(g: &Glossary, text: &str) -> Vec<String> {
        g.hits(text).iter().map(|h| text[h.start..h.end].to_string()).collect()
    }

    #[test]
    fn clitics_article_and_spelling_variants_are_found() {
        let g = glossary(&[("مجلس الأمن", "Security Council")]);
        for text in [
            "ومجلس الأمن",
            "لمجلس الأمن",
            "بمجلس الأمن",
            "مجلس الامن",
            "مجلسِ الأمنِ",
            "فمجلس الأمن",
        ] {
            assert_eq!(found(&g, text), [text], "{text}");
        }
        assert!(found(&g, "مجلس الوزراء").is_empty());
        let g = glossary(&[("الأمم المتحدة", "United Nations")]);
        assert_eq!(found(&g, "قال للأمم المتحدة"), ["للأمم المتحدة"]);
        assert_eq!(found(&g, "وفد أمم متحدة"), ["أمم متحدة"], "article dropped");
        let g = glossary(&[("حكومة", "government")]);
        assert_eq!(found(&g, "وقالت حكومتها"), ["حكومتها"], "ta marbuta before a pronoun");
        assert!(found(&g, "المصادر الحكومية").is_empty(), "an adjective is another word");
    }

    #[test]
    fn inflection_must_agree() {
        let g = glossary(&[("تونس", "Tunisia")]);
        assert_eq!(found(&g, "وتونس"), ["وتونس"]);
        assert!(found(&g, "يونس").is_empty(), "another person prefix, another word");
        let g = glossary(&[("المسلمون", "Muslims")]);
        assert_eq!(found(&g, "للمسلمين"), ["للمسلمين"], "case forms of one plural");
    }

    #[test]
    fn longest_term_wins_and_hits_do_not_overlap() {
        let g = glossary(&[
            ("الأمين العام", "Secretary-General"),
            ("الأمين العام للأمم المتحدة", "UN Secretary-General"),
            ("الأمم المتحدة", "United Nations"),
        ]);
        let hits = g.hits("وقال الأمين العام للأمم المتحدة اليوم");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].targets, ["UN Secretary-General"]);
        let hits = g.hits("الأمين العام والأمم المتحدة");
        assert_eq!(hits.iter().map(|h| h.term_id).collect::<Vec<_>>(), [1, 3]);
    }

    #[test]
    fn entries_with_one_source_give_one_hit() {
        let g = glossary(&[("كيم جونغ أون", "Kim Jong Un"), ("كيم جونغ اون", "Kim Jong-un")]);
        let hits = g.hits("التقى بوتين وكيم جونغ أون");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].targets, ["Kim Jong Un", "Kim Jong-un"]);
        assert_eq!(hits[0].other_ids, [1, 2]);
    }

    #[test]
    fn english_plural_and_possessive() {
        let g = Glossary::from_terms(vec![NewTerm::new("en", "Security Council", "ar", "مجلس الأمن")
            .unwrap()
            .stored(1)]);
        assert_eq!(found(&g, "the Security Council's vote"), ["Security Council's"]);
        assert!(found(&g, "the security committee").is_empty());
    }

    #[test]
    fn inline_tags_are_passed_over() {
        let g = glossary(&[("مجلس الأمن", "Security Council")]);
        let text = "قرار <b0>مجلس</b0> الأمن";
        assert_eq!(found(&g, text), ["مجلس</b0> الأمن"]);
    }
}
