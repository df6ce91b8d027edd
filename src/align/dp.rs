//! The banded dynamic programme: Viterbi for the best alignment, forward–backward for the
//! posterior of each of its beads, and the confidence of each link.
//!
//! Invariants: the band always contains a path from (0, 0) to (n, m) (consecutive rows overlap),
//! so a complete alignment is always found; the returned links partition both sides in order.

use super::score::{Evidence, Scorer, KINDS};
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
    fn new(n: usize, m: usize, w: usize) -> Band {
        let slope = m.div_ceil(n.max(1));
        let mut lo = Vec::with_capacity(n + 1);
        let mut hi = Vec::with_capacity(n + 1);
        let mut off = Vec::with_capacity(n + 1);
        let mut cells = 0;
        for i in 0..=n {
            let centre = (i * m) / n.max(1);
            let l = centre.saturating_sub(w + slope);
            let h = (centre + w + slope).min(m);
            let (l, h) = if i == 0 { (0, h) } else if i == n { (l, m) } else { (l, h) };
            off.push(cells);
            cells += h - l + 1;
            lo.push(l);
            hi.push(h);
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

/// `-ln(exp(-x) + exp(-y))`.
fn neg_log_add(x: f64, y: f64) -> f64 {
    if x == INF {
        return y;
    }
    if y == INF {
        return x;
    }
    let (lo, hi) = if x < y { (x, y) } else { (y, x) };
    lo - (-(hi - lo)).exp().ln_1p()
}

struct Tables {
    band: Band,
    /// Viterbi cost per cell.
    best: Vec<f64>,
    /// Back pointer: kind index, or u8::MAX.
    back: Vec<u8>,
    /// Forward (sum) cost per cell.
    fwd: Vec<f64>,
    /// Bead costs of the beads ending in each cell, per kind (INF when impossible).
    bead: Vec<[f32; 6]>,
}

fn forward(sc: &Scorer, band: Band) -> Tables {
    let (n, _m) = (sc.n, sc.m);
    let mut best = vec![INF; band.cells];
    let mut back = vec![u8::MAX; band.cells];
    let mut fwd = vec![INF; band.cells];
    let mut bead = vec![[f32::INFINITY; 6]; band.cells];
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            let c = band.off[i] + j - band.lo[i];
            if i == 0 && j == 0 {
                best[c] = 0.0;
                fwd[c] = 0.0;
                continue;
            }
            let (mut b, mut bk, mut f) = (INF, u8::MAX, INF);
            for (k, &(a, e)) in KINDS.iter().enumerate() {
                if i < a || j < e {
                    continue;
                }
                let Some(p) = band.idx(i - a, j - e) else { continue };
                if best[p] == INF {
                    continue;
                }
                let cost = sc.cost(k, i - a, j - e);
                bead[c][k] = cost as f32;
                let v = best[p] + cost;
                if v < b {
                    b = v;
                    bk = k as u8;
                }
                f = neg_log_add(f, fwd[p] + cost);
            }
            best[c] = b;
            back[c] = bk;
            fwd[c] = f;
        }
    }
    Tables { band, best, back, fwd, bead }
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
            let mut acc = INF;
            for (k, &(a, e)) in KINDS.iter().enumerate() {
                if i + a > n || j + e > m {
                    continue;
                }
                let Some(q) = band.idx(i + a, j + e) else { continue };
                let cost = t.bead[q][k] as f64;
                if cost == INF || bwd[q] == INF {
                    continue;
                }
                acc = neg_log_add(acc, cost + bwd[q]);
            }
            bwd[c] = acc;
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
pub(crate) fn align(sc: &Scorer, band_width: usize) -> Vec<Link> {
    let (n, m) = (sc.n, sc.m);
    if n == 0 || m == 0 {
        // Nothing to pair: every sentence is a null link with zero confidence.
        let ar = (0..n).map(|i| Link { ar_ids: vec![i], en_ids: vec![], confidence: 0.0 });
        let en = (0..m).map(|j| Link { ar_ids: vec![], en_ids: vec![j], confidence: 0.0 });
        return ar.chain(en).collect();
    }
    let mut w = band_width;
    let (tables, path) = loop {
        let band = Band::new(n, m, w);
        let full = band.full(m);
        let t = forward(sc, band);
        let path = trace(&t, n, m);
        let touches = path.iter().any(|&(i, j, _)| {
            (j == t.band.lo[i] && t.band.lo[i] > 0) || (j == t.band.hi[i] && t.band.hi[i] < m)
        });
        let next_cells = Band::new(n, m, w * 2).cells;
        if full || !touches || next_cells > MAX_CELLS {
            break (t, path);
        }
        w *= 2;
    };
    let bwd = backward(sc, &tables);
    let band = &tables.band;
    let z = tables.fwd[band.off[n] + m - band.lo[n]];
    let beads: Vec<PathBead> = path
        .iter()
        .map(|&(i, j, k)| {
            let (a, e) = KINDS[k];
            let (cost, ev) = sc.cost_and_evidence(k, i, j);
            let (Some(s), Some(t)) = (band.idx(i, j), band.idx(i + a, j + e)) else {
                return PathBead { i, j, k, posterior: 0.0, ev };
            };
            let lp = z - (tables.fwd[s] + cost + bwd[t]);
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
            let support_f = if b.ev.matched == 0 && b.ev.ar_len > 60.0 { 0.6 } else { 1.0 };
            len_f * unmatched_f * support_f
        };
        let prev_null = x > 0 && is_null(&beads[x - 1]);
        let next_null = beads.get(x + 1).is_some_and(is_null);
        let neigh = if prev_null || next_null { 0.75 } else { 1.0 };
        let conf = (b.posterior * evidence * neigh).clamp(0.0, 1.0);
        links.push(Link {
            ar_ids: (b.i..b.i + a).collect(),
            en_ids: (b.j..b.j + e).collect(),
            confidence: if conf.is_finite() { conf } else { 0.0 },
        });
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
