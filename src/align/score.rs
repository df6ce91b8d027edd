//! Bead costs: the Gale–Church length model, the anchors and the lexicon (formulas and weights
//! are documented in the parent module).
//!
//! Invariants: costs are finite; features of one- and two-sentence spans are precomputed once
//! per side so that scoring a bead allocates nothing.

use super::features::{ar_skeleton, ar_stem, en_skeleton, is_capitalized, key, tokens, Punct, Tokens};
use super::{AlignOptions, Lexicon, Sentence, NULL_COST};
use crate::text;

/// Bead kinds as (Arabic count, English count), in the order used by the back pointers and
/// by [`super::Model::priors`].
pub(crate) const KINDS: [(usize, usize); NK] = super::BEAD_KINDS;
/// Number of bead kinds.
pub(crate) const NK: usize = super::BEAD_KINDS.len();
/// Most sentences on one side of a bead.
pub(crate) const MAX_SPAN: usize = 3;

const W_NUM: f64 = 2.0;
const P_NUM: f64 = 1.0;
const W_LATIN: f64 = 2.0;
const P_LATIN: f64 = 0.5;
const W_SKEL3: f64 = 0.6;
const W_SKEL4: f64 = 1.2;
const W_LEX: f64 = 0.5;
const W_PARA_BOTH: f64 = 3.0;
const P_PARA_ONE: f64 = 1.0;
const P_PARA_INSIDE: f64 = 2.0;

/// Features of a span of one or two consecutive sentences.
#[derive(Debug, Default, Clone)]
pub(crate) struct Feat {
    /// Non-space characters.
    len: f64,
    nums: Vec<u64>,
    /// Arabic: Latin-script words of two letters or more. English: all words. Keys of their
    /// matching form (lower case).
    latin: Vec<u64>,
    /// Arabic: skeletons of all words (size 0). English: skeletons of capitalized words with
    /// their size. Sorted by key, deduplicated.
    skel: Vec<(u64, u8)>,
    punct: Punct,
    /// Arabic: lexicon candidates. English: lexicon word ids.
    lex: Vec<u32>,
    /// Arabic: 256-bit signature of `skel` (a quick reject before the binary search).
    skel_sig: Sig,
    /// Arabic: 256-bit signature of `lex`.
    lex_sig: Sig,
    /// First side: most of its words are in Latin script (another language pair, e.g.
    /// French): its Latin tokens are then ordinary words, rewarded when the English has them
    /// but not anchors whose absence counts against a bead.
    latin_script: bool,
}

/// A 256-bit Bloom-style signature of a set of keys.
#[derive(Debug, Default, Clone, Copy)]
struct Sig([u64; 4]);

impl Sig {
    fn slot(k: u64) -> (usize, u64) {
        let h = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56;
        ((h >> 6) as usize, 1u64 << (h & 63))
    }
    fn of(keys: impl Iterator<Item = u64>) -> Sig {
        let mut s = Sig::default();
        for k in keys {
            let (w, b) = Sig::slot(k);
            s.0[w] |= b;
        }
        s
    }
    fn may_contain(&self, k: u64) -> bool {
        let (w, b) = Sig::slot(k);
        self.0[w] & b != 0
    }
}

impl Feat {
    /// Fills the signatures from the key lists.
    /// The features of sentence `s` given its side-specific token sets (length, numbers and
    /// punctuation are read the same way on both sides).
    fn of_text(s: &str, toks: Tokens<'_>, latin: Vec<u64>, skel: Vec<(u64, u8)>, lex: Vec<u32>) -> Feat {
        Feat {
            len: (nonspace_len(s) - toks.markup as f64).max(0.0),
            nums: toks.numbers,
            latin,
            skel,
            punct: toks.punct,
            lex,
            ..Feat::default()
        }
    }

    fn sign(mut self) -> Feat {
        self.skel_sig = Sig::of(self.skel.iter().map(|p| p.0));
        self.lex_sig = Sig::of(self.lex.iter().map(|&x| x as u64));
        self
    }
}

fn merge_feat(a: &Feat, b: &Feat) -> Feat {
    let cat = |x: &[u64], y: &[u64]| {
        let mut v: Vec<u64> = x.iter().chain(y).copied().collect();
        v.sort_unstable();
        v
    };
    let mut skel: Vec<(u64, u8)> = a.skel.iter().chain(&b.skel).copied().collect();
    skel.sort_unstable();
    skel.dedup();
    let mut lex: Vec<u32> = a.lex.iter().chain(&b.lex).copied().collect();
    lex.sort_unstable();
    lex.dedup();
    Feat {
        len: a.len + b.len,
        nums: cat(&a.nums, &b.nums),
        latin: cat(&a.latin, &b.latin),
        skel,
        punct: a.punct.add(b.punct),
        lex,
        latin_script: a.latin_script || b.latin_script,
        ..Feat::default()
    }
    .sign()
}

/// Whether the scores use the lexicon (it is asked for and not empty).
pub(crate) fn uses_lexicon(lexicon: &Lexicon, opts: &AlignOptions) -> bool {
    opts.lexicon && !lexicon.is_empty()
}

/// The features of an Arabic sentence (`use_lex`: see [`uses_lexicon`]).
pub(crate) fn ar_feat(s: &str, lexicon: &Lexicon, use_lex: bool) -> Feat {
    let toks = tokens(s);
    let mut latin: Vec<u64> = toks
        .words
        .iter()
        .filter(|w| w.norm.chars().any(|c| c.is_ascii_alphabetic()) && w.norm.chars().count() >= 2)
        .map(|w| key(&w.norm))
        .collect();
    let latin_script = 2 * latin.len() > toks.words.len();
    latin.sort_unstable();
    let mut skel = Vec::new();
    for w in &toks.words {
        if !w.norm.chars().any(text::is_arabic_letter) {
            continue;
        }
        let stem = ar_stem(&w.norm);
        for v in [w.norm.as_str(), stem.as_str()] {
            let sk = ar_skeleton(v);
            let size = sk.chars().count();
            if size >= 3 {
                skel.push((key(&sk), 0));
            }
        }
    }
    skel.sort_unstable();
    skel.dedup();
    let lex = if use_lex {
        lexicon.candidates(&toks.words)
    } else {
        Vec::new()
    };
    Feat {
        latin_script,
        ..Feat::of_text(s, toks, latin, skel, lex)
    }
    .sign()
}

/// The features of an English sentence (`use_lex`: see [`uses_lexicon`]).
pub(crate) fn en_feat(s: &str, lexicon: &Lexicon, use_lex: bool) -> Feat {
    let toks = tokens(s);
    let mut latin: Vec<u64> = toks.words.iter().map(|w| key(&w.norm)).collect();
    latin.sort_unstable();
    latin.dedup();
    let mut skel: Vec<(u64, u8)> = toks
        .words
        .iter()
        .filter(|w| is_capitalized(w.raw))
        .filter_map(|w| {
            let sk = en_skeleton(&w.norm);
            let size = sk.chars().count();
            (size >= 3).then(|| (key(&sk), size.min(255) as u8))
        })
        .collect();
    skel.sort_unstable();
    skel.dedup();
    let lex = if use_lex {
        lexicon.en_words(&toks.words)
    } else {
        Vec::new()
    };
    Feat::of_text(s, toks, latin, skel, lex)
}

fn nonspace_len(s: &str) -> f64 {
    s.chars().filter(|c| !c.is_whitespace()).count() as f64
}

/// The length the length model counts: non-space characters that are content (not inline tags
/// nor invisible characters), as [`Feat`] holds it.
pub(crate) fn content_len(s: &str) -> f64 {
    (nonspace_len(s) - tokens(s).markup as f64).max(0.0)
}

/// Size of the multiset intersection of two sorted slices.
fn common<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Count of elements of sorted `a` present in sorted, deduplicated `b`.
fn found_in(a: &[u64], b: &[u64]) -> usize {
    a.iter().filter(|x| b.binary_search(x).is_ok()).count()
}

/// Shared skeletons, weighted by the size of the English one (few English names, so each is
/// looked up in the Arabic list).
fn skel_bonus(a: &Feat, e: &[(u64, u8)]) -> (f64, usize) {
    let (mut bonus, mut n) = (0.0, 0);
    for &(k, size) in e {
        if a.skel_sig.may_contain(k) && a.skel.binary_search_by(|p| p.0.cmp(&k)).is_ok() {
            bonus += if size >= 4 { W_SKEL4 } else { W_SKEL3 };
            n += 1;
        }
    }
    (bonus, n)
}

/// Two-sided p-value `2(1 − Φ(|δ|)) = erfc(|δ|/√2)` in log form, `ln p`, accurate in the far
/// tail (Numerical Recipes' erfc approximation, relative error < 1.2e-7).
pub(crate) fn ln_two_sided_p(delta: f64) -> f64 {
    let z = delta.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    (t.ln() + poly).min(0.0)
}

/// Step of the table of `ln p(δ)`.
const TABLE_STEP: f64 = 0.01;
/// The table covers `0 ≤ |δ| < TABLE_MAX`.
const TABLE_MAX: f64 = 40.0;

/// `ln_two_sided_p` by table look-up and linear interpolation (the bead cost's hot path).
pub(crate) fn ln_two_sided_p_fast(delta: f64) -> f64 {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    let t = TABLE.get_or_init(|| {
        let n = (TABLE_MAX / TABLE_STEP) as usize + 2;
        (0..n).map(|k| ln_two_sided_p(k as f64 * TABLE_STEP)).collect()
    });
    let x = delta.abs() / TABLE_STEP;
    let k = x as usize;
    if k + 1 >= t.len() {
        return ln_two_sided_p(delta);
    }
    let f = x - k as f64;
    t[k] + f * (t[k + 1] - t[k])
}

/// Gale–Church δ of an Arabic and an English length, with ratio `c` and variance `s2`.
pub(crate) fn delta(la: f64, le: f64, c: f64, s2: f64) -> f64 {
    let mean = (la + le / c) / 2.0;
    if mean <= 0.0 {
        return 0.0;
    }
    (le - c * la) / (s2 * mean).sqrt()
}

/// What a bead's cost was made of, for the confidence.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Evidence {
    /// ln of the length p-value (0 for null beads).
    pub ln_p_len: f64,
    /// Numbers and Latin tokens present on one side only.
    pub unmatched: usize,
    /// Shared numbers, Latin tokens, names and lexicon words.
    pub matched: usize,
    /// Arabic non-space characters.
    pub ar_len: f64,
}

/// Precomputed features of both documents and the options.
pub(crate) struct Scorer<'a> {
    pub(crate) n: usize,
    pub(crate) m: usize,
    ar_para: Vec<usize>,
    en_para: Vec<usize>,
    /// `ar[0][i]`: sentence i; `ar[1][i]`: sentences i and i+1; `ar[2][i]`: i to i+2.
    ar: [Vec<Feat>; MAX_SPAN],
    en: [Vec<Feat>; MAX_SPAN],
    opts: &'a AlignOptions,
    prior_cost: [f64; NK],
}

impl<'a> Scorer<'a> {
    pub(crate) fn new(ar: &[Sentence], en: &[Sentence], lexicon: &Lexicon, opts: &'a AlignOptions) -> Self {
        let use_lex = uses_lexicon(lexicon, opts);
        let a1: Vec<Feat> = ar.iter().map(|s| ar_feat(&s.text, lexicon, use_lex)).collect();
        let e1: Vec<Feat> = en.iter().map(|s| en_feat(&s.text, lexicon, use_lex)).collect();
        let para = |s: &[Sentence]| s.iter().map(|x| x.paragraph).collect();
        Scorer::from_features(a1, para(ar), e1, para(en), opts)
    }

    /// A scorer over sentences whose features are already computed ([`ar_feat`] and
    /// [`en_feat`]), with their paragraph numbers: what [`Scorer::new`] does after reading the
    /// texts, for callers that score many variants of a few sentences.
    pub(crate) fn from_features(
        a1: Vec<Feat>,
        ar_para: Vec<usize>,
        e1: Vec<Feat>,
        en_para: Vec<usize>,
        opts: &'a AlignOptions,
    ) -> Self {
        let a2: Vec<Feat> = a1.windows(2).map(|w| merge_feat(&w[0], &w[1])).collect();
        let e2: Vec<Feat> = e1.windows(2).map(|w| merge_feat(&w[0], &w[1])).collect();
        let a3 = a2
            .iter()
            .zip(a1.iter().skip(2))
            .map(|(x, y)| merge_feat(x, y))
            .collect();
        let e3 = e2
            .iter()
            .zip(e1.iter().skip(2))
            .map(|(x, y)| merge_feat(x, y))
            .collect();
        let mut prior_cost = [0.0; NK];
        for (c, p) in prior_cost.iter_mut().zip(opts.model.priors) {
            *c = -p.max(1e-12).ln();
        }
        Scorer {
            n: a1.len(),
            m: e1.len(),
            ar_para,
            en_para,
            ar: [a1, a2, a3],
            en: [e1, e2, e3],
            opts,
            prior_cost,
        }
    }

    /// Cost of the bead of kind `k` covering Arabic `i..i+a` and English `j..j+b`.
    pub(crate) fn cost(&self, k: usize, i: usize, j: usize) -> f64 {
        self.cost_and_evidence(k, i, j).0
    }

    pub(crate) fn cost_and_evidence(&self, k: usize, i: usize, j: usize) -> (f64, Evidence) {
        let (a, b) = KINDS[k];
        let mut cost = self.prior_cost[k];
        let mut ev = Evidence::default();
        if a == 0 || b == 0 {
            return (cost + NULL_COST, ev);
        }
        let fa = &self.ar[a - 1][i];
        let fe = &self.en[b - 1][j];
        ev.ar_len = fa.len;
        let model = &self.opts.model;
        ev.ln_p_len = ln_two_sided_p_fast(delta(fa.len, fe.len, model.len_c, model.len_s2));
        cost -= ev.ln_p_len;
        if self.opts.anchors {
            let nm = common(&fa.nums, &fe.nums);
            let nu = fa.nums.len() + fe.nums.len() - 2 * nm;
            let lm = found_in(&fa.latin, &fe.latin);
            let lu = if fa.latin_script { 0 } else { fa.latin.len() - lm };
            let (sk, skn) = skel_bonus(fa, &fe.skel);
            cost += -W_NUM * nm as f64 + P_NUM * nu as f64 - W_LATIN * lm as f64 + P_LATIN * lu as f64 - sk;
            cost += punct_cost(fa.punct, fe.punct);
            ev.matched += nm + lm + skn;
            ev.unmatched += nu + lu;
        }
        if self.opts.lexicon && !fa.lex.is_empty() {
            let lx = fe
                .lex
                .iter()
                .filter(|&&y| fa.lex_sig.may_contain(y as u64) && fa.lex.binary_search(&y).is_ok())
                .count();
            cost -= W_LEX * lx as f64;
            ev.matched += lx;
        }
        if self.opts.paragraphs {
            let ar_start = i > 0 && self.ar_para[i] != self.ar_para[i - 1];
            let en_start = j > 0 && self.en_para[j] != self.en_para[j - 1];
            cost += match (ar_start, en_start) {
                (true, true) => -W_PARA_BOTH,
                (false, false) => 0.0,
                _ => P_PARA_ONE,
            };
            if self.ar_para[i] != self.ar_para[i + a - 1] {
                cost += P_PARA_INSIDE;
            }
            if self.en_para[j] != self.en_para[j + b - 1] {
                cost += P_PARA_INSIDE;
            }
        }
        (cost, ev)
    }
}

fn pair_cost(x: u16, y: u16, w: f64, p: f64) -> f64 {
    -w * x.min(y) as f64 + p * x.abs_diff(y) as f64
}

fn punct_cost(a: Punct, e: Punct) -> f64 {
    pair_cost(a.quotes / 2, e.quotes / 2, 0.3, 0.0)
        + 0.3 * a.quotes.abs_diff(e.quotes) as f64
        + pair_cost(a.questions, e.questions, 1.0, 1.0)
        + pair_cost(a.parens / 2, e.parens / 2, 0.5, 0.0)
        + 0.5 * (a.parens / 2).abs_diff(e.parens / 2) as f64
        + pair_cost(a.exclaims, e.exclaims, 0.5, 0.3)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14: stray markup and invisible characters are not content for the length model,
    /// and a tag's digits are not numbers (a real headline of `bbc.381790`).
    #[test]
    fn markup_and_invisible_characters_do_not_count() {
        let clean = "أعرب أعضاء جمعية ويلز الوطنية عن قلقهم من \"أنهم يبدون كالدمى\"";
        let marked = format!("<seg id=\"1\">\u{200f}{clean}\u{200b}</seg>");
        let (a, b) = (
            ar_feat(clean, &Lexicon::default(), false),
            ar_feat(&marked, &Lexicon::default(), false),
        );
        assert_eq!(a.len, b.len);
        assert_eq!(a.nums, b.nums);
        let en = "Welsh Assembly members fear they 'look like puppets'";
        let (a, b) = (
            en_feat(en, &Lexicon::default(), false),
            en_feat(&format!("<seg id=\"1\">{en}</seg>\u{feff}"), &Lexicon::default(), false),
        );
        assert_eq!((a.len, a.nums), (b.len, b.nums));
    }

    #[test]
    fn length_p_value() {
        assert!(ln_two_sided_p(0.0).abs() < 1e-6);
        // 2(1-Φ(1.96)) = 0.05
        assert!((ln_two_sided_p(1.96).exp() - 0.05).abs() < 1e-4);
        // far tail stays finite and monotone
        assert!(ln_two_sided_p(40.0).is_finite());
        assert!(ln_two_sided_p(40.0) < ln_two_sided_p(20.0));
        for d in [0.0, 0.004, 0.5, 1.234, 3.3, 9.99, 39.995, 55.0] {
            let (a, b) = (ln_two_sided_p(d), ln_two_sided_p_fast(-d));
            assert!((a - b).abs() <= 1e-3 * (1.0 + a.abs()), "{d}: {a} vs {b}");
        }
    }

    #[test]
    fn matching_numbers_lower_the_cost() {
        let o = AlignOptions::default();
        let lex = Lexicon::default();
        let ar = [Sentence::new("ولد عام ١٩٩٤ في المدينة.", 0)];
        let good = [Sentence::new("He was born in 1994 in town.", 0)];
        let bad = [Sentence::new("He was born in 1987 in town.", 0)];
        let c_good = Scorer::new(&ar, &good, &lex, &o).cost(0, 0, 0);
        let c_bad = Scorer::new(&ar, &bad, &lex, &o).cost(0, 0, 0);
        assert!(c_good + 2.5 < c_bad, "{c_good} vs {c_bad}");
    }
}
