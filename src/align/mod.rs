//! Sentence alignment of an Arabic document with its English translation.
//!
//! # Job
//! [`align`] takes the sentences of both documents (with their paragraph numbers) and returns
//! *links*: groups of 0–3 Arabic and 0–3 English sentences that translate each other, with a
//! confidence in 0–1. It is a dynamic programme over *beads* of kind 1-1, 1-0, 0-1, 2-1, 1-2,
//! 2-2, 3-1 and 1-3 ([`BEAD_KINDS`]) minimising the sum of bead costs. [`align_resegmented`] does the same for sentences that
//! came from a segmenter, and splits those that the alignment shows to be two sentences run
//! together (see *Re-segmentation*); it returns the corrected sentences with the links.
//!
//! # Invariants
//! * Every sentence of both sides is in exactly one link; links are in document order and never
//!   cross (the ids of link k+1 all follow those of link k on both sides); no link is empty.
//! * Each link holds at most three sentences per side, and at most four in all (3-1, 1-3 or
//!   2-2); `confidence` is finite and in `[0, 1]`.
//! * Every parameter learned from data (bead priors, length model, boundary priors) comes from
//!   [`estimate`]: the shipped defaults are its output on the dev documents, and the
//!   cross-validation (`examples/align_cv.rs`) calls it on the training folds only.
//! * Any input is accepted (empty sides, unrelated or wildly different documents) without panic.
//! * Time and memory are linear in `max(n, m) × band`: the search runs in a band around the
//!   diagonal (see *Band* below), never over the full `n × m` matrix for long documents.
//!
//! # Text rules
//! The aligner reads sentences with [`crate::text`], the one module of Arabic (and English)
//! text rules that segmentation and fuzzy matching also use; it has no orthographic rule of its
//! own. Each sentence is cut once by [`crate::text::tokenize`]: its word tokens in matching form
//! ([`crate::text::normalize`]: alef forms, ى and ة folded, tashkeel and tatweel removed, lower
//! case) give the Latin tokens, the name skeletons and the lexicon's words; its number tokens
//! (digits of any script read as Western digits) give the numbers; its punctuation tokens
//! (Arabic and typographic marks folded: ؟ → `?`, « » “ ” → `"`) give the punctuation anchors;
//! inline tags are skipped. An Arabic word's clitic-free form, for a name skeleton and as the
//! lexicon's key, is [`crate::text::stem_key`], the key under which the fuzzy matcher takes two
//! words for clitic variants. The lexicon's English key (a possessive or plural `s` removed)
//! and the consonant classes of the name skeletons are the aligner's own.
//!
//! # Bead cost
//! The cost of a bead is a sum of terms (natural-log units, lower is better):
//!
//! * **Prior** `-ln P(kind)`, estimated by [`estimate`] from the gold links of the NTREX
//!   alignment dev set (630 links: 589 1-1, 29 2-1/1-2, 12 1-0/0-1, no 2-2, 3-1 or 1-3) with
//!   add-one smoothing and the two directions pooled; a kind of four sentences never seen gets
//!   `P(1-1)·ρ²` with `ρ = P(2-1)/P(1-1)` (each further sentence as rare as the first): 1-1
//!   0.927, 1-0 and 0-1 0.0110 each, 2-1 and 1-2 0.0244 each, 2-2, 3-1 and 1-3 0.00064 each
//!   ([`Model::default`]). (Gale & Church's 1993 values — 0.89, 0.0099, 0.089, 0.011 — make 2-2
//!   beads so cheap that pairs of 1-1 links get merged: strict F1 0.973 instead of 0.987 on the
//!   dev set; add-one smoothing alone gives 3-1 and 1-3 0.0016, and they replace pairs of 1-1
//!   and 2-1 links.)
//! * **Length** (Gale–Church): lengths are counted in non-space characters, not counting
//!   inline tags (`<seg id="1">`) and invisible characters (bidirectional and zero-width marks), `δ = (l_en − c·l_ar) /
//!   sqrt(s² · (l_ar + l_en/c)/2)` and the cost is `−ln(2·(1 − Φ(|δ|)))`. The Arabic–English
//!   parameters are estimated by [`estimate`] on the two-sided gold links of the 41 NTREX dev
//!   documents: the ratio of English to Arabic content characters is **c = 1.064** and the
//!   variance per character of `l_en − c·l_ar` (divided by the bead's mean length) is
//!   **s² = 2.99** (Gale and Church's English–German values were 1 and 6.8; the same model with
//!   other parameters serves another language pair). A 1-0 or 0-1 bead has no length term but a
//!   fixed cost of [`NULL_COST`] on top of its prior (the Gale–Church formula with one length
//!   at zero forbids deleting long sentences, which translators do).
//! * **Anchors** (need no dictionary, switched off by `AlignOptions::anchors = false`):
//!   - numbers in any digit script (٢٠٢٢ = 2022, separators ignored) and number words of
//!     either language (`ستة` / `six` = 6, `ثلاثة عشر` = 13, `مليون` / `million` = 1000000;
//!     not one and two): −2.0 per number found on both sides, +1.0 per number found on one
//!     side only;
//!   - Latin-script tokens in the Arabic text: −2.0 when the English has the same word
//!     (case-folded), +0.5 when it does not;
//!   - transliterated names: the consonant skeleton of each Arabic word (ب/ف → B, ت/د/ط → T, …)
//!     against the skeletons of capitalized English words: −0.6 per shared skeleton of three
//!     classes, −1.2 per skeleton of four or more;
//!   - punctuation: quotation marks (−0.3 per pair matched, +0.3 per mark unmatched), question
//!     marks (−1.0 / +1.0), parentheses (−0.5 / +0.5), exclamation marks (−0.5 / +0.3);
//!   - paragraph boundaries (`AlignOptions::paragraphs`): −3.0 when the bead starts a paragraph
//!     on both sides, +1.0 when it starts one on one side only, +2.0 per side whose sentences
//!     belong to different paragraphs.
//! * **Lexicon** (`AlignOptions::lexicon`): −0.5 per English word of the bead that the
//!   [`Lexicon`] lists as a translation of one of its Arabic words. `mizan align` uses the
//!   built-in lexicon ([`Lexicon::builtin`], learned from the 3,071 pairs of the public-domain
//!   TICO-19 translation memory, none from the dev documents) with what the TM's own pairs teach
//!   ([`Lexicon::union`]), so the alignment improves as the TM grows; an empty lexicon adds
//!   nothing.
//!   [`Lexicon::learn`] keeps an Arabic word's translations by the Dice coefficient of their
//!   co-occurrence; [`Lexicon::learn_ibm1`] by IBM model 1's `t(e | a)` (five rounds of EM on
//!   the same words). Cross-validated with a lexicon of the training documents' ≈ 600 pairs,
//!   Dice does better (strict F1 0.990 / 0.971 from gold sentences / raw paragraphs, IBM model 1
//!   0.988 / 0.969), so `learn` — what `mizan align` uses — stays Dice.
//! * **Null links** cost their prior and [`NULL_COST`] whatever their place. Making a null
//!   bead dearer the more its sentence shares numbers, names or lexicon words with the
//!   neighbouring sentences of the other side (weight chosen by [`estimate`] among 0–2) was
//!   tried: the weight chosen on all documents improved the in-sample strict F1 from the gold
//!   sentences (0.985 → 0.988), but cross-validated it changed nothing without a lexicon and
//!   lowered the raw-paragraph F1 with one (0.971 → 0.969), so it is not in the model.
//!
//! # Band
//! Row `i` (Arabic sentence boundary) searches English boundaries within `band` (default 48)
//! sentences of the scaled diagonal `i·m/n`, widened by the slope `⌈m/n⌉`. Documents longer
//! than four band widths (192 sentences by default) are first aligned coarsely — blocks of
//! `k = max(2, ⌈max(n, m)/500⌉)` consecutive sentences treated as sentences, same model — and
//! the first band follows that block path instead of the diagonal, so that drift from the
//! diagonal (many dropped sentences) is found at any document length. When the best path
//! touches the edge of the band, the search is repeated in a band of the same half-width around
//! that path (so a translation that drifts from the diagonal, e.g. through dropped sentences,
//! costs one more pass, not a wider band), then with the half-width doubled at each further
//! round; it stops at the full matrix, six rounds, or when the next band would exceed
//! [`MAX_CELLS`] cells (≈ 60 bytes each, so at most ≈ 180 MB). Documents so long that even the
//! first band would not fit (beyond ≈ 30 000 sentences a side) start with a narrower band.
//!
//! # Confidence
//! The confidence of a link is a logistic model of "this link is right" ([`Calibration`],
//! fitted by [`estimate`]) over what the dynamic programme knows of the link:
//! * its **posterior** probability under the model: forward–backward over the same band, with
//!   bead probabilities `exp(−cost)`, i.e. the share of all alignments of the two documents that
//!   contain this very link (it is low when a competing segmentation scores nearly as well);
//! * its **evidence**: for a link with both sides, `min(1, (p/0.01)^0.25)` where
//!   `p = 2(1 − Φ(|δ|))` is the length p-value (so ratios beyond |δ| ≈ 2.6 lose confidence),
//!   times `0.5^u` for `u` numbers or Latin tokens on one side only, times 0.6 when the link has
//!   no lexical evidence at all (no shared number, Latin token, name or lexicon word) and is
//!   longer than 40 Arabic characters; for a 1-0 or 0-1 link a flat 0.5;
//! * the number of shared numbers, Latin tokens, names and lexicon words; whether the link is
//!   1-0 or 0-1, holds three or more sentences, holds several sentences on both sides (2-2:
//!   translations seldom merge on both sides at once), or stands next to a 1-0 or 0-1 link; its
//!   Arabic length; and the hand-made product posterior × evidence × 0.75 next to a null link
//!   (what the confidence was before calibration, and still is with [`Calibration::none`]);
//! * for sentences that came from the segmenter ([`align_resegmented`]; pre-segmented input
//!   fixes the sentences, so these are off), how sure their **segmentation** is: whether the
//!   link cuts a quotation on *both* sides (an odd number of double quotation marks in its
//!   sentences on each side: the segmenter cut inside a quotation, which a translator — and a
//!   gold alignment — often keeps as one unit, `"We need a deal. We want …," he said.`), and
//!   whether its sentences on *both* sides hold a place where a sentence may end that the
//!   segmenter did not take and that is more than a plain word (a closing quotation mark or
//!   bracket before a word, a colon, a stop after a word: the boundary kinds of
//!   *Re-segmentation*), the mark of two sentences run together on both sides
//!   (`… Dale Evans: Man: "What …"` against `… إيفانز: الرجل: "ما …"`), which re-segmentation,
//!   splitting one side at a time, leaves as one 1-1 link. Each flag marks a few links that
//!   are wrong far more often than the others (in the cross-validated alignments of the raw
//!   dev paragraphs before the flags: a quotation cut on both sides 5 wrong among 54 links, a
//!   break on both sides 5 among 47, against 17 among all 640), so it lowers their confidence
//!   and leaves the rest alone. A quotation cut on one side only tells nothing (53 links, all
//!   right); a sentence's length against the document's median, the flags counted per side,
//!   and a break on one side were tried as well and did not help (cross-validated).
//!
//! A lexicon raises the posterior and the shared-word count of the links it supports, so one
//! set of weights cannot serve alignments with and without one: [`Model::calibration`] is fitted
//! on alignments with the built-in lexicon (what `mizan align` does), and
//! [`Model::calibration_no_lexicon`] on the same documents aligned without a lexicon (used when
//! the lexicon is empty or switched off).
//!
//! [`estimate`] fits the weights (Newton's method, L2 penalty 1 on all but the constant) on the
//! links of the training documents aligned from their gold sentences and from the segmenter's
//! sentences of their raw text, a link being right when it is exactly a gold link, plus the
//! links of each document's Arabic aligned with the *next* document's English, all wrong (the
//! gold documents never show what a non-translation looks like). A wrong link weighs eleven
//! right ones: the reviewer loses more by trusting a wrong link than by checking a right one,
//! and the weight says how much. A fit with weight `w` reports the odds of a link `w` times
//! lower than a fit of the true probability `p` would, so a confidence of 0.9 stands for
//! `p = 9w/(9w + 1)`: the reading of 0.9 that the issue asks for, "right 99 % of the time",
//! is `w = 11` (and a confidence below 0.5 then stands for `p` below 11/12). Fitted on the dev
//! links alone and unweighted, the calibration (without a lexicon, before the both-sides flag)
//! put 560 links from raw paragraphs at ≥ 0.9 with 9 of them wrong, and only 1 of the 18 wrong
//! links below 0.5 (cross-validated). Weighted four, with the built-in lexicon and before the
//! segmentation flags, 461 links from raw paragraphs were at ≥ 0.9 with 6 wrong, and 6 of the
//! 17 wrong links below 0.5; weighted eleven without the segmentation flags, 353 links with 4
//! wrong and 8 of 17 below 0.5 (the flags let the weight fall on the doubtful links only:
//! with them, 397 with 2 wrong and 9 of 17).
//!
//! Measured on the 41 NTREX dev documents, cross-validated (every parameter, the calibration
//! included, estimated on the other documents; `benches/align_compare.py --cv`): with the
//! built-in lexicon, from the gold sentences, links at ≥ 0.9 are right 100 % of the time (463
//! of 463) and 8 of the 9 wrong links are below 0.5; from raw paragraphs 99.5 % (395 of 397) and
//! 9 of the 17 wrong links are below 0.5. Without a lexicon: 100 % of 331 and 9 of 10; 99.6 % of
//! 273 and 12 of 18. The two wrong links at ≥ 0.9 from raw paragraphs are a headline run into
//! the next sentence on both sides with no mark between them (`… after "racist" text A New York
//! nanny …`) and a piece of a gold "sentence" that holds two (`…our future?" Norman Eisen…`,
//! split by the segmenter; the link of the piece after the cut, which holds no quotation
//! mark, is right as text but maps to no gold link). The quotation flag learns from few
//! documents: the quotations cut finer than the gold come from three of the 41, and with five
//! folds of consecutive documents (`align_cv --folds 5`), where those three share a fold, the
//! gain from raw paragraphs mostly goes: 411 of 416 (98.8 %) at ≥ 0.9 and 13 of 23 wrong links
//! below 0.5, against 456 of 462 (98.7 %) and 12 of 23 before the flags and the weight of
//! eleven (gold sentences: 459 of 459 and 7 of 8, before 473 of 473 and 6 of 8).
//!
//! Aligning each dev document with the *next* document's English gives more than 80 % of the
//! links below 0.5 (tested; the calibration learns from that very construction on its
//! training documents, so this test is not out of sample).
//!
//! # Accuracy (NTREX dev alignment set, 41 documents, 630 gold links)
//! `benches/align_compare.py --cv` (examples/align_cv.rs, scored by the project's
//! `align_score.py`) reports every figure both in-sample (all parameters estimated on the 41
//! documents: the shipped defaults) and cross-validated leave-one-document-out (every parameter
//! estimated by [`estimate`] on the other 40), in the same run as hunalign and Gale–Church:
//!
//! | system | gold sentences, strict P / R / F1 | raw paragraphs, strict P / R / F1 |
//! |---|---|---|
//! | mizan (built-in lexicon), in-sample | 0.989 / 0.989 / 0.989 | 0.974 / 0.968 / 0.971 |
//! | mizan (built-in lexicon), cross-validated | 0.986 / 0.985 / **0.986** | 0.974 / 0.968 / **0.971** |
//! | mizan without a lexicon, CV | 0.984 / 0.985 / 0.985 | 0.973 / 0.966 / 0.969 |
//! | mizan + lexicon of the training documents' pairs, CV | 0.989 / 0.989 / 0.989 | 0.974 / 0.968 / 0.971 |
//! | the same, that lexicon by IBM model 1 ([`Lexicon::learn_ibm1`]), CV | 0.987 / 0.989 / 0.988 | 0.973 / 0.964 / 0.969 |
//! | Gale–Church (length model + priors), CV | 0.965 / 0.971 / 0.968 | 0.909 / 0.885 / 0.897 |
//! | hunalign, no dictionary | 0.965 / 0.969 / 0.967 | 0.913 / 0.895 / 0.904 (on mizan's segmenter) |
//!
//! Cross-validated recall per gold kind (built-in lexicon) from the gold sentences: 1-1 583/589,
//! 2-1 21/23, 1-2 5/6 (1-0 6/8, 0-1 3/4, which strict recall does not count); from raw
//! paragraphs 1-1 575/589, 2-1 18/23, 1-2 5/6. The errors left are mostly null links placed next to the
//! right place (a short dropped sentence joined to a neighbour) and, from raw paragraphs,
//! sentences run together on *both* sides. The gold sentences with their paragraph marks do
//! better still; from raw paragraphs, [`align`] without re-segmentation is bounded by the
//! segmenter.
//!
//! # Re-segmentation
//! [`align_resegmented`] corrects the segmenter where the translation shows it wrong. The
//! Arabic of news translations often runs two sentences together without a stop — a sentence
//! that ends in a closing quotation mark (`… "المقاومة والعرقلة" "كما ترون …`), a bracket, a
//! colon or just a word — where the English has two; the aligner then makes a 1-2 link that
//! the gold (and the translator) counts as two 1-1 links. After the alignment, each sentence
//! that is alone on its side of a link while the other side (with the adjacent null links) holds
//! two to four sentences — a *region* — is tried split in two at each white space between
//! tokens, never after `، , ; ؛` or a dash (explicit joins, which the NTREX merges use and a 1-2
//! link rightly keeps), never before a lower-case Latin word, leaving at least two tokens a
//! side. Each split is scored as the best alignment of the region with the two pieces (the same
//! bead costs, in a full dynamic programme) plus the **boundary cost** `−ln(p/(1−p))`, where
//! `p` is the probability that a position of that kind is a sentence boundary *given that the
//! alignment questions its sentence*: counted by [`estimate`] (through
//! [`BoundaryPriors::add_regions`]) only in the sentences of the regions that the alignment of
//! each training document finds, against the gold sentences, with add-one smoothing
//! ([`BoundaryPriors`] in [`AlignOptions::boundaries`]). Counting every position of every
//! segment instead (most of them inside sentences no alignment questions) gives a word
//! boundary a probability of 1/1 400 instead of 1/100, so that few run-on sentences were split:
//! cross-validated raw strict F1 0.957 against 0.969 with the counts in regions. The shipped
//! counts (41 dev documents):
//!
//! | position after … | Arabic p | English p |
//! |---|---|---|
//! | a closing quotation mark, another quotation opening next (`"محفز" "إنهم`) | 0.89 (7/7, pooled) | 0.89 |
//! | a closing quotation mark or bracket, a word next | 0.62 (7/11) | 0.29 (1/5) |
//! | a colon | 0.15 (1/11, pooled) | 0.15 |
//! | `.` `?` `!` after a word of two or more letters (`Oct.`) | 0.29 (1/5, pooled) | 0.29 |
//! | a word, or an initial or initialism (`v.`, `D.C.`, `د.`) | 0.010 (6/677) | 0.0065 (0/152) |
//!
//! A double quotation mark preceded by an odd number of them in the sentence opens a quotation
//! (Arabic typesetting often opens with `”`): after it only the *word* cost applies, unless
//! another quotation opens right after it. The merged alternative is the best alignment of the
//! region with the sentence whole. The probability of each alternative is its share of
//! `exp(−cost)` among {whole, every split}; the best split is made when it costs less than the
//! whole sentence and its probability exceeds 0.5. Then the documents are aligned again and the
//! regions that hold a new piece are examined again (three rounds at most, so one sentence can
//! become three). A piece's probability (a piece of a piece: the product) is one of the
//! features of the **confidence** of the link that holds it (see *Confidence*: the calibration
//! weighs it as the training documents' splits deserve; uncalibrated, it multiplies the
//! confidence). A split can be wrong where the translator made two sentences of one Arabic
//! sentence at a place with no boundary candidate (the seed article: `… مؤكدًا “الدعم الكامل”
//! للعملية …` is split after the quotation, while the English sentence ends before `مؤكدًا`,
//! after a comma). Without a lexicon the two links get a lower confidence (0.51 and 0.78,
//! against 0.87–0.96 for their neighbours); with the built-in lexicon, whose words each piece
//! shares with its English sentence, 0.73 and 0.68 (neighbours 0.98–0.99): both below 0.9, so
//! `mizan align --import --min-confidence 0.9` leaves them to the reviewer. (Before the
//! calibration weighed a wrong link as eleven right ones, they were at 0.92 and 0.89 with the
//! lexicon: the split's probability now weighs more, ln split 3.0 against 1.4.) Pre-segmented
//! input is never re-segmented.
//!
//! # Example
//! ```
//! use mizan::align::{align, AlignOptions, Lexicon, Sentence};
//! let s = |t: &str| Sentence { text: t.to_string(), paragraph: 0 };
//! let ar = [s("وُلد في عام ١٩٩٤ في بلايموث."), s("هل فاز بالميدالية؟")];
//! let en = [s("He was born in 1994 in Plymouth."), s("Did he win the medal?")];
//! let links = align(&ar, &en, &Lexicon::default(), &AlignOptions::default());
//! assert_eq!(links.len(), 2);
//! assert_eq!((links[0].ar_ids.clone(), links[0].en_ids.clone()), (vec![0], vec![0]));
//! assert_eq!(links[1].kind(), "1-1");
//! ```

mod calibrate;
mod dp;
pub(crate) mod features;
mod lexicon;
mod resegment;
mod score;
pub mod train;

pub use calibrate::Calibration;
pub use lexicon::{Lexicon, LexiconError, MAX_LEARN_PAIRS};
pub use resegment::BoundaryPriors;
use serde::Serialize;
pub use train::{estimate, estimate_with, Estimate, GoldDocument};

/// The bead kinds, as (Arabic sentences, English sentences); [`Model::priors`] follows this
/// order.
pub const BEAD_KINDS: [(usize, usize); 8] = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3)];

/// The parameters of the bead cost that are learned from gold alignments ([`estimate`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Prior probability of each bead kind, in [`BEAD_KINDS`] order.
    pub priors: [f64; 8],
    /// English content characters per Arabic content character (Gale–Church's `c`).
    pub len_c: f64,
    /// Variance per character of `l_en − c·l_ar` (Gale–Church's `s²`).
    pub len_s2: f64,
    /// The calibration of the confidence for an alignment with a lexicon (fitted with the
    /// built-in one; [`Calibration::none`]: the hand-made product).
    pub calibration: Calibration,
    /// The calibration for an alignment without a lexicon (an empty one, or
    /// `AlignOptions::lexicon` off): the same links then have less evidence, and a calibration
    /// fitted with a lexicon would call right links doubtful.
    pub calibration_no_lexicon: Calibration,
}

impl Model {
    /// The calibration that fits an alignment with `lexicon` under `opts`.
    pub(crate) fn calibration_for(&self, lexicon: &Lexicon, opts: &AlignOptions) -> &Calibration {
        if opts.lexicon && !lexicon.is_empty() {
            &self.calibration
        } else {
            &self.calibration_no_lexicon
        }
    }
}

impl Default for Model {
    /// [`estimate`] on the 41 NTREX alignment dev documents (see the module documentation;
    /// `cargo run --example align_cv -- --estimate` prints it again).
    fn default() -> Self {
        Model {
            priors: [
                0.927_349_826_804_565_9,
                0.011_002_455_572_257_56,
                0.011_002_455_572_257_56,
                0.024_362_580_195_713_17,
                0.024_362_580_195_713_17,
                0.000_640_033_886_497_549_2,
                0.000_640_033_886_497_549_2,
                0.000_640_033_886_497_549_2,
            ],
            len_c: 1.064_461_810_096_782_6,
            len_s2: 2.985_327_975_557_503,
            calibration: Calibration {
                weights: [
                    3.814863539250042,
                    2.6566483462479322,
                    -2.3631471168787637,
                    1.5812811462378755,
                    -3.3850190521183885,
                    -2.6338672582584044,
                    -0.8044149308345369,
                    3.570484560454244,
                    -0.6926379316665875,
                    3.0455675766714383,
                    -2.5036024413223466,
                    -2.4794064478568365,
                    -1.892882661289451,
                ],
            },
            calibration_no_lexicon: Calibration {
                weights: [
                    2.455903580578216,
                    2.7507701971231957,
                    -2.392729146291674,
                    0.4854920044383536,
                    -2.141213378844411,
                    -2.2948139323653183,
                    -1.27290760084725,
                    3.790592384071798,
                    0.04046436610632714,
                    3.0663586365888906,
                    -2.072997440518018,
                    -2.415224397232052,
                    -1.3314048981965585,
                ],
            },
        }
    }
}

/// Fixed cost added to the prior of a 1-0 or 0-1 bead (instead of a length term).
pub const NULL_COST: f64 = 2.0;
/// Upper bound on the number of dynamic-programming cells (memory guard, ≈ 60 bytes each).
pub const MAX_CELLS: usize = 3_000_000;

/// One sentence of a document to align.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// The sentence text.
    pub text: String,
    /// 0-based index of its paragraph in the document (give all sentences the same value when
    /// paragraphs are unknown).
    pub paragraph: usize,
}

impl Sentence {
    /// A sentence of paragraph `paragraph`.
    pub fn new(text: impl Into<String>, paragraph: usize) -> Sentence {
        Sentence {
            text: text.into(),
            paragraph,
        }
    }
}

/// One link of an alignment: Arabic sentences and the English sentences that translate them.
///
/// Serializes (serde) as `{"ar_ids": [..], "en_ids": [..], "confidence": ..}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// 0-based indexes of the Arabic sentences (ascending, consecutive; empty for 0-1).
    pub ar_ids: Vec<usize>,
    /// 0-based indexes of the English sentences (ascending, consecutive; empty for 1-0).
    pub en_ids: Vec<usize>,
    /// How sure the aligner is of this link, 0–1 (see the module documentation).
    pub confidence: f64,
}

impl Link {
    /// The bead kind, `"{arabic count}-{english count}"`: `"1-1"`, `"2-1"`, `"0-1"`, …
    pub fn kind(&self) -> String {
        format!("{}-{}", self.ar_ids.len(), self.en_ids.len())
    }
}

/// Options of [`align`]. `AlignOptions::default()` enables everything.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignOptions {
    /// Use the dictionary-free anchors (numbers, Latin tokens, names, punctuation).
    pub anchors: bool,
    /// Use paragraph boundaries as anchors.
    pub paragraphs: bool,
    /// Use the lexicon.
    pub lexicon: bool,
    /// Initial half-width of the search band, in sentences (at least 4 is used).
    pub band: usize,
    /// Priors of the re-segmentation boundaries ([`align_resegmented`] only); the default was
    /// estimated on the NTREX alignment dev documents.
    pub boundaries: BoundaryPriors,
    /// Bead priors and length model; the default was estimated on the NTREX alignment dev
    /// documents ([`estimate`]).
    pub model: Model,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            anchors: true,
            paragraphs: true,
            lexicon: true,
            band: 48,
            boundaries: BoundaryPriors::default(),
            model: Model::default(),
        }
    }
}

impl AlignOptions {
    /// Plain Gale–Church: the length model and the bead priors only (the baseline).
    pub fn gale_church() -> Self {
        AlignOptions {
            anchors: false,
            paragraphs: false,
            lexicon: false,
            ..Self::default()
        }
    }
}

/// Aligns the sentences of an Arabic document with those of its English translation.
///
/// Returns the links in document order; see the module documentation for the model, the
/// confidence and the invariants. Never fails: an empty side gives only 1-0 (or 0-1) links.
pub fn align(ar: &[Sentence], en: &[Sentence], lexicon: &Lexicon, opts: &AlignOptions) -> Vec<Link> {
    align_with_features(ar, en, lexicon, opts)
        .into_iter()
        .map(|(l, _)| l)
        .collect()
}

/// [`align`], each link with the features its confidence was computed from (what
/// [`estimate`] fits the calibration on).
pub(crate) fn align_with_features(
    ar: &[Sentence],
    en: &[Sentence],
    lexicon: &Lexicon,
    opts: &AlignOptions,
) -> Vec<(Link, calibrate::LinkFeatures)> {
    let band = opts.band.max(4);
    let big = ar.len().max(en.len());
    // Long documents: first align blocks of `block` sentences, then search around that path.
    let coarse = if big > 4 * band && !ar.is_empty() && !en.is_empty() {
        let block = big.div_ceil(COARSE_BLOCKS).max(2);
        let blocks = |s: &[Sentence]| -> Vec<Sentence> {
            s.chunks(block)
                .map(|c| {
                    let text = c.iter().map(|x| x.text.as_str()).collect::<Vec<_>>().join(" ");
                    Sentence::new(text, c[0].paragraph)
                })
                .collect()
        };
        let (ba, be) = (blocks(ar), blocks(en));
        let scorer = score::Scorer::new(&ba, &be, lexicon, opts);
        let links: Vec<Link> = dp::align(&scorer, band, None, opts.model.calibration_for(lexicon, opts))
            .into_iter()
            .map(|(l, _)| l)
            .collect();
        Some((links, block))
    } else {
        None
    };
    let scorer = score::Scorer::new(ar, en, lexicon, opts);
    let guide = coarse.as_ref().map(|(links, block)| dp::Guide { links, block: *block });
    dp::align(&scorer, band, guide, opts.model.calibration_for(lexicon, opts))
}

/// An alignment with the sentences its links refer to, as returned by [`align_resegmented`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    /// The Arabic sentences after re-segmentation (the links' `ar_ids` index this list).
    pub ar: Vec<Sentence>,
    /// The English sentences after re-segmentation (the links' `en_ids` index this list).
    pub en: Vec<Sentence>,
    /// The links, in document order, with the invariants of [`align`].
    pub links: Vec<Link>,
    /// How many sentences were split.
    pub splits: usize,
}

/// Aligns like [`align`], and lets the alignment correct the sentence segmentation: a sentence
/// that the segmenter left whole although its translation is two sentences (an Arabic sentence
/// that ends in a closing quotation mark, or in no punctuation at all) is split where two 1-1
/// beads are clearly more probable than the merged bead (see *Re-segmentation* in the module
/// documentation). Use it when the sentences come from a segmenter; with sentences fixed by the
/// caller (pre-segmented files) use [`align`], whose ids refer to the caller's sentences.
///
/// The returned sentences are those given, some of them split in two (the pieces keep the
/// sentence's paragraph; joined by a space they give back its words).
///
/// ```
/// use mizan::align::{align_resegmented, AlignOptions, Lexicon, Sentence};
/// let ar = [Sentence::new("وقال إنه سيعود في عام ٢٠٢٤ \"بكل تأكيد\" ثم غادر القاعة بعد ٣ ساعات من النقاش", 0)];
/// let en = [
///     Sentence::new("He said he would return in 2024 \"for sure.\"", 0),
///     Sentence::new("Then he left the hall after 3 hours of debate.", 0),
/// ];
/// let a = align_resegmented(&ar, &en, &Lexicon::default(), &AlignOptions::default());
/// assert_eq!(a.ar.len(), 2);
/// assert!(a.ar[0].text.ends_with("\"بكل تأكيد\""));
/// assert_eq!(a.links.iter().map(|l| l.kind()).collect::<Vec<_>>(), ["1-1", "1-1"]);
/// ```
pub fn align_resegmented(ar: &[Sentence], en: &[Sentence], lexicon: &Lexicon, opts: &AlignOptions) -> Alignment {
    let o = resegment::run(ar, en, lexicon, opts);
    Alignment {
        ar: o.ar,
        en: o.en,
        links: o.links,
        splits: o.splits,
    }
}

/// The coarse pass of a long document aligns about this many blocks a side.
const COARSE_BLOCKS: usize = 500;

/// The sentences of a document as the aligner takes them.
///
/// With `presegmented`, line *i* is sentence *i* (every line counts, even an empty one) and all
/// sentences are in paragraph 0; otherwise each non-empty line is a paragraph (or a headline) and
/// `segmenter` splits it into sentences. A leading byte-order mark is ignored.
///
/// ```
/// use mizan::align::document_sentences;
/// use mizan::segment::Segmenter;
/// let s = document_sentences("زيارة نادرة\n\nوصل الوفد. ثم غادر.\n", &Segmenter::for_language("ar"), false);
/// assert_eq!(s.len(), 3);
/// assert_eq!((s[0].paragraph, s[2].paragraph), (0, 1));
/// ```
pub fn document_sentences(text: &str, segmenter: &crate::segment::Segmenter, presegmented: bool) -> Vec<Sentence> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if presegmented {
        let mut lines: Vec<&str> = text.split('\n').collect();
        if text.ends_with('\n') || text.is_empty() {
            lines.pop();
        }
        return lines
            .into_iter()
            .map(|l| Sentence::new(l.trim_end_matches('\r'), 0))
            .collect();
    }
    let mut out = Vec::new();
    for (p, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        for seg in segmenter.segment(line) {
            out.push(Sentence::new(seg.text, p));
        }
    }
    out
}

#[cfg(test)]
mod tests;
