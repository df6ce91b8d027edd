//! Confidence calibration: a logistic model of "this link is right" over what the dynamic
//! programme knows of a link, fitted by [`super::estimate`] on training documents.
//!
//! Invariants: [`Calibration::apply`] returns a finite value in `[0, 1]` for any features; the
//! all-zero calibration ([`Calibration::none`]) means "not fitted", and the confidence is then
//! the hand-made product of the module documentation; a fit that cannot be made (no wrong or no
//! right link among the training links, or a singular system) gives [`Calibration::none`].

/// Number of link features (the first is the constant 1).
pub(crate) const NF: usize = 13;

/// What the dynamic programme knows of one link of its best path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LinkFeatures {
    /// Posterior probability of the link (forward–backward).
    pub posterior: f64,
    /// The hand-made evidence factor (length p-value, unmatched anchors, no support).
    pub evidence: f64,
    /// Shared numbers, Latin tokens, names and lexicon words.
    pub matched: usize,
    /// The link is 1-0 or 0-1.
    pub null: bool,
    /// The link holds three or more sentences (2-1, 1-2, 2-2, 3-1, 1-3).
    pub merge: bool,
    /// The link holds several sentences on both sides (2-2, or more where re-segmentation
    /// merged): translations seldom merge sentences on both sides at once, so such a link
    /// usually means that the sentence-level correspondence was not found (two sentences run
    /// together on both sides of raw text) and the pair needs a person to split it.
    pub many: bool,
    /// The link before or after it is 1-0 or 0-1.
    pub next_to_null: bool,
    /// Arabic content characters (0 for a 0-1 link).
    pub ar_len: f64,
    /// The probability that the link's sentences are sentences: 1, or for a link that holds a
    /// piece of a sentence that re-segmentation split, the split's probability (the least of
    /// its pieces').
    pub split: f64,
    /// Sides (0–2) whose sentences in the link hold an odd number of double quotation marks,
    /// for sentences that came from the segmenter (0 for pre-segmented input): the segmenter
    /// cut inside a quotation, where a translator (and a gold alignment) often keeps the
    /// quotation's sentences as one unit, so the link may pair pieces finer than the unit.
    /// The calibration reads it as a flag of both sides (one side only is seldom wrong).
    pub open_quote: u8,
    /// Sides (0–2) whose sentences in the link, from the segmenter, hold a position where a
    /// sentence may end that the segmenter did not take and that is more than a plain word
    /// (a closing quotation mark or bracket before a word, a colon, a stop after a word:
    /// [`super::resegment`]'s boundary kinds): the link may hold sentences run together.
    /// The calibration reads it as a flag of both sides (re-segmentation splits one side
    /// where the other shows two sentences; run together on both sides, nothing shows it).
    pub inner_break: u8,
}

impl LinkFeatures {
    /// The hand-made confidence: posterior × evidence × 0.75 next to a null link × split
    /// probability.
    pub(crate) fn product(&self) -> f64 {
        let neigh = if self.next_to_null { 0.75 } else { 1.0 };
        let c = self.posterior * self.evidence * neigh * self.split;
        if c.is_finite() {
            c.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// The regressors: 1, ln posterior, ln evidence, ln(1 + matched), null, merge, next to
    /// null, ln of the hand-made product, ln(1 + Arabic length), ln split probability, several
    /// sentences on both sides, a quotation cut on both sides, an untaken break on both sides.
    fn vector(&self) -> [f64; NF] {
        let ln = |x: f64| x.max(1e-4).ln();
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        [
            1.0,
            ln(self.posterior),
            ln(self.evidence),
            (1.0 + self.matched.min(20) as f64).ln(),
            flag(self.null),
            flag(self.merge),
            flag(self.next_to_null),
            ln(self.product()),
            (1.0 + self.ar_len.max(0.0)).ln(),
            ln(self.split),
            flag(self.many),
            flag(self.open_quote >= 2),
            flag(self.inner_break >= 2),
        ]
    }
}

/// Weights of the logistic calibration of the confidence (the probability that a link is
/// right, from what the alignment knows of it); all zero when not fitted (see
/// [`Calibration::none`]). [`crate::align::estimate`] fits them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibration {
    /// The weights: constant, ln posterior, ln evidence, ln(1 + shared anchors and lexicon
    /// words), null link, link of three or more sentences, next to a null link, ln of the
    /// hand-made product, ln(1 + Arabic content characters), ln of the split probability,
    /// several sentences on both sides, the segmenter's sentences cut inside a quotation on
    /// both sides (an odd number of double quotation marks), the segmenter's sentences on both
    /// sides holding a possible sentence end that the segmenter did not take.
    pub weights: [f64; NF],
}

impl Calibration {
    /// No calibration: the confidence is the hand-made product (posterior × evidence ×
    /// neighbour factor).
    pub const fn none() -> Calibration {
        Calibration { weights: [0.0; NF] }
    }

    /// Whether this calibration was fitted.
    pub fn is_fitted(&self) -> bool {
        self.weights.iter().any(|&w| w != 0.0)
    }

    /// The confidence of a link with these features.
    pub(crate) fn apply(&self, f: &LinkFeatures) -> f64 {
        if !self.is_fitted() {
            return f.product();
        }
        let x = f.vector();
        let z: f64 = self.weights.iter().zip(x).map(|(w, x)| w * x).sum();
        let p = 1.0 / (1.0 + (-z).exp());
        if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// Fits the logistic model on `(features, right, weight)` samples by weighted Newton's
    /// method (IRLS) with an L2 penalty of [`RIDGE`] on every weight but the constant.
    pub(crate) fn fit(samples: &[(LinkFeatures, bool, f64)]) -> Calibration {
        let right = samples.iter().filter(|s| s.1).count();
        if right == 0 || right == samples.len() {
            return Calibration::none();
        }
        let xs: Vec<([f64; NF], f64, f64)> = samples
            .iter()
            .map(|&(f, r, v)| (f.vector(), if r { 1.0 } else { 0.0 }, v.max(0.0)))
            .collect();
        let mut w = [0.0f64; NF];
        for _ in 0..50 {
            let mut grad = [0.0f64; NF];
            let mut hess = [[0.0f64; NF]; NF];
            for (x, y, v) in &xs {
                let z: f64 = w.iter().zip(x).map(|(a, b)| a * b).sum();
                let p = 1.0 / (1.0 + (-z).exp());
                let s = v * (p * (1.0 - p)).max(1e-9);
                for a in 0..NF {
                    grad[a] += v * (p - y) * x[a];
                    for b in 0..NF {
                        hess[a][b] += s * x[a] * x[b];
                    }
                }
            }
            for a in 1..NF {
                grad[a] += RIDGE * w[a];
                hess[a][a] += RIDGE;
            }
            let Some(step) = solve(hess, grad) else {
                return Calibration::none();
            };
            let mut change = 0.0f64;
            for a in 0..NF {
                w[a] -= step[a];
                change = change.max(step[a].abs());
            }
            if change < 1e-8 {
                break;
            }
        }
        if w.iter().all(|x| x.is_finite()) {
            Calibration { weights: w }
        } else {
            Calibration::none()
        }
    }
}

/// L2 penalty of the calibration fit (a few hundred links, a few dozen of them wrong, so the
/// weights need holding back).
const RIDGE: f64 = 1.0;

/// Solves `a · x = b` by Gaussian elimination with partial pivoting; None when singular.
fn solve(mut a: [[f64; NF]; NF], mut b: [f64; NF]) -> Option<[f64; NF]> {
    for c in 0..NF {
        let p = (c..NF).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[p][c].abs() < 1e-12 {
            return None;
        }
        a.swap(c, p);
        b.swap(c, p);
        let pivot = a[c];
        for r in c + 1..NF {
            let f = a[r][c] / pivot[c];
            for (x, p) in a[r][c..].iter_mut().zip(&pivot[c..]) {
                *x -= f * p;
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = [0.0; NF];
    for c in (0..NF).rev() {
        let s: f64 = (c + 1..NF).map(|k| a[c][k] * x[k]).sum();
        x[c] = (b[c] - s) / a[c][c];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(posterior: f64, matched: usize) -> LinkFeatures {
        LinkFeatures {
            posterior,
            evidence: 1.0,
            matched,
            null: false,
            merge: false,
            many: false,
            next_to_null: false,
            ar_len: 100.0,
            split: 1.0,
            open_quote: 0,
            inner_break: 0,
        }
    }

    #[test]
    fn an_unfitted_calibration_is_the_product() {
        let x = LinkFeatures {
            next_to_null: true,
            ..f(0.8, 0)
        };
        assert!((Calibration::none().apply(&x) - 0.6).abs() < 1e-12);
        // one class only: nothing to fit
        assert!(!Calibration::fit(&[(x, true, 1.0), (x, true, 1.0)]).is_fitted());
    }

    #[test]
    fn the_fit_follows_the_data() {
        // links with a low posterior are right half the time, the others always
        let mut s = Vec::new();
        for k in 0..200 {
            s.push((f(0.99, 3), true, 1.0));
            s.push((f(0.3, 0), k % 2 == 0, 1.0));
        }
        let c = Calibration::fit(&s);
        assert!(c.is_fitted());
        let (hi, lo) = (c.apply(&f(0.99, 3)), c.apply(&f(0.3, 0)));
        assert!(hi > 0.95, "{hi}");
        assert!((lo - 0.5).abs() < 0.1, "{lo}");
        // a wrong link weighing three right ones: odds of 1 to 3
        let s: Vec<_> = s
            .into_iter()
            .map(|(f, r, _)| (f, r, if r { 1.0 } else { 3.0 }))
            .collect();
        let lo = Calibration::fit(&s).apply(&f(0.3, 0));
        assert!((lo - 0.25).abs() < 0.1, "{lo}");
    }

    #[test]
    fn links_with_several_sentences_on_both_sides_learn_their_own_weight() {
        // 2-2 links with the posterior and evidence of right 1-1 links, but mostly wrong
        let many = LinkFeatures {
            many: true,
            merge: true,
            ..f(0.95, 2)
        };
        let mut s = Vec::new();
        for k in 0..300 {
            s.push((f(0.95, 2), k % 20 != 0, 1.0));
            if k % 10 == 0 {
                s.push((many, k % 30 == 0, 1.0));
            }
        }
        let c = Calibration::fit(&s);
        assert!(c.weights[10] < -0.5, "{:?}", c.weights);
        let (one, two) = (c.apply(&f(0.95, 2)), c.apply(&many));
        assert!(one > 0.85 && two < 0.6, "1-1 {one}, 2-2 {two}");
    }

    #[test]
    fn the_segmentation_flags_are_regressors_of_both_sides_only() {
        let base = f(0.95, 2);
        let x = |open_quote, inner_break| {
            LinkFeatures {
                open_quote,
                inner_break,
                ..base
            }
            .vector()
        };
        assert_eq!(x(0, 0), base.vector());
        assert_eq!(x(1, 1)[11..], [0.0, 0.0]);
        assert_eq!(x(2, 0)[11..], [1.0, 0.0]);
        assert_eq!(x(0, 2)[11..], [0.0, 1.0]);
        // links cut inside a quotation on both sides, with the posterior and evidence of
        // right links but wrong one time in five, learn a weight that flags them
        let cut = LinkFeatures { open_quote: 2, ..base };
        let mut s = Vec::new();
        for k in 0..400 {
            s.push((base, k % 50 != 0, 1.0));
            if k % 4 == 0 {
                s.push((cut, k % 20 != 0, 1.0));
            }
        }
        let c = Calibration::fit(&s);
        assert!(c.weights[11] < -0.5, "{:?}", c.weights);
        assert!(c.apply(&cut) < c.apply(&base) - 0.05);
    }
}
