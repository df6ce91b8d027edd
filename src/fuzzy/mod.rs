//! Fuzzy matching: the score, its explanation, number substitution, and the keys, weights and
//! bounds that the persistent candidate index is built on. The index itself, being stored data,
//! belongs to the store ([`crate::tm::index`]); nothing here touches a database.
//!
//! Invariants:
//!
//! - Scores are in 0–100 with one decimal; **100 only when the source is identical to the query
//!   after white space folding** ([`crate::text::fold_whitespace`]).
//! - The score is a pure function of the two texts: the indexed
//!   [`crate::tm::index::search`] and the reference [`crate::tm::index::search_exhaustive`] compute it with the same code, and for any `min` ≥ 50 (in fact any
//!   `min` > 0) they return the same units with the same scores in the same order
//!   (score descending, then the tie-break below, then unit id ascending).
//! - Stored text is never changed: matching works on [`crate::text::normalize`]d copies.
//!
//! # The score
//!
//! Both texts are cut into tokens ([`crate::text::tokenize`]). Every token has a **weight**
//! (word, number: 1; punctuation: ⅒; inline tag: 0, tags are counted apart, as a penalty) and a
//! **key**: a word's key is what remains after [`crate::text::morph`] removes every letter that
//! could be an affix (clitics و ف ب ل ك ال in their Arabic order, person prefixes ي ت ن, pronoun
//! suffixes, plural and dual endings ون ين ان ات, ي, a final ت), so that every form of a word has
//! one key whichever of its letters belong to the word (`وزير` and `الوزير`, `في` and `وفي`,
//! `تعاني` and `يعانين`, `قالت` and `قالتها`, `بلد` and `بلدان`); all numbers share one key, all tags share one key; punctuation is its own key.
//! Words with different keys are different words, however close their letters (a cheaper
//! "similar word" with the same consonants was tried and dropped: its coarser index keys made a
//! batch search at 10⁶ units about twice as slow for 0.7 points on the morphology set); among
//! equal scores, the closer spelling ranks first (see **Ties**).
//!
//! `D` is a weighted token edit distance (Levenshtein with these costs):
//!
//! | operation | cost |
//! |---|---|
//! | tokens with equal normalized form, or two numbers, or two tags | 0 |
//! | two words with the same key: the edit distance between their prefix sequences plus that between their suffix sequences ([`crate::text::affix_cost`]) | 0.15 per clitic (و ف ب ل ك ال, pronoun) and 0.2 per inflection affix (ي ت ن, ون ين ان ات ي, final ت) added, dropped or changed, a ت under a pronoun being the ة or final ت it is written for; at most 0.45 |
//! | … except on a key of fewer than three letters, unless the words share their innermost prefix or suffix (`فرحه`/`الفرح` 0.3) or differ in the innermost prefix only by و/ف (`هل`/`وهل` 0.15; `الله`/`له` 1) | 1 |
//! | two tokens with different keys | the larger of the two weights (an unrelated word: 1) |
//! | inserting or deleting a token | its weight (a tag: 0) |
//!
//! With `W(q)`, `W(s)` the total weights of query and source and `L = max(W(q), W(s))`:
//!
//! ```text
//! base  = round₁(100 × (1 − D / L))            (100 when L = 0)
//! score = base − orthography − numbers − tags, clamped to ≥ 0,
//!         and at most 99.9 unless the texts are identical (white space folded)
//! orthography = 1    if some aligned tokens differ only in spelling before normalization
//!                    (tashkeel, tatweel, alef/hamza, ى/ي, ة/ه, digit script, quotes, case),
//!                    or if nothing else explains a difference between the texts
//! numbers     = 1 per aligned pair of different numbers, at most 3
//! tags        = 0.5 per tag added, dropped or changed (the edit distance between the two
//!               texts' tag sequences), at most 1
//! ```
//!
//! Consequences: identical text scores 100; orthography-only differences score 99; number-only
//! differences score 97–99 (and [`substitute_numbers`] puts the query's numbers into the
//! suggestion); a query without the unit's tags scores 99–99.5 (the suggestion is the unit's
//! target, tags included); every penalty is at most 5 points, so such matches never fall below
//! 95. Word order matters because `D` is an edit distance over the sequence. Adding an edit never
//! raises `D` relative to `L`, so more edits never score higher.
//!
//! **Ties.** Among equal scores, the source whose aligned tokens differ from the query's in fewer
//! letters after normalization comes first (Levenshtein in characters per aligned pair, an
//! inserted or deleted token counting all its characters: [`Explanation::letters`]), then the one
//! with fewer differences before normalization ([`Explanation::spelling`]), then (in a search) the
//! ranking's tie-break and the lower unit id. So of two units one word away from the query, the one
//! whose word is one letter off ranks first.
//!
//! # Why the index can be lossless
//!
//! A query token can only be matched at cost below its weight by a source token with the same key,
//! so `D ≥ L − O`, where `O` is the weighted size of the multiset intersection of the two texts'
//! keys. Hence
//! `score ≤ 100 × O / L ≤ 100 × min(W(q), W(s)) / max(W(q), W(s))`: a source can reach `min`
//! only if its length is within a factor `min/100` of the query's (length filter), if it shares
//! enough key weight (count filter), and — taking the query's keys rarest first — if it contains
//! one of the keys in the shortest prefix whose complement weighs less than `min/100 × W(q)`
//! (prefix filter). See [`crate::tm::index`] for the storage.

use std::collections::HashMap;

use crate::text::{self, Token, TokenKind};

/// Cost unit: all weights and costs are integers in twentieths of a word.
pub(crate) const WORD: u32 = 20;
/// Weight of a punctuation token (a tenth of a word: a moved comma matters far less than a word).
pub(crate) const PUNCT: u32 = 2;
/// Weight of an inline tag: none. Tags are placeables whose differences the score counts apart,
/// as a small penalty (see the module documentation), not as words.
pub(crate) const TAG: u32 = 0;

/// Key shared by all number placeables (a control character never appears in a token).
pub(crate) const NUMBER_KEY: &str = "\u{1}num";
/// Key shared by all tag placeables.
pub(crate) const TAG_KEY: &str = "\u{1}tag";

/// A token reduced to what the edit distance looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sym {
    /// Interned key: a word's [`text::morph`] key; a number's, tag's or punctuation's own key.
    pub key: u32,
    /// Affix signature: [`text::Morph::affixes`] (0 for anything but a word).
    pub sig: u32,
    /// Weight in twentieths of a word.
    pub weight: u8,
}

/// Key (as a string), clitic signature and weight of one token.
pub(crate) fn token_key(t: &Token) -> (String, u32, u8) {
    match t.kind {
        TokenKind::Word => {
            let m = text::morph(&t.norm);
            (m.key.to_string(), m.affixes, WORD as u8)
        }
        TokenKind::Number => (NUMBER_KEY.to_string(), 0, WORD as u8),
        TokenKind::Tag => (TAG_KEY.to_string(), 0, TAG as u8),
        TokenKind::Punct => (t.norm.clone(), 0, PUNCT as u8),
    }
}

/// Substitution cost between two symbols.
#[inline]
pub(crate) fn sub_cost(a: Sym, b: Sym) -> u32 {
    if a.key != b.key {
        return u32::from(a.weight.max(b.weight));
    }
    if a.sig == b.sig {
        return 0;
    }
    text::affix_cost(a.sig, b.sig).min(u32::from(a.weight.max(b.weight)))
}

/// Total weight of a symbol sequence.
pub(crate) fn total_weight(s: &[Sym]) -> u32 {
    s.iter().map(|x| u32::from(x.weight)).sum()
}

/// Tags added, dropped or changed between two token sequences: the edit distance between their
/// tag sequences (normalized forms).
fn tag_edits(a: &[Token], b: &[Token]) -> u32 {
    fn tags(t: &[Token]) -> Vec<&str> {
        t.iter()
            .filter(|t| t.kind == TokenKind::Tag)
            .map(|t| t.norm.as_str())
            .collect()
    }
    let (a, b) = (tags(a), tags(b));
    if a == b {
        return 0;
    }
    let mut row: Vec<u32> = (0..=b.len() as u32).collect();
    for x in &a {
        let mut diag = row[0];
        row[0] += 1;
        for (j, y) in b.iter().enumerate() {
            let v = (diag + u32::from(x != y)).min(row[j + 1] + 1).min(row[j] + 1);
            diag = row[j + 1];
            row[j + 1] = v;
        }
    }
    row[b.len()]
}

/// `round₁(100 × (1 − d / l))`, the base score; 100 when `l == 0`.
#[inline]
pub(crate) fn base_score(d: u32, l: u32) -> f64 {
    if l == 0 {
        return 100.0;
    }
    round1(100.0 * f64::from(l - d.min(l)) / f64::from(l))
}

/// Rounds to one decimal.
#[inline]
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The largest distance `d` with `base_score(d, l) >= min`, or `None` if even `d = 0` fails.
pub(crate) fn max_distance(l: u32, min: f64) -> Option<u32> {
    if base_score(0, l) < min {
        return None;
    }
    let guess = (f64::from(l) * (1.0 - min / 100.0)).floor().max(0.0) as u32;
    let mut d = guess.min(l);
    while d < l && base_score(d + 1, l) >= min {
        d += 1;
    }
    while d > 0 && base_score(d, l) < min {
        d -= 1;
    }
    Some(d)
}

/// Weighted edit distance with early exit: `None` when the distance exceeds `dmax`.
///
/// Two rows, O(|a|·|b|) time; stops as soon as a whole row exceeds `dmax`.
pub(crate) fn distance_bounded(a: &[Sym], b: &[Sym], dmax: u32, row: &mut Vec<u32>) -> Option<u32> {
    row.clear();
    let mut acc = 0;
    row.push(0);
    for y in b {
        acc += u32::from(y.weight);
        row.push(acc);
    }
    for x in a {
        let wx = u32::from(x.weight);
        let mut diag = row[0];
        row[0] += wx;
        let mut row_min = row[0];
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            let v = (diag + sub_cost(*x, *y)).min(up + wx).min(row[j] + u32::from(y.weight));
            diag = up;
            row[j + 1] = v;
            row_min = row_min.min(v);
        }
        if row_min > dmax {
            return None;
        }
    }
    let d = row[b.len()];
    (d <= dmax).then_some(d)
}

/// One step of the alignment between query and source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Query token i aligned with source token j.
    Pair(usize, usize),
    /// Query token i has no counterpart in the source.
    QueryOnly(usize),
    /// Source token j has no counterpart in the query.
    SourceOnly(usize),
}

/// Full weighted edit distance with one optimal alignment (deterministic tie-breaking).
fn align(a: &[Sym], b: &[Sym]) -> (u32, Vec<Step>) {
    let (n, m) = (a.len(), b.len());
    let w = m + 1;
    let mut dp = vec![0u32; (n + 1) * w];
    for j in 1..=m {
        dp[j] = dp[j - 1] + u32::from(b[j - 1].weight);
    }
    for i in 1..=n {
        let wx = u32::from(a[i - 1].weight);
        dp[i * w] = dp[(i - 1) * w] + wx;
        for j in 1..=m {
            let v = (dp[(i - 1) * w + j - 1] + sub_cost(a[i - 1], b[j - 1]))
                .min(dp[(i - 1) * w + j] + wx)
                .min(dp[i * w + j - 1] + u32::from(b[j - 1].weight));
            dp[i * w + j] = v;
        }
    }
    let mut steps = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let here = dp[i * w + j];
        if i > 0 && j > 0 && here == dp[(i - 1) * w + j - 1] + sub_cost(a[i - 1], b[j - 1]) {
            steps.push(Step::Pair(i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if i > 0 && here == dp[(i - 1) * w + j] + u32::from(a[i - 1].weight) {
            steps.push(Step::QueryOnly(i - 1));
            i -= 1;
        } else {
            steps.push(Step::SourceOnly(j - 1));
            j -= 1;
        }
    }
    steps.reverse();
    (dp[n * w + m], steps)
}

/// A query prepared once for scoring against many sources: tokens, keys and symbols.
pub(crate) struct PreparedQuery<'q> {
    pub text: &'q str,
    pub tokens: Vec<Token>,
    /// Distinct keys of the query, indexed by local key id.
    pub keys: Vec<String>,
    key_ids: HashMap<String, u32>,
    pub syms: Vec<Sym>,
    pub folded: String,
}

impl<'q> PreparedQuery<'q> {
    pub(crate) fn new(text: &'q str) -> Self {
        let tokens = text::tokenize(text);
        let mut keys = Vec::new();
        let mut key_ids = HashMap::new();
        let mut syms = Vec::with_capacity(tokens.len());
        for t in &tokens {
            let (k, sig, weight) = token_key(t);
            let next = key_ids.len() as u32;
            let key = *key_ids.entry(k.clone()).or_insert_with(|| {
                keys.push(k);
                next
            });
            syms.push(Sym { key, sig, weight });
        }
        PreparedQuery {
            text,
            tokens,
            keys,
            key_ids,
            syms,
            folded: text::fold_whitespace(text),
        }
    }

    /// Symbols of source tokens in the query's local key space (unknown keys get fresh ids).
    fn source_syms(&self, tokens: &[Token]) -> Vec<Sym> {
        let mut extra: HashMap<String, u32> = HashMap::new();
        tokens
            .iter()
            .map(|t| {
                let (k, sig, weight) = token_key(t);
                let key = match self.key_ids.get(&k) {
                    Some(&id) => id,
                    None => {
                        let next = (self.keys.len() + extra.len()) as u32;
                        *extra.entry(k).or_insert(next)
                    }
                };
                Sym { key, sig, weight }
            })
            .collect()
    }

    /// The score of `source` against this query.
    pub(crate) fn score(&self, source: &str) -> f64 {
        self.compare(source, false).score
    }

    /// The score of `source` against this query and its tie-break key ([`Explanation::tie_key`]).
    pub(crate) fn score_and_tie(&self, source: &str) -> (f64, u32) {
        let e = self.compare(source, false);
        (e.score, e.tie_key())
    }

    /// Scores `source` and, when `explain` is set, records why.
    fn compare(&self, source: &str, explain: bool) -> Explanation {
        let s_tokens = text::tokenize(source);
        let s_syms = self.source_syms(&s_tokens);
        let (d, steps) = align(&self.syms, &s_syms);
        let l = total_weight(&self.syms).max(total_weight(&s_syms));
        let base = base_score(d, l);
        let identical = self.folded == text::fold_whitespace(source);

        let mut ops = Vec::new();
        let (mut orth, mut nums) = (0u32, 0u32);
        let (mut letters, mut spelling) = (0u32, 0u32);
        let chars = |s: &str| s.chars().count() as u32;
        let tags = tag_edits(&self.tokens, &s_tokens);
        for step in &steps {
            match *step {
                Step::Pair(i, j) => {
                    let (qt, st) = (&self.tokens[i], &s_tokens[j]);
                    let cost = sub_cost(self.syms[i], s_syms[j]);
                    let (qr, sr) = (qt.raw(self.text), st.raw(source));
                    if qt.norm != st.norm {
                        letters += strsim::levenshtein(&qt.norm, &st.norm) as u32;
                    }
                    if qr != sr {
                        spelling += strsim::levenshtein(qr, sr) as u32;
                    }
                    let reason = if cost == 0 {
                        if qt.norm != st.norm {
                            match qt.kind {
                                TokenKind::Number => {
                                    nums += 1;
                                    Some(Reason::Number)
                                }
                                TokenKind::Tag => Some(Reason::Tag),
                                _ => {
                                    orth += 1;
                                    Some(Reason::Orthography)
                                }
                            }
                        } else if qr != sr {
                            orth += 1;
                            Some(Reason::Orthography)
                        } else {
                            None
                        }
                    } else if self.syms[i].key == s_syms[j].key && cost < WORD {
                        Some(Reason::Clitic)
                    } else {
                        Some(Reason::Different)
                    };
                    if explain {
                        ops.push(DiffOp {
                            op: if cost == 0 && reason != Some(Reason::Number) && reason != Some(Reason::Tag) {
                                OpKind::Equal
                            } else {
                                OpKind::Substituted
                            },
                            query: Some(qr.to_string()),
                            source: Some(sr.to_string()),
                            cost: f64::from(cost) / f64::from(WORD),
                            reason,
                        });
                    }
                }
                Step::QueryOnly(i) => {
                    letters += chars(&self.tokens[i].norm);
                    spelling += chars(self.tokens[i].raw(self.text));
                    if explain {
                        ops.push(DiffOp {
                            op: OpKind::Inserted,
                            query: Some(self.tokens[i].raw(self.text).to_string()),
                            source: None,
                            cost: f64::from(self.syms[i].weight) / f64::from(WORD),
                            reason: None,
                        });
                    }
                }
                Step::SourceOnly(j) => {
                    letters += chars(&s_tokens[j].norm);
                    spelling += chars(s_tokens[j].raw(source));
                    if explain {
                        ops.push(DiffOp {
                            op: OpKind::Deleted,
                            query: None,
                            source: Some(s_tokens[j].raw(source).to_string()),
                            cost: f64::from(s_syms[j].weight) / f64::from(WORD),
                            reason: None,
                        });
                    }
                }
            }
        }
        let mut penalties = Vec::new();
        let num_points = f64::from(nums.min(3));
        let tag_points = 0.5 * f64::from(tags.min(2));
        let unexplained = !identical && d == 0 && nums == 0 && tags == 0 && orth == 0;
        let orth_points = if orth > 0 || unexplained { 1.0 } else { 0.0 };
        for (kind, count, points) in [
            (PenaltyKind::Orthography, orth, orth_points),
            (PenaltyKind::Numbers, nums, num_points),
            (PenaltyKind::Tags, tags, tag_points),
        ] {
            if points > 0.0 {
                penalties.push(Penalty { kind, count, points });
            }
        }
        let mut score = (base - orth_points - num_points - tag_points).max(0.0);
        if !identical {
            score = score.min(99.9);
        }
        let score = round1(score);
        Explanation {
            score,
            base,
            distance: f64::from(d) / f64::from(WORD),
            length: f64::from(l) / f64::from(WORD),
            identical,
            ops,
            query_normalizations: if explain { normalizations(self.text) } else { Vec::new() },
            source_normalizations: if explain { normalizations(source) } else { Vec::new() },
            penalties,
            letters,
            spelling,
        }
    }
}

/// The fuzzy score of `source` against `query`, 0–100 with one decimal (formula in the module
/// documentation).
///
/// ```
/// use mizan::fuzzy::score;
/// let q = "وقال الرئيس إن الاجتماع سيعقد في عام ٢٠٢٤";
/// assert_eq!(score(q, q), 100.0);
/// // Orthography only (hamza form, tashkeel): at least 95, not 100.
/// let s = score(q, "وقال الرَّئيس ان الاجتماع سيعقد في عام ٢٠٢٤");
/// assert!((95.0..100.0).contains(&s));
/// // A clitic dropped costs less than an unrelated word.
/// assert!(score(q, "قال الرئيس إن الاجتماع سيعقد في عام ٢٠٢٤") > score(q, "وقال الوزير إن الاجتماع سيعقد في عام ٢٠٢٤"));
/// ```
pub fn score(query: &str, source: &str) -> f64 {
    PreparedQuery::new(query).score(source)
}

/// Explains the score of `source` against `query`: the token diff with costs, the normalizations
/// that fired in each text, and the penalties.
///
/// ```
/// use mizan::fuzzy::{explain, OpKind};
/// let e = explain("زار الرئيس مصر عام 2024", "زار الرئيس مصر عام 2022");
/// assert_eq!(e.score, 99.0);
/// assert!(e.ops.iter().any(|o| o.op == OpKind::Substituted && o.query.as_deref() == Some("2024")));
/// let json = serde_json::to_value(&e).unwrap();
/// assert_eq!(json["penalties"][0]["kind"], "numbers");
/// ```
pub fn explain(query: &str, source: &str) -> Explanation {
    PreparedQuery::new(query).compare(source, true)
}

/// Why a source scored what it scored against a query.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Explanation {
    /// The final score (same as [`score`]).
    pub score: f64,
    /// `round₁(100 × (1 − distance / length))`, before penalties.
    pub base: f64,
    /// Weighted token edit distance, in words.
    pub distance: f64,
    /// The larger of the two texts' total token weights, in words.
    pub length: f64,
    /// Whether the texts are identical after white space folding (then and only then score 100).
    pub identical: bool,
    /// The token diff, in text order, that turns the source into the query.
    pub ops: Vec<DiffOp>,
    /// Normalization rules that changed something in the query.
    pub query_normalizations: Vec<Normalization>,
    /// Normalization rules that changed something in the source.
    pub source_normalizations: Vec<Normalization>,
    /// Points taken off the base score.
    pub penalties: Vec<Penalty>,
    /// Letters that differ between the aligned tokens after normalization (Levenshtein in
    /// characters per aligned pair; an inserted or deleted token counts all its characters).
    /// Among equal scores, fewer comes first.
    pub letters: u32,
    /// The same before normalization: among equal scores and letters, fewer comes first.
    pub spelling: u32,
}

impl Explanation {
    /// The tie-break among equal scores, lower first: [`Explanation::letters`], then
    /// [`Explanation::spelling`] (each saturating at 65,535).
    pub fn tie_key(&self) -> u32 {
        (self.letters.min(0xFFFF) << 16) | self.spelling.min(0xFFFF)
    }
}

/// One step of the token diff.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DiffOp {
    /// What happened.
    pub op: OpKind,
    /// The query token (original text), absent for a deletion.
    pub query: Option<String>,
    /// The source token (original text), absent for an insertion.
    pub source: Option<String>,
    /// The cost in words (1 = an unrelated word).
    pub cost: f64,
    /// Why an aligned pair is not plainly equal.
    pub reason: Option<Reason>,
}

/// Kinds of diff steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    /// Same token after normalization (possibly spelled differently: see `reason`).
    Equal,
    /// A source token replaced by a query token.
    Substituted,
    /// A query token with no counterpart in the source.
    Inserted,
    /// A source token with no counterpart in the query.
    Deleted,
}

/// Why an aligned pair of tokens differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Equal after normalization, spelled differently.
    Orthography,
    /// Two different numbers (a placeable: substituted in the suggestion).
    Number,
    /// Two different inline tags.
    Tag,
    /// The same stem with different clitics.
    Clitic,
    /// Different words or symbols.
    Different,
}

/// Kinds of penalties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyKind {
    /// Spelling-only differences.
    Orthography,
    /// Different numbers.
    Numbers,
    /// Different inline tags.
    Tags,
}

/// Points taken off the base score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Penalty {
    /// What the penalty is for.
    pub kind: PenaltyKind,
    /// How many aligned token pairs it concerns.
    pub count: u32,
    /// Points taken off.
    pub points: f64,
}

/// Normalization rules of [`crate::text::normalize`], as reported by [`explain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalization {
    /// Text that was not in NFC.
    Nfc,
    /// Tashkeel (harakat, shadda, sukun, tanwin, superscript alef).
    Diacritics,
    /// Tatweel (kashida).
    Tatweel,
    /// أ إ آ ٱ → ا.
    AlefHamza,
    /// ى → ي.
    AlefMaqsura,
    /// ة → ه.
    TaMarbuta,
    /// Arabic-Indic or Persian digits.
    Digits,
    /// Arabic punctuation (، ؛ ؟ ٪ ٫ ٬).
    Punctuation,
    /// Quote styles.
    Quotes,
    /// Upper-case letters.
    Case,
    /// Invisible format characters (bidi marks, ZWNJ, ZWJ).
    Invisible,
}

/// Which normalization rules change something in `s`.
fn normalizations(s: &str) -> Vec<Normalization> {
    use unicode_normalization::is_nfc;
    let mut out = Vec::new();
    let mut add = |n| {
        if !out.contains(&n) {
            out.push(n);
        }
    };
    if !is_nfc(s) {
        add(Normalization::Nfc);
    }
    for c in s.chars() {
        match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' => add(Normalization::Diacritics),
            '\u{0640}' => add(Normalization::Tatweel),
            'أ' | 'إ' | 'آ' | 'ٱ' => add(Normalization::AlefHamza),
            'ى' => add(Normalization::AlefMaqsura),
            'ة' => add(Normalization::TaMarbuta),
            '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => add(Normalization::Digits),
            '،' | '؛' | '؟' | '٪' | '٫' | '٬' | '۔' => add(Normalization::Punctuation),
            '«' | '»' | '“' | '”' | '„' | '‟' | '″' | '‘' | '’' | '‚' | '‛' | '′' => {
                add(Normalization::Quotes)
            }
            _ if crate::text::is_invisible_mark(c) => add(Normalization::Invisible),
            _ if c.is_uppercase() => add(Normalization::Case),
            _ => {}
        }
    }
    out
}

/// The suggestion for `query` from a TM unit (`source`, `target`): `target` with the numbers that
/// differ between `source` and `query` replaced by the query's numbers.
///
/// Numbers are paired by the score's alignment of query and source. A source number is looked up
/// in the target by value (digit script and group separators ignored), and replaced in the digit
/// script the target uses there (Western digits in English). Numbers that the source and query
/// share, and target numbers that do not come from the source, are left alone.
///
/// ```
/// use mizan::fuzzy::substitute_numbers;
/// let s = substitute_numbers("زار الرئيس مصر عام ٢٠٢٤", "زار الرئيس مصر عام 2022",
///                            "The president visited Egypt in 2022.");
/// assert_eq!(s, "The president visited Egypt in 2024.");
/// ```
pub fn substitute_numbers(query: &str, source: &str, target: &str) -> String {
    substitute_numbers_prepared(&PreparedQuery::new(query), source, target)
}

/// [`substitute_numbers`] with the query already prepared (a search's several suggestions).
pub(crate) fn substitute_numbers_prepared(pq: &PreparedQuery<'_>, source: &str, target: &str) -> String {
    if !text::has_digit(pq.text) || !text::has_digit(source) {
        // Nothing to pair: a number token starts with a digit.
        return target.to_string();
    }
    let s_tokens = text::tokenize(source);
    let s_syms = pq.source_syms(&s_tokens);
    let (_, steps) = align(&pq.syms, &s_syms);
    // Source value -> query numbers replacing it, in source order.
    let mut map: Vec<(String, Vec<String>)> = Vec::new();
    for step in steps {
        if let Step::Pair(i, j) = step {
            let (qt, st) = (&pq.tokens[i], &s_tokens[j]);
            if qt.kind == TokenKind::Number && st.kind == TokenKind::Number {
                let (qv, sv) = (number_value(&qt.norm), number_value(&st.norm));
                if qv != sv {
                    match map.iter_mut().find(|(v, _)| *v == sv) {
                        Some((_, reps)) => reps.push(qt.norm.clone()),
                        None => map.push((sv, vec![qt.norm.clone()])),
                    }
                }
            }
        }
    }
    if map.is_empty() {
        return target.to_string();
    }
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut out = String::with_capacity(target.len());
    let mut pos = 0;
    for t in text::tokenize(target) {
        if t.kind != TokenKind::Number {
            continue;
        }
        let v = number_value(&t.norm);
        let Some((_, reps)) = map.iter().find(|(sv, _)| *sv == v) else {
            continue;
        };
        let k = used.entry(v).or_insert(0);
        let rep = &reps[(*k).min(reps.len() - 1)];
        *k += 1;
        out.push_str(&target[pos..t.start]);
        out.push_str(&render_number(rep, t.raw(target)));
        pos = t.end;
    }
    out.push_str(&target[pos..]);
    out
}

/// A number's value for pairing: Western digits, `.` decimal, group separators dropped.
fn number_value(norm: &str) -> String {
    norm.chars().filter(|&c| c != ',').collect()
}

/// Writes the normalized number `norm` in the digit script of `like`.
fn render_number(norm: &str, like: &str) -> String {
    let base = if like.chars().any(|c| ('\u{0660}'..='\u{0669}').contains(&c)) {
        0x0660
    } else if like.chars().any(|c| ('\u{06F0}'..='\u{06F9}').contains(&c)) {
        0x06F0
    } else {
        return norm.to_string();
    };
    norm.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(base + (c as u32 - '0' as u32)).unwrap_or(c),
            '.' => '٫',
            ',' => '٬',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
