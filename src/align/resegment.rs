//! Alignment-driven re-segmentation: a sentence that the segmenter left whole but whose
//! translation is two sentences is split where the alignment model prefers two 1-1 beads.
//!
//! Invariants: a split happens only at white space between two tokens, never after a comma,
//! semicolon or dash (explicit marks of one sentence joined to the next) and never leaves fewer
//! than [`MIN_WORDS`] words on either side; the pieces, joined by one space, give back the
//! sentence's words; the pieces keep the paragraph of the sentence; every split records the
//! model's probability that it is right, a feature of the confidence of the links that use its
//! pieces. The model and its constants are documented in the parent module.

use super::calibrate::LinkFeatures;
use super::score::{ar_feat, en_feat, uses_lexicon, Feat, Scorer, KINDS};
use super::{align, align_with_features, AlignOptions, Lexicon, Link, Sentence};

/// Fewest white-space separated tokens a piece of a split sentence may have.
pub(crate) const MIN_WORDS: usize = 2;
/// Rounds of align → split; each round can split a piece again (one sentence against three).
const MAX_ROUNDS: usize = 3;
/// A split is made when it is more probable than no split and its probability among {no
/// split, each candidate split} exceeds this.
const ACCEPT: f64 = 0.5;
/// Sentences with more white-space tokens than this are not examined (cost guard).
const MAX_TOKENS: usize = 400;
/// At most this many sentences on the other side of a region (one sentence against up to four).
const MAX_REGION: usize = 4;

/// The side of a sentence to split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// The Arabic document.
    Ar,
    /// The English document.
    En,
}

/// What precedes a candidate boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Boundary {
    /// A closing quotation mark ends the previous word and another quotation opens right after
    /// it: `"محفز" "إنهم`.
    QuoteQuote,
    /// A closing quotation mark or bracket ends the previous word, a word follows:
    /// `اعترف بأنه لم يقهر" في العام التالي`.
    Quote,
    /// A colon: `وهما روجرز ودايل إيفانز: الرجل`.
    Colon,
    /// A full stop, question or exclamation mark that the segmenter took for a non-break
    /// (an abbreviation such as `Oct.`).
    Stop,
    /// A plain word.
    Word,
}

/// Counts behind the re-segmentation boundary priors: for each side and each boundary kind,
/// how many candidate positions inside a segmenter's segments were seen and how many of them
/// are gold sentence boundaries.
///
/// [`BoundaryPriors::default`] holds the counts of the 41 NTREX alignment dev documents (what
/// `mizan align` uses); [`BoundaryPriors::add_regions`] counts another document in the regions
/// its alignment questions (what [`crate::align::estimate`] does, so that the priors can be
/// estimated on training documents only: `examples/align_cv.rs`), and
/// [`BoundaryPriors::add_document`] counts every position of every segment (a probability with
/// another meaning, kept for comparison). The probability of a kind is the add-one smoothed
/// share `(k + 1)/(n + 2)`; a quotation mark before another quotation, colons and stops are
/// pooled over the two languages (too rare to estimate per side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundaryPriors {
    /// `[side][kind] = (boundaries, positions)`, side 0 Arabic, 1 English, kinds in the order
    /// of [`Boundary`].
    counts: [[(u64, u64); 5]; 2],
}

impl Default for BoundaryPriors {
    /// Counts of the 41 NTREX alignment dev documents, in the regions that the alignment
    /// questions ([`BoundaryPriors::add_regions`], what [`crate::align::estimate`] counts):
    /// Arabic closing quote before an opening one 7/7, before a word 7/11, colon 0/5, plain
    /// word 6/677; English closing quote before a word 1/5, colon 1/6, stop 1/5, plain word
    /// 0/152 (colons, stops and a quote before a quote pooled over the two languages).
    fn default() -> Self {
        let mut b = BoundaryPriors::empty();
        b.counts[0] = [(7, 7), (7, 11), (0, 5), (0, 0), (6, 677)];
        b.counts[1] = [(0, 0), (1, 5), (1, 6), (1, 5), (0, 152)];
        b
    }
}

impl BoundaryPriors {
    /// No counts at all: every kind has probability 1/2 (only useful to start counting).
    pub fn empty() -> Self {
        BoundaryPriors {
            counts: [[(0, 0); 5]; 2],
        }
    }

    /// Counts the candidate positions of one document: `ar_segments` / `en_segments` are the
    /// segmenter's sentences, `ar_gold` / `en_gold` the true sentences of the same text (white
    /// space is ignored when the two are matched). A segment whose text is not found in the
    /// gold text is skipped.
    pub fn add_document<S: AsRef<str>, G: AsRef<str>>(
        &mut self,
        ar_segments: &[S],
        ar_gold: &[G],
        en_segments: &[S],
        en_gold: &[G],
    ) {
        self.add_side(Side::Ar, ar_segments, ar_gold);
        self.add_side(Side::En, en_segments, en_gold);
    }

    fn add_side<S: AsRef<str>, G: AsRef<str>>(&mut self, side: Side, segments: &[S], gold: &[G]) {
        let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let mut full = String::new();
        let mut bounds = std::collections::HashSet::new();
        for g in gold {
            full.push_str(&squeeze(g.as_ref()));
            bounds.insert(full.len());
        }
        let mut cursor = 0;
        for seg in segments {
            let text = seg.as_ref();
            let sq = squeeze(text);
            if sq.is_empty() {
                continue;
            }
            let Some(at) = full[cursor..].find(&sq).map(|p| p + cursor) else {
                continue;
            };
            cursor = at + sq.len();
            for (end, _, kind) in positions(text) {
                let off = at + squeeze(&text[..end]).len();
                let c = &mut self.counts[side as usize][kind as usize];
                c.1 += 1;
                if bounds.contains(&off) {
                    c.0 += 1;
                }
            }
        }
    }

    /// Counts the candidate positions of the sentences that re-segmentation examines in one
    /// document: `ar_segments` / `en_segments` (the segmenter's sentences with their
    /// paragraphs) are aligned with `opts`, and only the sentences of the resulting *regions*
    /// (a sentence alone on its side against two to four on the other) are counted against the
    /// gold sentences. This is the probability the split decision needs: that a position is a
    /// boundary *given* that the alignment put its sentence against several (far higher than
    /// among all positions, most of which are inside sentences that no alignment questions).
    pub fn add_regions<G: AsRef<str>>(
        &mut self,
        ar_segments: &[Sentence],
        ar_gold: &[G],
        en_segments: &[Sentence],
        en_gold: &[G],
        opts: &AlignOptions,
    ) {
        let links = align(ar_segments, en_segments, &Lexicon::default(), opts);
        let mut ar_ids: Vec<usize> = Vec::new();
        let mut en_ids: Vec<usize> = Vec::new();
        for r in regions(&links) {
            match r.side {
                Side::Ar => ar_ids.push(r.id),
                Side::En => en_ids.push(r.id),
            }
        }
        for (side, ids, segs, gold) in [
            (Side::Ar, ar_ids, ar_segments, ar_gold),
            (Side::En, en_ids, en_segments, en_gold),
        ] {
            let mut ids = ids;
            ids.sort_unstable();
            ids.dedup();
            let texts: Vec<&str> = ids.iter().map(|&i| segs[i].text.as_str()).collect();
            self.add_side(side, &texts, gold);
        }
    }

    /// Probability that a position of this kind, inside a segment, is a sentence boundary.
    pub(crate) fn prior(&self, side: Side, kind: Boundary) -> f64 {
        let k = kind as usize;
        let (b, n) = match kind {
            Boundary::QuoteQuote | Boundary::Colon | Boundary::Stop => {
                let (a, e) = (self.counts[0][k], self.counts[1][k]);
                (a.0 + e.0, a.1 + e.1)
            }
            Boundary::Quote | Boundary::Word => self.counts[side as usize][k],
        };
        (b as f64 + 1.0) / (n as f64 + 2.0)
    }

    /// Cost (−ln of the odds) of declaring a boundary of this kind.
    pub(crate) fn cost(&self, side: Side, kind: Boundary) -> f64 {
        let p = self.prior(side, kind);
        -(p / (1.0 - p)).ln()
    }
}

/// Double quotation marks, straight or typographic (Arabic text often uses `”` to open).
fn is_double_quote(c: char) -> bool {
    matches!(c, '"' | '”' | '“' | '«' | '»' | '„')
}

/// Kind of the boundary after token `prev` and before token `next`, or `None` where no sentence
/// may end (after a comma, semicolon, dash or opening mark; before a lower-case Latin word).
/// `quote_open` says whether an odd number of double quotation marks precede the boundary in
/// the sentence: a straight or `”` mark ending `prev` then opens a quotation
/// (`مضيفًا” نحن …"`), it does not close one (`»` always closes), and the position is only a
/// [`Boundary::Word`] — unless another quotation starts right after it
/// (`… رسالتها" … "ذا هل" "د. فورد`: the first mark's partner was dropped).
pub(crate) fn classify(prev: &str, next: &str, quote_open: bool) -> Option<Boundary> {
    if next.chars().next().is_some_and(|c| c.is_lowercase()) {
        return None;
    }
    let mut rev = prev.chars().rev();
    let last = rev.next()?;
    let has_word = prev.chars().any(char::is_alphanumeric);
    match last {
        ',' | '،' | ';' | '؛' | '-' | '–' | '—' | '(' | '[' | '“' | '‘' | '/' | '&' => None,
        '"' | '”' | '„' if quote_open && !next.starts_with(is_double_quote) => has_word.then_some(Boundary::Word),
        '"' | '”' | '»' | ')' | ']' | '\'' | '’' if has_word => {
            // `."` and `؟"`: a stop inside the quotation that the segmenter did not break at.
            match rev.next() {
                Some('.' | '!' | '?' | '؟' | '…') => Some(stop_kind(prev)),
                _ if is_double_quote(last) && next.starts_with(is_double_quote) => Some(Boundary::QuoteQuote),
                _ => Some(Boundary::Quote),
            }
        }
        ':' => Some(Boundary::Colon),
        '.' | '!' | '?' | '؟' | '…' => Some(stop_kind(prev)),
        c if c.is_alphanumeric() || ('\u{064B}'..='\u{065F}').contains(&c) => Some(Boundary::Word),
        _ => None,
    }
}

/// A stop after an initial or an initialism (`v.`, `p.m.`, `D.C.`, `د.`) is part of the
/// abbreviation: such a position is only a [`Boundary::Word`]; after a longer word (`Oct.`) it is
/// a [`Boundary::Stop`].
fn stop_kind(prev: &str) -> Boundary {
    let core = prev.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let core = core.trim_end_matches('.');
    let initialism = core.contains('.') || core.chars().filter(|c| c.is_alphabetic()).count() == 1;
    if initialism {
        Boundary::Word
    } else {
        Boundary::Stop
    }
}

/// Candidate split points of `text`: (end of the first piece, start of the second, cost), in
/// byte offsets, each leaving at least [`MIN_WORDS`] tokens on both sides.
pub(crate) fn candidates(text: &str, side: Side, priors: &BoundaryPriors) -> Vec<(usize, usize, f64)> {
    positions(text)
        .into_iter()
        .map(|(end, start, kind)| (end, start, priors.cost(side, kind)))
        .collect()
}

/// Candidate split points of `text` with their kind: (end of the first piece, start of the
/// second, kind), each leaving at least [`MIN_WORDS`] tokens on both sides.
fn positions(text: &str) -> Vec<(usize, usize, Boundary)> {
    let toks: Vec<(usize, &str)> = tokens(text);
    if toks.len() < 2 * MIN_WORDS || toks.len() > MAX_TOKENS {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut quotes = 0usize;
    for k in 0..toks.len() - MIN_WORDS {
        let (p0, prev) = toks[k];
        quotes += prev.chars().filter(|&c| is_double_quote(c)).count();
        if k + 1 < MIN_WORDS {
            continue;
        }
        let (n0, next) = toks[k + 1];
        if let Some(kind) = classify(prev, next, quotes % 2 == 1) {
            out.push((p0 + prev.len(), n0, kind));
        }
    }
    out
}

/// White-space separated tokens with their byte offsets.
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// Cost of the best alignment of two short sentence lists (full dynamic programme, no band).
fn best_cost(sc: &Scorer<'_>) -> f64 {
    let (n, m) = (sc.n, sc.m);
    let mut best = vec![f64::INFINITY; (n + 1) * (m + 1)];
    best[0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                continue;
            }
            let mut b = f64::INFINITY;
            for (k, &(a, e)) in KINDS.iter().enumerate() {
                if i < a || j < e {
                    continue;
                }
                let p = best[(i - a) * (m + 1) + j - e];
                if p.is_finite() {
                    b = b.min(p + sc.cost(k, i - a, j - e));
                }
            }
            best[i * (m + 1) + j] = b;
        }
    }
    best[n * (m + 1) + m]
}

/// A sentence to split: its side, its index, and the range of sentences on the other side that
/// the alignment gives it (with the null links next to its link).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Region {
    side: Side,
    id: usize,
    other: std::ops::Range<usize>,
}

/// Sentences alone on their side of a link whose other side (with the adjacent links that
/// have nothing on this side) holds two to [`MAX_REGION`] sentences.
fn regions(links: &[Link]) -> Vec<Region> {
    let mut out = Vec::new();
    for side in [Side::Ar, Side::En] {
        let this = |l: &Link| -> Vec<usize> {
            match side {
                Side::Ar => l.ar_ids.clone(),
                Side::En => l.en_ids.clone(),
            }
        };
        let other = |l: &Link| -> Vec<usize> {
            match side {
                Side::Ar => l.en_ids.clone(),
                Side::En => l.ar_ids.clone(),
            }
        };
        for (x, l) in links.iter().enumerate() {
            let (ids, mut o) = (this(l), other(l));
            if ids.len() != 1 || o.is_empty() {
                continue;
            }
            let null = |l: &Link| this(l).is_empty();
            let mut y = x;
            while y > 0 && null(&links[y - 1]) {
                y -= 1;
                o.splice(0..0, other(&links[y]));
            }
            let mut y = x + 1;
            while y < links.len() && null(&links[y]) {
                o.extend(other(&links[y]));
                y += 1;
            }
            if (2..=MAX_REGION).contains(&o.len()) {
                out.push(Region {
                    side,
                    id: ids[0],
                    other: o[0]..o[o.len() - 1] + 1,
                });
            }
        }
    }
    out
}

/// The best split of a region's sentence, if the model prefers it: (the two pieces, its
/// probability).
fn best_split(
    r: &Region,
    ar: &[Sentence],
    en: &[Sentence],
    lexicon: &Lexicon,
    opts: &AlignOptions,
) -> Option<(Sentence, Sentence, f64)> {
    let (this, other) = match r.side {
        Side::Ar => (ar, en),
        Side::En => (en, ar),
    };
    let s = &this[r.id];
    let o = &other[r.other.clone()];
    // The features of the other side are read once; those of each split's pieces as it comes.
    let use_lex = uses_lexicon(lexicon, opts);
    let feat = |side: Side, text: &str| match side {
        Side::Ar => ar_feat(text, lexicon, use_lex),
        Side::En => en_feat(text, lexicon, use_lex),
    };
    let other_side = match r.side {
        Side::Ar => Side::En,
        Side::En => Side::Ar,
    };
    let o_feat: Vec<Feat> = o.iter().map(|x| feat(other_side, &x.text)).collect();
    let o_para: Vec<usize> = o.iter().map(|x| x.paragraph).collect();
    let cost = |pieces: Vec<Feat>| {
        let para = vec![s.paragraph; pieces.len()];
        let sc = match r.side {
            Side::Ar => Scorer::from_features(pieces, para, o_feat.clone(), o_para.clone(), opts),
            Side::En => Scorer::from_features(o_feat.clone(), o_para.clone(), pieces, para, opts),
        };
        best_cost(&sc)
    };
    let merged = cost(vec![feat(r.side, &s.text)]);
    let mut costs = vec![merged];
    let mut best: Option<(f64, usize, usize)> = None;
    for (end, start, b) in candidates(&s.text, r.side, &opts.boundaries) {
        let c = cost(vec![feat(r.side, &s.text[..end]), feat(r.side, &s.text[start..])]) + b;
        if !c.is_finite() {
            continue;
        }
        costs.push(c);
        if best.is_none_or(|(bc, _, _)| c < bc) {
            best = Some((c, end, start));
        }
    }
    let (c, end, start) = best?;
    let (p1, p2) = (
        Sentence::new(&s.text[..end], s.paragraph),
        Sentence::new(&s.text[start..], s.paragraph),
    );
    let min = costs.iter().copied().fold(f64::INFINITY, f64::min);
    let z: f64 = costs.iter().map(|&x| (min - x).exp()).sum();
    let p = (min - c).exp() / z;
    // The most probable segmentation wins (`c` below the merged cost), and only by a share.
    (c < merged && p > ACCEPT).then_some((p1, p2, p))
}

/// What a segmenter's sentence tells of how sure its segmentation is (features of the
/// confidence of the links that hold it; see [`LinkFeatures`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Doubt {
    /// Double quotation marks.
    quotes: usize,
    /// A position where a sentence may end, other than after a plain word
    /// ([`Boundary::Word`]), that the segmenter did not take.
    inner_break: bool,
}

impl Doubt {
    fn of(text: &str) -> Doubt {
        Doubt {
            quotes: text.chars().filter(|&c| is_double_quote(c)).count(),
            inner_break: positions(text).iter().any(|p| p.2 != Boundary::Word),
        }
    }

    /// The doubt of sentences `ids` taken together.
    fn sum(doubts: &[Doubt], ids: &[usize]) -> Doubt {
        ids.iter()
            .filter_map(|&i| doubts.get(i))
            .fold(Doubt::default(), |a, d| Doubt {
                quotes: a.quotes + d.quotes,
                inner_break: a.inner_break || d.inner_break,
            })
    }
}

/// What [`super::align_resegmented`] returns before it is wrapped in the public type.
pub(crate) struct Outcome {
    pub ar: Vec<Sentence>,
    pub en: Vec<Sentence>,
    pub links: Vec<Link>,
    /// What each link's confidence was computed from (parallel to `links`).
    pub features: Vec<LinkFeatures>,
    pub splits: usize,
}

/// [`super::align_with_features`] as two parallel lists.
fn align_split(
    ar: &[Sentence],
    en: &[Sentence],
    lexicon: &Lexicon,
    opts: &AlignOptions,
) -> (Vec<Link>, Vec<LinkFeatures>) {
    align_with_features(ar, en, lexicon, opts).into_iter().unzip()
}

/// Align, split the sentences the alignment says were run together, align again (at most
/// [`MAX_ROUNDS`] rounds of splitting).
pub(crate) fn run(ar: &[Sentence], en: &[Sentence], lexicon: &Lexicon, opts: &AlignOptions) -> Outcome {
    let mut ar = ar.to_vec();
    let mut en = en.to_vec();
    // Probability that each sentence is a sentence (1 unless it is a piece of a split).
    let mut ar_p = vec![1.0f64; ar.len()];
    let mut en_p = vec![1.0f64; en.len()];
    let (mut links, mut features) = align_split(&ar, &en, lexicon, opts);
    let mut splits = 0;
    // Pieces made in the previous round; after the first round only regions that hold one are
    // examined again (the others were examined and left whole).
    let mut ar_fresh = vec![true; ar.len()];
    let mut en_fresh = vec![true; en.len()];
    for _ in 0..MAX_ROUNDS {
        let touched = |r: &Region| {
            let (this, other) = match r.side {
                Side::Ar => (&ar_fresh, &en_fresh),
                Side::En => (&en_fresh, &ar_fresh),
            };
            this[r.id] || other[r.other.clone()].iter().any(|&f| f)
        };
        let mut found: Vec<(Side, usize, Sentence, Sentence, f64)> = regions(&links)
            .into_iter()
            .filter(|r| touched(r))
            .filter_map(|r| best_split(&r, &ar, &en, lexicon, opts).map(|(a, b, p)| (r.side, r.id, a, b, p)))
            .collect();
        if found.is_empty() {
            break;
        }
        splits += found.len();
        ar_fresh = vec![false; ar.len()];
        en_fresh = vec![false; en.len()];
        // Apply from the end so that earlier indexes stay valid.
        found.sort_by_key(|f| std::cmp::Reverse(f.1));
        for (side, id, p1, p2, p) in found {
            let (sents, probs, fresh) = match side {
                Side::Ar => (&mut ar, &mut ar_p, &mut ar_fresh),
                Side::En => (&mut en, &mut en_p, &mut en_fresh),
            };
            let q = probs[id] * p;
            sents.splice(id..=id, [p1, p2]);
            probs.splice(id..=id, [q, q]);
            fresh.splice(id..=id, [true, true]);
        }
        (links, features) = align_split(&ar, &en, lexicon, opts);
    }
    let calibration = opts.model.calibration_for(lexicon, opts);
    let ar_doubt: Vec<Doubt> = ar.iter().map(|s| Doubt::of(&s.text)).collect();
    let en_doubt: Vec<Doubt> = en.iter().map(|s| Doubt::of(&s.text)).collect();
    for (l, x) in links.iter_mut().zip(features.iter_mut()) {
        x.split = l
            .ar_ids
            .iter()
            .map(|&i| ar_p[i])
            .chain(l.en_ids.iter().map(|&j| en_p[j]))
            .fold(1.0f64, f64::min);
        let (a, e) = (Doubt::sum(&ar_doubt, &l.ar_ids), Doubt::sum(&en_doubt, &l.en_ids));
        x.open_quote = u8::from(a.quotes % 2 == 1) + u8::from(e.quotes % 2 == 1);
        x.inner_break = u8::from(a.inner_break) + u8::from(e.inner_break);
        l.confidence = calibration.apply(x);
    }
    Outcome {
        ar,
        en,
        links,
        features,
        splits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_kinds() {
        assert_eq!(classify("\"محفز\"", "\"إنهم", false), Some(Boundary::QuoteQuote));
        assert_eq!(classify("يقهر\"", "في", false), Some(Boundary::Quote));
        assert_eq!(classify("مضيفًا”", "نحن", true), Some(Boundary::Word));
        assert_eq!(classify("هل\"", "\"د.", true), Some(Boundary::QuoteQuote));
        // Guillemets say which way they face: `»` always closes.
        assert_eq!(classify("«عدل»", "تساءل", true), Some(Boundary::Quote));
        assert_eq!(classify("«عدل»", "«نعم", false), Some(Boundary::QuoteQuote));
        assert_eq!(classify("(إليفي/مازر)", "وعلق", true), Some(Boundary::Quote));
        assert_eq!(classify("إيفانز:", "الرجل", false), Some(Boundary::Colon));
        assert_eq!(classify("Oct.", "President", false), Some(Boundary::Stop));
        assert_eq!(classify("playful.\"", "They", false), Some(Boundary::Stop));
        assert_eq!(classify("v.", "Wade", false), Some(Boundary::Word));
        assert_eq!(classify("D.C.", "Circuit", false), Some(Boundary::Word));
        assert_eq!(classify("p.m.", "ET", false), Some(Boundary::Word));
        assert_eq!(classify("تويتر", "حيث", false), Some(Boundary::Word));
        assert_eq!(classify("المدارة،", "وانخفضت", false), None);
        assert_eq!(classify("said;", "The", false), None);
        assert_eq!(classify("Oct.", "president", false), None);
        assert_eq!(classify("\"", "Word", false), None);
    }

    #[test]
    fn doubt_counts_quotation_marks_and_untaken_breaks() {
        // a quotation opened and not closed: the segmenter cut inside it
        let d = Doubt::of("\"We need to have a deal.");
        assert_eq!((d.quotes, d.inner_break), (1, false));
        // a colon the segmenter did not break at (the NTREX `Evans: Man: "What …"`)
        let d = Doubt::of("starring Roy Rogers and Dale Evans: Man: \"What in the world is that?\"");
        assert_eq!((d.quotes, d.inner_break), (2, true));
        // Arabic: a closing quotation mark before a word
        assert!(Doubt::of("تتضمن إيحاءات ”عنصرية\" قامت مربية أطفال برفع دعوى").inner_break);
        assert!(Doubt::of("It ended in Oct. President Smith said so").inner_break);
        // plain words, a comma join, an initialism: no break more than a word
        assert!(!Doubt::of("وقال المتحدث باسم الحكومة إنها لن تتراجع عن قرارها").inner_break);
        assert!(!Doubt::of("The court, in Washington D.C. Circuit rulings, said no").inner_break);
        // two sentences of one quotation taken together close it
        let (a, b) = (Doubt::of("\"One two three."), Doubt::of("Four five six,\" he said."));
        let both = Doubt::sum(&[a, b], &[0, 1]);
        assert_eq!((a.quotes % 2, both.quotes % 2), (1, 0));
        assert_eq!(Doubt::sum(&[a, b], &[]), Doubt::default());
    }

    /// A link of the segmenter's sentences that cuts a quotation on both sides carries the
    /// flag, and the shipped calibration trusts it less than the same pair with the quotation
    /// whole; pre-segmented input never carries it.
    #[test]
    fn a_quotation_cut_on_both_sides_lowers_the_confidence() {
        let opts = AlignOptions::default();
        let lex = Lexicon::builtin();
        let ar_cut = [
            s("\"نحن بحاجة إلى صفقة مع الاتحاد الأوروبي."),
            s("نريد أفضل صفقة ممكنة للمصنع\"، كما قال."),
        ];
        let en_cut = [
            s("\"We need to have a deal with the European Union."),
            s("We want the best possible deal for the plant,\" he said."),
        ];
        let o = run(&ar_cut, &en_cut, lex, &opts);
        assert_eq!(o.links.len(), 2);
        assert!(o.features.iter().all(|f| f.open_quote == 2), "{:?}", o.features);
        let whole = |t: &[Sentence]| -> Vec<Sentence> { t.iter().map(|x| s(&x.text.replace('"', ""))).collect() };
        let o2 = run(&whole(&ar_cut), &whole(&en_cut), lex, &opts);
        assert_eq!(o2.links.len(), 2);
        assert!(o2.features.iter().all(|f| f.open_quote == 0));
        for (cut, whole) in o.links.iter().zip(&o2.links) {
            assert!(
                cut.confidence < whole.confidence,
                "{} vs {}",
                cut.confidence,
                whole.confidence
            );
        }
        let pre = align_with_features(&ar_cut, &en_cut, lex, &opts);
        assert!(pre.iter().all(|(_, f)| f.open_quote == 0 && f.inner_break == 0));
    }

    #[test]
    fn candidates_keep_two_words_a_side() {
        let t = "One Two Three Four";
        let c = candidates(t, Side::En, &BoundaryPriors::default());
        assert_eq!(c.len(), 1);
        let (end, start, _) = c[0];
        assert_eq!((&t[..end], &t[start..]), ("One Two", "Three Four"));
        assert!(candidates("One Two Three", Side::En, &BoundaryPriors::default()).is_empty());
    }

    fn s(t: &str) -> Sentence {
        Sentence::new(t, 0)
    }

    const AR_QUOTE: &str = "وقال المتحدث باسم الحكومة إنها \"لن تتراجع عن قرارها مهما كانت الضغوط\" وأعلنت وزارة الصحة في وقت لاحق أن 25 شخصًا أصيبوا في احتجاجات يوم الجمعة.";
    const EN_1: &str =
        "The government spokesman said it \"will not back down from its decision whatever the pressure.\"";
    const EN_2: &str = "The health ministry later announced that 25 people were injured in Friday's protests.";

    #[test]
    fn a_sentence_run_on_after_a_closing_quote_is_split() {
        let (ar, en) = ([s(AR_QUOTE)], [s(EN_1), s(EN_2)]);
        let opts = AlignOptions::default();
        // Without re-segmentation the best the aligner can do is one 1-2 link.
        let plain = align(&ar, &en, &Lexicon::default(), &opts);
        assert_eq!(plain.iter().map(Link::kind).collect::<Vec<_>>(), ["1-2"]);
        let o = run(&ar, &en, &Lexicon::default(), &opts);
        assert_eq!(o.splits, 1);
        assert_eq!(o.ar.len(), 2);
        assert!(o.ar[0].text.ends_with("الضغوط\""), "{}", o.ar[0].text);
        assert!(o.ar[1].text.starts_with("وأعلنت"), "{}", o.ar[1].text);
        assert_eq!(format!("{} {}", o.ar[0].text, o.ar[1].text), AR_QUOTE);
        let ids: Vec<_> = o.links.iter().map(|l| (l.ar_ids.clone(), l.en_ids.clone())).collect();
        assert_eq!(ids, [(vec![0], vec![0]), (vec![1], vec![1])]);
        // The split's own probability is part of the confidence: high, but below certainty.
        for l in &o.links {
            assert!(l.confidence > 0.3 && l.confidence < 1.0, "{}", l.confidence);
        }
    }

    #[test]
    fn a_comma_join_or_a_one_sentence_translation_is_left_alone() {
        let opts = AlignOptions::default();
        // The translator joined the two sentences with a comma: a 1-2 link, no split.
        let joined = AR_QUOTE.replace("\" وأعلنت", "\"، وأعلنت");
        let o = run(&[s(&joined)], &[s(EN_1), s(EN_2)], &Lexicon::default(), &opts);
        assert_eq!((o.splits, o.links.len()), (0, 1));
        assert_eq!(o.links[0].kind(), "1-2");
        // One English sentence for it: nothing to split against.
        let one = format!("{} {}", EN_1, EN_2.replace("The health", "and the health"));
        let o = run(&[s(AR_QUOTE)], &[s(&one)], &Lexicon::default(), &opts);
        assert_eq!((o.splits, o.ar.len()), (0, 1));
    }
}
