//! The banded dynamic programme: Viterbi for the best alignment, forward–backward for the
//! posterior of each of its beads, and the confidence of each link.
//!
//! Invariants: the band always contains a path from (0, 0) to (n, m) (consecutive rows overlap),
//! so a complete alignment is always found; the returned links partition both sides in order.

use super::calibrate::{Calibration, LinkFeatures};
use super::score::{Evidence, Scorer, KINDS, NK};
use super::{Link, MAX_CELLS};

const INF: f64 = f64::INFINITY;

/// Column range of each row of the search band.
struct Band {
    lo: Vec<usize>,
    hi: Vec<usize>,
    off: Vec<usize>,
    cells: usize,
}

impl Band {
    /// The band around the scaled diagonal `i·m/n`, half-width `w` plus the slope.
    fn diagonal(n: usize, m: usize, w: usize) -> Band {
        let slope = m.div_ceil(n.max(1));
        let ranges = (0..=n).map(|i| {
            let centre = (i * m) / n.max(1);
            (centre.saturating_sub(w + slope), centre + w + slope)
        });
        Band::from_ranges(n, m, ranges)
    }

    /// The band of half-width `w` around a block alignment projected on the sentences.
    fn guided(n: usize, m: usize, w: usize, g: &Guide) -> Band {
        let mut first = vec![usize::MAX; n + 1];
        let mut last = vec![0usize; n + 1];
        let (mut i, mut j) = (0usize, 0usize);
        for l in g.links {
            let i1 = (i + l.ar_ids.len() * g.block).min(n);
            let j1 = (j + l.en_ids.len() * g.block).min(m);
            // the straight line from (i, j) to (i1, j1), one step wide
            let (di, dj) = (i1 - i, j1 - j);
            for r in i..=i1 {
                let (lo, hi) = match ((r - i) * dj).checked_div(di) {
                    None => (j, j1),
                    Some(q) => (j + q, j + ((r - i + 1) * dj).div_ceil(di)),
                };
                first[r] = first[r].min(lo);
                last[r] = last[r].max(hi.min(j1));
            }
            (i, j) = (i1, j1);
        }
        for r in 1..=n {
            if first[r] == usize::MAX {
                first[r] = last[r - 1];
                last[r] = last[r - 1];
            }
        }
        if first[0] == usize::MAX {
            first[0] = 0;
        }
        let ranges = (0..=n).map(|r| (first[r].saturating_sub(w), last[r] + w));
        Band::from_ranges(n, m, ranges)
    }

    /// The band of half-width `w` around a path (its cells per row, gaps filled).
    fn around(n: usize, m: usize, w: usize, path: &[(usize, usize, usize)]) -> Band {
        let mut first = vec![usize::MAX; n + 1];
        let mut last = vec![0usize; n + 1];
        let mut visit = |i: usize, j: usize| {
            first[i] = first[i].min(j);
            last[i] = last[i].max(j);
        };
        visit(0, 0);
        for &(i, j, k) in path {
            let (a, e) = KINDS[k];
            visit(i, j);
            visit(i + a, j + e);
            // rows inside a many-to-one bead: the band must hold the bead's corner cells
            for r in 1..a {
                visit(i + r, j);
                visit(i + r, j + e);
            }
        }
        visit(n, m);
        // rows the path never entered (cannot happen with the kinds above, kept for safety)
        for i in 1..=n {
            if first[i] == usize::MAX {
                first[i] = last[i - 1];
                last[i] = last[i - 1];
            }
        }
        let ranges = (0..=n).map(|i| (first[i].saturating_sub(w), last[i] + w));
        Band::from_ranges(n, m, ranges)
    }

    /// Builds the band from raw ranges, clamped to `0..=m`, made monotone so that consecutive
    /// rows overlap (which guarantees a path from (0, 0) to (n, m)), row 0 starting at 0 and
    /// row n ending at m.
    fn from_ranges(n: usize, m: usize, ranges: impl Iterator<Item = (usize, usize)>) -> Band {
        let mut lo: Vec<usize> = Vec::with_capacity(n + 1);
        let mut hi: Vec<usize> = Vec::with_capacity(n + 1);
        for (l, h) in ranges {
            lo.push(l.min(m));
            hi.push(h.min(m));
        }
        lo[0] = 0;
        hi[n] = m;
        for i in 1..=n {
            lo[i] = lo[i].max(lo[i - 1]);
            hi[i] = hi[i].max(hi[i - 1]);
        }
        for i in (0..n).rev() {
            lo[i] = lo[i].min(lo[i + 1]);
        }
        for i in 0..n {
            // overlap with the next row
            hi[i] = hi[i].max(lo[i + 1]);
        }
        let mut off = Vec::with_capacity(n + 1);
        let mut cells = 0;
        for i in 0..=n {
            off.push(cells);
            cells += hi[i] - lo[i] + 1;
        }
        Band { lo, hi, off, cells }
    }

    fn idx(&self, i: usize, j: usize) -> Option<usize> {
        if j < self.lo[i] || j > self.hi[i] {
            None
        } else {
            Some(self.off[i] + j - self.lo[i])
        }
    }

    fn full(&self, m: usize) -> bool {
        self.lo.iter().all(|&l| l == 0) && self.hi.iter().all(|&h| h == m)
    }
}

/// `-ln Σ exp(-x)` over the finite values of `xs` (terms 30 or more above the minimum, whose
/// share is below 1e-13, are skipped).
fn neg_log_sum(xs: &[f64]) -> f64 {
    let min = xs.iter().copied().fold(INF, f64::min);
    if min == INF {
        return INF;
    }
    let s: f64 = xs.iter().filter(|&&x| x - min < 30.0).map(|&x| (min - x).exp()).sum();
    min - s.ln()
}

struct Tables {
    band: Band,
    /// Back pointer: kind index, or u8::MAX.
    back: Vec<u8>,
    /// Bead costs of the beads ending in each cell, per kind (INF when impossible).
    bead: Vec<[f32; NK]>,
}

/// Viterbi over the band; stores every bead cost for the forward–backward passes.
fn viterbi(sc: &Scorer, band: Band) -> Tables {
    let n = sc.n;
    let mut best = vec![INF; band.cells];
    let mut back = vec![u8::MAX; band.cells];
    let mut bead = vec![[f32::INFINITY; NK]; band.cells];
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            let c = band.off[i] + j - band.lo[i];
            if i == 0 && j == 0 {
                best[c] = 0.0;
                continue;
            }
            let (mut b, mut bk) = (INF, u8::MAX);
            for (k, &(a, e)) in KINDS.iter().enumerate() {
                if i < a || j < e {
                    continue;
                }
                let Some(p) = band.idx(i - a, j - e) else {
                    continue;
                };
                if best[p] == INF {
                    continue;
                }
                let cost = sc.cost(k, i - a, j - e) as f32;
                bead[c][k] = cost;
                let v = best[p] + cost as f64;
                if v < b {
                    b = v;
                    bk = k as u8;
                }
            }
            best[c] = b;
            back[c] = bk;
        }
    }
    Tables { band, back, bead }
}

/// Forward pass: `-ln` of the summed probability of all partial alignments ending in each cell.
fn forward(sc: &Scorer, t: &Tables) -> Vec<f64> {
    let band = &t.band;
    let mut fwd = vec![INF; band.cells];
    for i in 0..=sc.n {
        for j in band.lo[i]..=band.hi[i] {
            let c = band.off[i] + j - band.lo[i];
            if i == 0 && j == 0 {
                fwd[c] = 0.0;
                continue;
            }
            let mut terms = [INF; NK];
            for (k, &(a, e)) in KINDS.iter().enumerate() {
                let cost = t.bead[c][k];
                if cost == f32::INFINITY {
                    continue;
                }
                if let Some(p) = band.idx(i - a, j - e) {
                    terms[k] = fwd[p] + cost as f64;
                }
            }
            fwd[c] = neg_log_sum(&terms);
        }
    }
    fwd
}

fn backward(sc: &Scorer, t: &Tables) -> Vec<f64> {
    let (n, m) = (sc.n, sc.m);
    let band = &t.band;
    let mut bwd = vec![INF; band.cells];
    for i in (0..=n).rev() {
        for j in (band.lo[i]..=band.hi[i]).rev() {
            let c = band.off[i] + j - band.lo[i];
            if i == n && j == m {
                bwd[c] = 0.0;
                continue;
            }
            let mut terms = [INF; NK];
            for (k, &(a, e)) in KINDS.iter().enumerate() {
                if i + a > n || j + e > m {
                    continue;
                }
                let Some(q) = band.idx(i + a, j + e) else {
                    continue;
                };
                let cost = t.bead[q][k] as f64;
                if cost == INF || bwd[q] == INF {
                    continue;
                }
                terms[k] = cost + bwd[q];
            }
            bwd[c] = neg_log_sum(&terms);
        }
    }
    bwd
}

/// A bead of the best path: start cell, kind, posterior, evidence.
struct PathBead {
    i: usize,
    j: usize,
    k: usize,
    posterior: f64,
    ev: Evidence,
}

/// Runs the banded search (widening the band when the path touches its edge) and returns links.
/// A coarse alignment of blocks of `block` consecutive sentences, used to centre the first band.
pub(crate) struct Guide<'a> {
    pub links: &'a [Link],
    pub block: usize,
}

/// The links of the best path, each with what the confidence was computed from
/// (`calibration` of those features).
pub(crate) fn align(
    sc: &Scorer,
    band_width: usize,
    guide: Option<Guide>,
    calibration: &Calibration,
) -> Vec<(Link, LinkFeatures)> {
    let (n, m) = (sc.n, sc.m);
    if n == 0 || m == 0 {
        // Nothing to pair: every sentence is a null link with zero confidence.
        let none = LinkFeatures {
            posterior: 0.0,
            evidence: 0.0,
            matched: 0,
            null: true,
            merge: false,
            many: false,
            next_to_null: true,
            ar_len: 0.0,
            split: 1.0,
            open_quote: 0,
            inner_break: 0,
        };
        let ar = (0..n).map(|i| Link {
            ar_ids: vec![i],
            en_ids: vec![],
            confidence: 0.0,
        });
        let en = (0..m).map(|j| Link {
            ar_ids: vec![],
            en_ids: vec![j],
            confidence: 0.0,
        });
        return ar.chain(en).map(|l| (l, none)).collect();
    }
    // Diagonal band first; while the best path touches the band's edge, search again in a band
    // around that path (same half-width twice, then doubled each further round), up to the
    // full matrix, MAX_CELLS or six rounds.
    // Very long documents get a narrower first band so that it fits in MAX_CELLS.
    let slope = m.div_ceil(n);
    let fit = (MAX_CELLS / (n + 1) / 2).saturating_sub(slope + 1);
    let mut w = band_width.min(fit.max(4));
    let mut band = match guide {
        Some(g) => Band::guided(n, m, w, &g),
        None => Band::diagonal(n, m, w),
    };
    if band.cells > MAX_CELLS {
        band = Band::diagonal(n, m, w);
    }
    let mut rounds = 0;
    let (tables, path) = loop {
        let full = band.full(m);
        let t = viterbi(sc, band);
        let path = trace(&t, n, m);
        let touches = path
            .iter()
            .any(|&(i, j, _)| (j == t.band.lo[i] && t.band.lo[i] > 0) || (j == t.band.hi[i] && t.band.hi[i] < m));
        rounds += 1;
        if full || !touches || rounds >= 6 {
            break (t, path);
        }
        if rounds > 2 {
            w *= 2;
        }
        let next = Band::around(n, m, w, &path);
        if next.cells > MAX_CELLS {
            break (t, path);
        }
        band = next;
    };
    let fwd = forward(sc, &tables);
    let bwd = backward(sc, &tables);
    let band = &tables.band;
    let z = fwd[band.off[n] + m - band.lo[n]];
    let beads: Vec<PathBead> = path
        .iter()
        .map(|&(i, j, k)| {
            let (a, e) = KINDS[k];
            let (_, ev) = sc.cost_and_evidence(k, i, j);
            let (Some(s), Some(t)) = (band.idx(i, j), band.idx(i + a, j + e)) else {
                return PathBead {
                    i,
                    j,
                    k,
                    posterior: 0.0,
                    ev,
                };
            };
            let cost = tables.bead[t][k] as f64;
            let lp = z - (fwd[s] + cost + bwd[t]);
            let posterior = if lp.is_finite() { lp.exp().clamp(0.0, 1.0) } else { 0.0 };
            PathBead { i, j, k, posterior, ev }
        })
        .collect();
    let is_null = |b: &PathBead| KINDS[b.k].0 == 0 || KINDS[b.k].1 == 0;
    let mut links = Vec::with_capacity(beads.len());
    for (x, b) in beads.iter().enumerate() {
        let (a, e) = KINDS[b.k];
        let evidence = if a == 0 || e == 0 {
            0.5
        } else {
            let len_f = ((b.ev.ln_p_len - 0.01f64.ln()) * 0.25).exp().min(1.0);
            let unmatched_f = 0.5f64.powi(b.ev.unmatched.min(30) as i32);
            let support_f = if b.ev.matched == 0 && b.ev.ar_len > 40.0 {
                0.6
            } else {
                1.0
            };
            len_f * unmatched_f * support_f
        };
        let prev_null = x > 0 && is_null(&beads[x - 1]);
        let next_null = beads.get(x + 1).is_some_and(is_null);
        let f = LinkFeatures {
            posterior: b.posterior,
            evidence,
            matched: b.ev.matched,
            null: a == 0 || e == 0,
            merge: a + e >= 3,
            many: a >= 2 && e >= 2,
            next_to_null: prev_null || next_null,
            ar_len: b.ev.ar_len,
            split: 1.0,
            open_quote: 0,
            inner_break: 0,
        };
        links.push((
            Link {
                ar_ids: (b.i..b.i + a).collect(),
                en_ids: (b.j..b.j + e).collect(),
                confidence: calibration.apply(&f),
            },
            f,
        ));
    }
    links
}

/// Follows the back pointers from (n, m); returns (start i, start j, kind) in document order.
fn trace(t: &Tables, n: usize, m: usize) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let Some(c) = t.band.idx(i, j) else { break };
        let k = t.back[c];
        if k == u8::MAX {
            break;
        }
        let (a, e) = KINDS[k as usize];
        i -= a;
        j -= e;
        out.push((i, j, k as usize));
    }
    out.reverse();
    out
}
