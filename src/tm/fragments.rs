//! Fragment matches (what memoQ calls longest-substring concordance): units that share a long
//! contiguous run of words with the query, when no whole unit is close enough.
//!
//! Invariants:
//! - **Words after normalization.** Runs are compared on the fuzzy index's word keys (normalized
//!   stems: clitics, diacritics and spelling variants do not break a run; all numbers share one
//!   key, as placeables do in the score). Punctuation and inline tags are skipped, so a moved
//!   comma does not cut a run.
//! - **Lossless.** [`fragments`] returns exactly what [`fragments_exhaustive`] returns: a unit whose
//!   longest run with the query has `m` ≥ `min_words` words contains the keys of some
//!   `min_words`-word window of the query, in particular the rarest key of that window; the
//!   candidates are the posting lists of those rarest keys, and each is verified on its token
//!   sequence. Stale postings only cost time.
//! - **Order.** Longest run first, then unit id ascending; at most `top` units.
//! - An index of an older format ([`is_current`]) finds no fragments until `mizan reindex`.
//! - Words are compared on their index keys, so a word with other clitics or affixes continues
//!   a run, as spelling variants do.

use super::*;
use std::collections::HashMap;

/// A unit that shares a run of words with the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// The unit.
    pub unit_id: i64,
    /// Words in the longest shared run.
    pub words: usize,
    /// First and last token (indexes into [`text::tokenize`] of the query) of the run.
    pub query_tokens: (usize, usize),
    /// First and last token of the run in the unit's source.
    pub source_tokens: (usize, usize),
}

/// The word keys of a token sequence, with each word's token index.
fn words(syms: &[Sym], tag_key: Option<u32>) -> (Vec<u32>, Vec<usize>) {
    let mut keys = Vec::with_capacity(syms.len());
    let mut at = Vec::with_capacity(syms.len());
    for (i, s) in syms.iter().enumerate() {
        if u32::from(s.weight) == WORD && Some(s.key) != tag_key {
            keys.push(s.key);
            at.push(i);
        }
    }
    (keys, at)
}

/// The longest common run of `q` and `s`: (length, end in `q`, end in `s`), ends exclusive; of
/// several runs of the same length, the one that ends first in `s`, then first in `q`.
fn longest_run(q: &[u32], s: &[u32], rows: &mut (Vec<u32>, Vec<u32>)) -> (usize, usize, usize) {
    // cur[i + 1] = length of the common run ending at q[i] and s[j]; prev: the same at s[j - 1].
    let (prev, cur) = rows;
    prev.clear();
    prev.resize(q.len() + 1, 0);
    cur.clear();
    cur.resize(q.len() + 1, 0);
    let mut best = (0usize, 0usize, 0usize);
    for (j, &k) in s.iter().enumerate() {
        for (i, &qk) in q.iter().enumerate() {
            cur[i + 1] = if qk == k { prev[i] + 1 } else { 0 };
            if cur[i + 1] as usize > best.0 {
                best = (cur[i + 1] as usize, i + 1, j + 1);
            }
        }
        std::mem::swap(prev, cur);
    }
    best
}

/// The query as fragment search sees it.
struct Query {
    /// Word keys (unknown words get ids no unit has) and their token indexes.
    keys: Vec<u32>,
    at: Vec<usize>,
    /// Document frequency of each word key (0 when unknown).
    df: Vec<i64>,
}

fn prepare(
    query: &str,
    mut lookup: impl FnMut(&str) -> rusqlite::Result<Option<(u32, i64)>>,
) -> rusqlite::Result<(Query, Option<u32>)> {
    let tag_key = lookup(crate::fuzzy::TAG_KEY)?.map(|k| k.0);
    let mut keys = Vec::new();
    let mut at = Vec::new();
    let mut df = Vec::new();
    let mut unknown = u32::MAX;
    for (i, t) in text::tokenize(query).iter().enumerate() {
        if matches!(t.kind, text::TokenKind::Punct | text::TokenKind::Tag) {
            continue;
        }
        let (key, _, _) = token_key(t);
        let (id, d) = match lookup(&key)? {
            Some(found) => found,
            None => {
                unknown -= 1;
                (unknown, 0)
            }
        };
        keys.push(id);
        at.push(i);
        df.push(d);
    }
    Ok((Query { keys, at, df }, tag_key))
}

/// Keeps `f` among the best `top` (longest first, then lowest id).
fn keep(best: &mut Vec<Fragment>, f: Fragment, top: usize) {
    let pos = best
        .binary_search_by(|b| f.words.cmp(&b.words).then(b.unit_id.cmp(&f.unit_id)))
        .unwrap_or_else(|p| p);
    if top == 0 || pos < top {
        best.insert(pos, f);
        if top > 0 {
            best.truncate(top);
        }
    }
}

/// Verifies one candidate's token sequence.
fn verify(
    q: &Query,
    unit_id: i64,
    syms: &[Sym],
    tag_key: Option<u32>,
    min_words: usize,
    rows: &mut (Vec<u32>, Vec<u32>),
) -> Option<Fragment> {
    let (skeys, sat) = words(syms, tag_key);
    let (len, q_end, s_end) = longest_run(&q.keys, &skeys, rows);
    (len >= min_words && len > 0).then(|| Fragment {
        unit_id,
        words: len,
        query_tokens: (q.at[q_end - len], q.at[q_end - 1]),
        source_tokens: (sat[s_end - len], sat[s_end - 1]),
    })
}

/// A key probed for fragments: the rarest key of some `min_words`-word windows of the query.
struct ProbeKey {
    key: u32,
    /// The windows it is the rarest key of: their first word and their key signature
    /// ([`sig_bit`]); a unit that holds one of those windows has every bit of its signature.
    windows: Vec<(usize, u128)>,
}

/// The rarest key of each `min_words`-word window of the query, without repeats, with the windows
/// it is the rarest of. A window with a word no unit has cannot occur in any unit, so it
/// contributes nothing.
fn probe_keys(q: &Query, min_words: usize) -> Vec<ProbeKey> {
    let mut probe: Vec<ProbeKey> = Vec::new();
    if min_words == 0 || q.keys.len() < min_words {
        return probe;
    }
    for w in 0..=q.keys.len() - min_words {
        let window = w..w + min_words;
        if q.df[window.clone()].contains(&0) {
            continue; // an unknown word: no unit holds this window
        }
        let sig = q.keys[window.clone()]
            .iter()
            .fold(0u128, |acc, &k| acc | (1u128 << sig_bit(k)));
        let Some(k) = window.min_by_key(|&i| q.df[i]).map(|i| q.keys[i]) else {
            continue;
        };
        match probe.iter_mut().find(|p| p.key == k) {
            Some(p) => p.windows.push((w, sig)),
            None => probe.push(ProbeKey {
                key: k,
                windows: vec![(w, sig)],
            }),
        }
    }
    probe
}

/// The second rarest key of each of `p`'s windows (`m` words each), without repeats; `None` if a
/// window holds no key but `p`'s.
fn second_keys(q: &Query, p: &ProbeKey, m: usize) -> Option<Vec<u32>> {
    let mut seconds = Vec::new();
    for &(w, _) in &p.windows {
        let k = (w..w + m).filter(|&i| q.keys[i] != p.key).min_by_key(|&i| q.df[i])?;
        if !seconds.contains(&q.keys[k]) {
            seconds.push(q.keys[k]);
        }
    }
    Some(seconds)
}

/// Appends to `out` the slots in both ascending lists `a` and `b`: each slot of the shorter list
/// is looked for in the longer one by galloping from where the last one was found.
fn intersect(a: &[u32], b: &[u32], out: &mut Vec<u32>) {
    let (short, mut long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    for &x in short {
        let mut step = 1;
        while step < long.len() && long[step] < x {
            step *= 2;
        }
        let i = long[..(step + 1).min(long.len())].partition_point(|&y| y < x);
        long = &long[i..];
        match long.first() {
            None => break,
            Some(&y) if y == x => {
                out.push(x);
                long = &long[1..];
            }
            Some(_) => {}
        }
    }
}

/// Whether the word keys `s` hold one of `p`'s windows of the query (`m` words each) where `p`'s
/// key is: a unit whose longest run with the query is at least `m` words holds some window, and
/// is found through that window's rarest key.
fn holds_window(q: &Query, s: &[u32], p: &ProbeKey, m: usize) -> bool {
    s.iter().enumerate().filter(|&(_, &k)| k == p.key).any(|(j, _)| {
        p.windows.iter().any(|&(w, _)| {
            let window = &q.keys[w..w + m];
            window
                .iter()
                .enumerate()
                .filter(|&(_, &k)| k == p.key)
                .any(|(o, _)| j >= o && s.get(j - o..j - o + m) == Some(window))
        })
    })
}

impl FuzzyIndex {
    /// Units sharing a run of at least `min_words` words with `query`, longest run first, then
    /// unit id; at most `top` (0: all). Same result as [`fragments_exhaustive`].
    ///
    /// # Errors
    /// SQLite errors, or damaged index entries.
    pub fn fragments(
        &self,
        conn: &Connection,
        query: &str,
        min_words: usize,
        top: usize,
    ) -> rusqlite::Result<Vec<Fragment>> {
        let min_words = min_words.max(1);
        if !self.current(conn)? {
            return Ok(Vec::new());
        }
        let (q, tag_key) = prepare(query, |k| self.lookup_key(conn, k))?;
        let probe = probe_keys(&q, min_words);
        let mut best = Vec::new();
        let mut row = (Vec::new(), Vec::new());
        if let Some(c) = &self.cache {
            // Slots verified already (one bit each).
            let mut seen = vec![0u64; c.ids.len().div_ceil(64)];
            let mut skeys = Vec::new();
            let mut both = Vec::new();
            for p in &probe {
                let list = c.postings(p.key);
                // A unit that holds a window holds its second rarest key too: when every window
                // has one, the candidates are the slots in both lists (read in order, where the
                // signature of every slot of a long list would be a cache miss).
                let slots = match second_keys(&q, p, min_words) {
                    Some(seconds) => {
                        both.clear();
                        for s in seconds {
                            intersect(list, c.postings(s), &mut both);
                        }
                        both.sort_unstable();
                        both.dedup();
                        &both[..]
                    }
                    None => list,
                };
                for &slot in slots {
                    let (word, bit) = ((slot >> 6) as usize, 1u64 << (slot & 63));
                    let slot = slot as usize;
                    // The signature test drops most candidates without reading their tokens,
                    // the window test most others before the longest run is computed. A slot is
                    // marked only once verified, since another probe key may find its window.
                    let sig = c.sigs[slot];
                    if seen[word] & bit != 0 || !p.windows.iter().any(|&(_, w)| w & !sig == 0) {
                        continue;
                    }
                    let syms = c.unit_syms(slot);
                    skeys.clear();
                    skeys.extend(
                        syms.iter()
                            .filter(|s| u32::from(s.weight) == WORD && Some(s.key) != tag_key)
                            .map(|s| s.key),
                    );
                    if !holds_window(&q, &skeys, p, min_words) {
                        continue;
                    }
                    seen[word] |= bit;
                    if let Some(f) = verify(&q, c.ids[slot], syms, tag_key, min_words, &mut row) {
                        keep(&mut best, f, top);
                    }
                }
            }
            return Ok(best);
        }
        let mut ids = Vec::new();
        {
            let mut stmt = conn.prepare_cached("SELECT units FROM fuzzy_posting WHERE key_id = ?1")?;
            for p in probe {
                let mut rows = stmt.query([p.key])?;
                while let Some(r) = rows.next()? {
                    decode_ids(r.get_ref(0)?.as_blob()?, &mut ids)?;
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let mut stmt = conn.prepare_cached("SELECT syms FROM fuzzy_unit WHERE unit_id = ?1")?;
        let mut syms = Vec::new();
        for id in ids {
            let mut rows = stmt.query([id])?;
            if let Some(r) = rows.next()? {
                syms.clear();
                decode_syms(r.get_ref(0)?.as_blob()?, &mut syms)?;
                if let Some(f) = verify(&q, id, &syms, tag_key, min_words, &mut row) {
                    keep(&mut best, f, top);
                }
            }
        }
        Ok(best)
    }
}

/// The reference [`FuzzyIndex::fragments`] is tested against: every indexed unit verified.
///
/// # Errors
/// SQLite errors, or damaged index entries.
pub fn fragments_exhaustive(
    conn: &Connection,
    query: &str,
    min_words: usize,
    top: usize,
) -> rusqlite::Result<Vec<Fragment>> {
    if !is_current(conn)? {
        return Ok(Vec::new());
    }
    let min_words = min_words.max(1);
    let ix = FuzzyIndex::new();
    let (q, tag_key) = prepare(query, |k| ix.lookup_key(conn, k))?;
    let mut best = Vec::new();
    let mut row = (Vec::new(), Vec::new());
    let mut syms = Vec::new();
    let mut stmt = conn.prepare("SELECT unit_id, syms FROM fuzzy_unit ORDER BY unit_id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        syms.clear();
        decode_syms(r.get_ref(1)?.as_blob()?, &mut syms)?;
        if let Some(f) = verify(&q, r.get(0)?, &syms, tag_key, min_words, &mut row) {
            keep(&mut best, f, top);
        }
    }
    Ok(best)
}

/// Where a unit's target translates a run of its source words: word-level links between the
/// unit's source and target, then the target stretch that holds the run's links, and none of the
/// links of the other words, with the length the run's share of the source predicts.
///
/// Invariants:
/// - **Evidence, not position alone.** A link is a number with the same digits on both sides, a
///   Latin word written the same on both sides, a name whose consonant skeleton is the same
///   (the aligner's features), or a word pair learned from the TM's own units
///   (a small co-occurrence model read through the fuzzy index: the targets of a sample of the
///   units whose source has the word, against the targets of a sample of all units). Relative
///   position only chooses among the links of a word and extends the span over unlinked words.
/// - **No guess.** No span unless at least two words of the run are linked, their links reach
///   across half the run, and no link contradicts the span (a word of the run translated
///   outside it, or another word translated inside it) — one contradiction is let pass among
///   at least four agreeing links.
/// - **Bounded cost.** Per [`TargetEvidence`] (one query): `BACKGROUND_SAMPLE` (60) targets for
///   the background, in runs of neighbouring units, and `COOC_SAMPLE` (10) targets for each of at
///   most `MAX_SAMPLED_WORDS` (6) source words of the runs (not those an anchor links, not
///   function words: in more than a twentieth of the units); a word's counts serve every
///   fragment of the query, and the two words either side of a run use only counts read already.
pub struct TargetEvidence {
    /// Targets of a sample of all units: their number and, per target word key, in how many.
    background: Option<(u32, HashMap<String, u32>)>,
    /// Per source key id: the sample size and, per target word key, in how many sampled targets.
    cooc: HashMap<u32, (u32, HashMap<String, u32>)>,
    /// About how many units the TM holds (the id range when the index is not loaded).
    units: i64,
}

/// Targets read per source word for its co-occurrence counts.
pub const COOC_SAMPLE: usize = 10;
/// Targets read for the background frequency of target words.
pub const BACKGROUND_SAMPLE: usize = 60;
/// Units per run of neighbours in the background sample.
const BACKGROUND_RUN: usize = 10;
/// Source words whose co-occurrence sample one query may read (the words of the runs, rarest
/// use first come; the words beside a run use only samples already read).
pub const MAX_SAMPLED_WORDS: usize = 6;
/// Source words beyond each end of the run whose links are looked for (they bound the span).
const CONTEXT_WORDS: usize = 2;

/// One side of a unit cut into words (numbers count as words; punctuation and tags do not).
struct SideWords {
    /// Token index of each word.
    at: Vec<usize>,
    /// Matching form of each word.
    norm: Vec<String>,
    /// Raw text of each word.
    raw: Vec<String>,
    /// Whether each word is a number.
    number: Vec<bool>,
}

fn side_words(s: &str, tokens: &[text::Token]) -> SideWords {
    let mut w = SideWords {
        at: Vec::new(),
        norm: Vec::new(),
        raw: Vec::new(),
        number: Vec::new(),
    };
    for (i, t) in tokens.iter().enumerate() {
        if matches!(t.kind, text::TokenKind::Word | text::TokenKind::Number) {
            w.at.push(i);
            w.norm.push(t.norm.clone());
            w.raw.push(t.raw(s).to_string());
            w.number.push(t.kind == text::TokenKind::Number);
        }
    }
    w
}

/// Digits of a number without separators or leading zeros (٢٠٢٢ = 2022, 1,000 = 1000).
fn digits(norm: &str) -> String {
    let d: String = norm.chars().filter(char::is_ascii_digit).collect();
    let t = d.trim_start_matches('0');
    if t.is_empty() {
        "0".into()
    } else {
        t.into()
    }
}

fn has_arabic(w: &str) -> bool {
    w.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// The key a target word (as written) is counted under: an Arabic word's clitic-free stem;
/// another word in lower case without a possessive `'s` or plural `s` (not after `ss`, only
/// beyond three letters), so that "talks" and "talk" meet, as the aligner's lexicon keys them.
fn target_key(word: &str) -> String {
    if has_arabic(word) {
        return crate::align::features::ar_stem(&text::normalize(word));
    }
    let l = word.to_lowercase().replace('’', "'");
    let mut l = l.strip_suffix("'s").unwrap_or(&l).to_string();
    if l.len() > 3 && l.ends_with('s') && !l.ends_with("ss") {
        l.pop();
    }
    l
}

/// The distinct keys of the words of a target, cut cheaply (runs of letters, digits and inner
/// apostrophes; numbers left out): thousands of sampled targets are read per query, so this skips
/// the full tokenizer. The words of a fragment's own target are keyed by [`target_key`] too.
fn target_keys(s: &str) -> Vec<String> {
    let mut keys: Vec<String> = s
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '’'))
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_numeric()))
        .map(target_key)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// `n` units of `ids` (which may repeat), `except` left out: those with the least hash of (id,
/// `key`), in id order. The pick depends only on the set of ids, not on their order, so the
/// loaded index (lists in its own slot order) and the file's index (lists by id) sample the same
/// units and find the same target spans; the hash spreads the pick over the list like a random
/// sample, the same for every query.
fn sample_ids(ids: impl Iterator<Item = i64>, n: usize, except: i64, key: u32) -> Vec<i64> {
    let mix = |id: i64| {
        let mut z = (id as u64) ^ (u64::from(key) << 32) ^ 0x9E37_79B9_7F4A_7C15;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    // the n least (hash, id), in a max-heap of n
    let mut heap: std::collections::BinaryHeap<(u64, i64)> = std::collections::BinaryHeap::with_capacity(n + 1);
    for id in ids.filter(|&i| i != except) {
        let h = (mix(id), id);
        if heap.len() < n {
            if !heap.iter().any(|&(_, x)| x == id) {
                heap.push(h);
            }
        } else if heap.peek().is_some_and(|&top| h < top) && !heap.iter().any(|&(_, x)| x == id) {
            heap.pop();
            heap.push(h);
        }
    }
    let mut out: Vec<i64> = heap.into_iter().map(|(_, id)| id).collect();
    out.sort_unstable();
    out
}

impl Default for TargetEvidence {
    fn default() -> Self {
        Self::new()
    }
}

impl TargetEvidence {
    /// No evidence read yet.
    pub fn new() -> TargetEvidence {
        TargetEvidence {
            background: None,
            cooc: HashMap::new(),
            units: 0,
        }
    }

    fn targets_of(conn: &Connection, ids: &[i64], counts: &mut HashMap<String, u32>) -> rusqlite::Result<u32> {
        let mut stmt = conn.prepare_cached("SELECT target FROM unit WHERE id = ?1")?;
        let mut n = 0;
        for &id in ids {
            let target: Option<String> = stmt.query_row([id], |r| r.get(0)).optional()?;
            if let Some(t) = target {
                n += 1;
                for k in target_keys(&t) {
                    *counts.entry(k).or_insert(0) += 1;
                }
            }
        }
        Ok(n)
    }

    /// Reads the background sample once.
    fn load_background(&mut self, ix: &FuzzyIndex, conn: &Connection) -> rusqlite::Result<()> {
        if self.background.is_some() {
            return Ok(());
        }
        // Two statements: SQLite answers a lone min() or max() from the b-tree's ends, but scans
        // the table for both at once.
        let lo: Option<i64> = conn.query_row("SELECT min(id) FROM unit", [], |r| r.get(0))?;
        let hi: Option<i64> = conn.query_row("SELECT max(id) FROM unit", [], |r| r.get(0))?;
        let mut counts = HashMap::new();
        let mut n = 0;
        if let (Some(lo), Some(hi)) = (lo, hi) {
            self.units = match &ix.cache {
                Some(c) => c.ids.len() as i64,
                None => hi.saturating_sub(lo).saturating_add(1),
            };
            // Runs of neighbouring units spread over the ids: a run is read from one or two
            // pages, where as many units picked one by one would cost a page each.
            let mut stmt = conn.prepare_cached("SELECT target FROM unit WHERE id >= ?1 ORDER BY id LIMIT ?2")?;
            let runs = (BACKGROUND_SAMPLE / BACKGROUND_RUN) as i128;
            for k in 0..runs {
                let at = i64::try_from(lo as i128 + (hi as i128 - lo as i128) * k / runs).unwrap_or(hi);
                let mut rows = stmt.query(params![at, BACKGROUND_RUN as i64])?;
                while let Some(r) = rows.next()? {
                    n += 1;
                    for k in target_keys(r.get_ref(0)?.as_str()?) {
                        *counts.entry(k).or_insert(0) += 1;
                    }
                }
            }
        }
        self.background = Some((n, counts));
        Ok(())
    }

    /// Reads the co-occurrence counts of the source key `key` once (a sample of the units
    /// holding it, `unit` itself left out).
    fn load_cooc(&mut self, ix: &FuzzyIndex, conn: &Connection, key: u32, unit: i64) -> rusqlite::Result<()> {
        if self.cooc.contains_key(&key) {
            return Ok(());
        }
        let sample = match &ix.cache {
            // A loaded list holds each unit once, in slot order: the pick reads it in place (one
            // hash per slot; no copy or sort of a common word's tens of thousands of slots).
            Some(c) => {
                let k = key as usize;
                let list = if k + 1 < c.post_starts.len() {
                    &c.post[c.post_starts[k] as usize..c.post_starts[k + 1] as usize]
                } else {
                    &[][..]
                };
                sample_ids(list.iter().map(|&s| c.ids[s as usize]), COOC_SAMPLE, unit, key)
            }
            None => {
                let mut ids = Vec::new();
                let mut stmt = conn.prepare_cached("SELECT units FROM fuzzy_posting WHERE key_id = ?1")?;
                let mut rows = stmt.query([key])?;
                while let Some(r) = rows.next()? {
                    decode_ids(r.get_ref(0)?.as_blob()?, &mut ids)?;
                }
                sample_ids(ids.into_iter(), COOC_SAMPLE, unit, key)
            }
        };
        let mut counts = HashMap::new();
        let n = Self::targets_of(conn, &sample, &mut counts)?;
        self.cooc.insert(key, (n, counts));
        Ok(())
    }
}

/// How strongly the co-occurrence sample ties target key `e` to the source word: 0 unless `e` is
/// in at least two sampled targets and a third of them, and at least three times as often as in
/// the background; else its rate over the background rate (plus 0.05, so that a word the
/// background happens to miss does not win on noise).
fn association(sample: &(u32, HashMap<String, u32>), background: &(u32, HashMap<String, u32>), e: &str) -> f64 {
    let (n, counts) = sample;
    let (n, c) = (*n, counts.get(e).copied().unwrap_or(0));
    if n == 0 || c < 2 || 3 * c < n {
        return 0.0;
    }
    let (bn, bcounts) = (background.0, &background.1);
    let p = f64::from(c) / f64::from(n);
    let bg = (f64::from(bcounts.get(e).copied().unwrap_or(0)) + 0.5) / (f64::from(bn) + 1.0);
    if p < 3.0 * bg {
        return 0.0;
    }
    p / (bg + 0.05)
}

/// Where target word `i` of `n` is expected among `m`, by linear interpolation between the
/// anchors (source, target word pairs of numbers, Latin words and names) and the two ends.
fn expected(i: usize, n: usize, m: usize, anchors: &[(usize, usize)]) -> f64 {
    let mut pts: Vec<(f64, f64)> = vec![(0.0, 0.0), (n as f64, m as f64)];
    pts.extend(anchors.iter().map(|&(i, j)| (i as f64 + 0.5, j as f64 + 0.5)));
    pts.sort_by(|p, q| p.0.total_cmp(&q.0));
    let x = i as f64 + 0.5;
    let k = pts.iter().rposition(|p| p.0 <= x).unwrap_or(0).min(pts.len() - 2);
    let ((x0, y0), (x1, y1)) = (pts[k], pts[k + 1]);
    if x1 - x0 < 1e-9 {
        return y0;
    }
    y0 + (y1 - y0) * (x - x0) / (x1 - x0)
}

/// Of the target words `to`, the one nearest `expect`.
fn nearest(to: &[usize], expect: f64) -> Option<usize> {
    to.iter().copied().min_by(|&x, &y| {
        (x as f64 + 0.5 - expect)
            .abs()
            .total_cmp(&(y as f64 + 0.5 - expect).abs())
            .then(x.cmp(&y))
    })
}

impl FuzzyIndex {
    /// The target tokens (first and last, indexes into [`text::tokenize`] of `target`) that
    /// translate source tokens `source_tokens.0..=source_tokens.1` of a unit, or `None` when the
    /// word links are too few or contradict each other (see [`TargetEvidence`]).
    ///
    /// # Errors
    /// SQLite errors, or damaged index entries.
    pub fn target_tokens(
        &self,
        conn: &Connection,
        evidence: &mut TargetEvidence,
        unit_id: i64,
        source: &str,
        target: &str,
        source_tokens: (usize, usize),
    ) -> rusqlite::Result<Option<(usize, usize)>> {
        let (st, tt) = (text::tokenize(source), text::tokenize(target));
        let (sw, tw) = (side_words(source, &st), side_words(target, &tt));
        let (n, m) = (sw.at.len(), tw.at.len());
        // The run in source word positions.
        let Some(a) = sw.at.iter().position(|&t| t >= source_tokens.0) else {
            return Ok(None);
        };
        let Some(b) = sw.at.iter().rposition(|&t| t <= source_tokens.1) else {
            return Ok(None);
        };
        if m == 0 || b < a {
            return Ok(None);
        }
        let tkeys: Vec<String> = tw.raw.iter().map(|w| target_key(w)).collect();
        let tskel: Vec<String> = tw
            .raw
            .iter()
            .map(|w| {
                if crate::align::features::is_capitalized(w) {
                    crate::align::features::en_skeleton(w)
                } else {
                    String::new()
                }
            })
            .collect();
        evidence.load_background(self, conn)?;
        // Each source word near the run: the target words it links to.
        let near = a.saturating_sub(CONTEXT_WORDS)..(b + 1 + CONTEXT_WORDS).min(n);
        // First the anchors (numbers, Latin words, names), each to the target word nearest the
        // diagonal; then the learned word pairs, each to the best associated target word nearest
        // the line through the anchors.
        let mut anchors: Vec<(usize, usize)> = Vec::new();
        let mut learned: Vec<(usize, Vec<usize>)> = Vec::new();
        // The target numbers written with the digits `d`, and where source word `i` falls on
        // the diagonal of the target.
        let numbers_of =
            |d: &str| -> Vec<usize> { (0..m).filter(|&j| tw.number[j] && digits(&tw.norm[j]) == d).collect() };
        let diagonal = |i: usize| (i as f64 + 0.5) * m as f64 / n.max(1) as f64;
        for i in near.clone() {
            let norm = &sw.norm[i];
            let mut to: Vec<usize> = Vec::new();
            if sw.number[i] {
                to = numbers_of(&digits(norm));
            } else if !has_arabic(norm) {
                to.extend((0..m).filter(|&j| !tw.number[j] && tw.norm[j] == *norm));
            } else {
                let stem = crate::align::features::ar_stem(norm);
                let skel = crate::align::features::ar_skeleton(&stem);
                if skel.chars().count() >= 3 {
                    to.extend((0..m).filter(|&j| tskel[j] == skel));
                }
            }
            if let Some(j) = nearest(&to, diagonal(i)) {
                anchors.push((i, j));
                continue;
            }
            if !has_arabic(norm) {
                continue;
            }
            let (key, _, _) = crate::fuzzy::token_key(&st[sw.at[i]]);
            let Some((id, df)) = self.lookup_key(conn, &key)? else {
                continue;
            };
            // A word in one or two units teaches nothing; one in more than a twentieth of them
            // is a function word, whose translation is everywhere (and its sample costs reads).
            if df < 3 || df.saturating_mul(20) > evidence.units.max(60) {
                continue;
            }
            if !evidence.cooc.contains_key(&id) {
                if !(a..=b).contains(&i) || evidence.cooc.len() >= MAX_SAMPLED_WORDS {
                    continue;
                }
                evidence.load_cooc(self, conn, id, unit_id)?;
            }
            if let (Some(sample), Some(bg)) = (evidence.cooc.get(&id), &evidence.background) {
                let strength: Vec<f64> = tkeys.iter().map(|e| association(sample, bg, e)).collect();
                let top = strength.iter().copied().fold(0.0, f64::max);
                if top > 0.0 {
                    learned.push((i, (0..m).filter(|&j| !tw.number[j] && strength[j] == top).collect()));
                }
            }
        }
        // A number of the source beyond the context, not in the run, still pins its
        // translation outside the span (numbers are the surest links there are).
        let run_digits: Vec<String> = (a..=b).filter(|&i| sw.number[i]).map(|i| digits(&sw.norm[i])).collect();
        for i in (0..n).filter(|i| !near.contains(i) && sw.number[*i]) {
            let d = digits(&sw.norm[i]);
            if run_digits.contains(&d) {
                continue;
            }
            if let Some(j) = nearest(&numbers_of(&d), diagonal(i)) {
                anchors.push((i, j));
            }
        }
        let mut links = anchors.clone();
        for (i, to) in learned {
            if let Some(j) = nearest(&to, expected(i, n, m, &anchors)) {
                links.push((i, j));
            }
        }
        links.sort_unstable();
        Ok(span_from_links(&links, (a, b), n, m).map(|(lo, hi)| (tw.at[lo], tw.at[hi])))
    }
}

/// The target word range for source words `a..=b` of `n`, given word links `(source, target)`
/// into `m` target words; `None` when the evidence is too weak (see [`TargetEvidence`]).
fn span_from_links(links: &[(usize, usize)], (a, b): (usize, usize), n: usize, m: usize) -> Option<(usize, usize)> {
    let inside = |i: usize| (a..=b).contains(&i);
    let ins: Vec<usize> = links.iter().filter(|l| inside(l.0)).map(|l| l.1).collect();
    let linked: Vec<usize> = links.iter().filter(|l| inside(l.0)).map(|l| l.0).collect();
    if linked.len() < 2 {
        return None;
    }
    let reach = linked.iter().max()? - linked.iter().min()? + 1;
    if 2 * reach < b - a + 1 {
        return None;
    }
    let outs: Vec<usize> = links.iter().filter(|l| !inside(l.0)).map(|l| l.1).collect();
    // Prefix counts over target positions.
    let mut in_at = vec![0i64; m + 1];
    let mut out_at = vec![0i64; m + 1];
    for &j in &ins {
        in_at[j + 1] += 1;
    }
    for &j in &outs {
        out_at[j + 1] += 1;
    }
    for j in 0..m {
        in_at[j + 1] += in_at[j];
        out_at[j + 1] += out_at[j];
    }
    let expect_len = (b - a + 1) as f64 * m as f64 / n as f64;
    let expect_mid = (a + b + 1) as f64 / 2.0 * m as f64 / n as f64;
    let total_in = ins.len() as i64;
    let mut best: Option<(f64, usize, usize, i64)> = None;
    for lo in 0..m {
        for hi in lo..m {
            let i_in = in_at[hi + 1] - in_at[lo];
            let o_in = out_at[hi + 1] - out_at[lo];
            let conflicts = o_in + (total_in - i_in);
            let len = (hi - lo + 1) as f64;
            let mid = (lo + hi + 1) as f64 / 2.0;
            let score =
                3.0 * (i_in - conflicts) as f64 - 0.75 * (len - expect_len).abs() - 0.25 * (mid - expect_mid).abs();
            if best.is_none_or(|(s, ..)| score > s) {
                best = Some((score, lo, hi, conflicts));
            }
        }
    }
    // A lone contradiction is forgiven only among at least four agreeing links.
    let (_, lo, hi, conflicts) = best?;
    let agreeing = in_at[hi + 1] - in_at[lo];
    (conflicts == 0 || (conflicts == 1 && agreeing >= 4)).then_some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzzy::tests::AR;
    use proptest::prelude::*;

    use super::super::tests::memory_tm as tm;

    /// The id `memory_tm` gives the unit of line `k`.
    fn id(k: usize) -> i64 {
        (k as i64 + 1) * 3
    }

    fn check(conn: &Connection, loaded: &FuzzyIndex, query: &str, min_words: usize, top: usize) -> Vec<Fragment> {
        let want = fragments_exhaustive(conn, query, min_words, top).expect("exhaustive");
        assert_eq!(
            FuzzyIndex::new().fragments(conn, query, min_words, top).expect("cold"),
            want,
            "cold: {query}"
        );
        assert_eq!(
            loaded.fragments(conn, query, min_words, top).expect("loaded"),
            want,
            "loaded: {query}"
        );
        want
    }

    #[test]
    fn a_query_that_opens_a_unit_finds_it_with_both_spans() {
        let lines: Vec<String> = AR.lines().map(str::to_string).collect();
        let conn = tm(&lines);
        let loaded = FuzzyIndex::load(&conn).expect("load");
        // The first six words of one sentence, then words of another: no whole unit is close.
        let (a, b) = (&lines[10], &lines[40]);
        let head: Vec<&str> = a.split(' ').take(6).collect();
        let tail: Vec<&str> = b.split(' ').skip(3).take(7).collect();
        let query = format!("و{} ، {}", head.join(" "), tail.join(" "));
        let found = check(&conn, &loaded, &query, 4, 5);
        let ids: Vec<i64> = found.iter().map(|f| f.unit_id).collect();
        assert!(ids.contains(&id(10)) && ids.contains(&id(40)), "{ids:?}");
        let first = found.iter().find(|f| f.unit_id == id(10)).expect("unit of line 10");
        assert_eq!(first.words, 6, "the clitic و on the first word does not cut the run");
        let qt = text::tokenize(&query);
        assert_eq!((qt[first.query_tokens.0].start, first.source_tokens.0), (0, 0));
        assert!(found.windows(2).all(|w| w[0].words >= w[1].words));
        // Nothing shorter than the minimum, and top is respected.
        assert!(check(&conn, &loaded, &query, 8, 5).iter().all(|f| f.words >= 8));
        assert!(check(&conn, &loaded, &query, 4, 1).len() <= 1);
    }

    #[test]
    fn longest_run_is_the_longest_and_earliest() {
        let mut row = (Vec::new(), Vec::new());
        assert_eq!(longest_run(&[1, 2, 3, 4], &[9, 2, 3, 4, 1], &mut row), (3, 4, 4));
        assert_eq!(longest_run(&[1, 2, 1, 2], &[1, 2], &mut row), (2, 2, 2));
        assert_eq!(longest_run(&[5, 6], &[7, 8], &mut row), (0, 0, 0));
        assert_eq!(longest_run(&[], &[7, 8], &mut row), (0, 0, 0));
    }

    #[test]
    fn a_target_span_needs_two_agreeing_links_across_half_the_run() {
        // Source words 2..=5 of 10, target of 10 words, links on the diagonal.
        let diag = [(0, 0), (2, 2), (4, 4), (5, 5), (8, 8)];
        let (lo, hi) = span_from_links(&diag, (2, 5), 10, 10).expect("a span");
        assert!(lo <= 2 && hi >= 5 && lo >= 1 && hi <= 7, "{lo}..={hi}");
        // One linked word: no span.
        assert_eq!(span_from_links(&[(0, 0), (3, 3), (8, 8)], (2, 5), 10, 10), None);
        // Two links bunched at one end of the run: they do not say where its other end goes.
        assert_eq!(span_from_links(&[(2, 2), (3, 3)], (2, 9), 12, 12), None);
        // A word outside the run translated between the run's links: the run is not contiguous
        // in the target, so no span.
        assert_eq!(span_from_links(&[(2, 2), (9, 3), (5, 5)], (2, 5), 10, 10), None);
    }

    proptest! {
        #[test]
        fn intersect_keeps_exactly_the_slots_of_both_lists(
            a in prop::collection::btree_set(0u32..400, 0..60),
            b in prop::collection::btree_set(0u32..400, 0..300),
        ) {
            let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
            let want: Vec<u32> = a.iter().copied().filter(|x| b.contains(x)).collect();
            for (x, y) in [(&a, &b), (&b, &a)] {
                let mut out = vec![7];
                intersect(x, y, &mut out);
                prop_assert_eq!(&out[..1], &[7], "appends");
                prop_assert_eq!(&out[1..], &want[..]);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn fragments_are_lossless_on_random_tms(
            picks in prop::collection::vec((0usize..200, 0usize..12, 3usize..14), 1..40),
            q in (0usize..200, 0usize..10, 0usize..200, 0usize..10),
            min_words in 1usize..7,
            top in 0usize..4,
        ) {
            let lines: Vec<&str> = AR.lines().collect();
            let cut = |line: usize, from: usize, n: usize| -> String {
                let words: Vec<&str> = lines[line % lines.len()].split(' ').collect();
                words.iter().skip(from).take(n).copied().collect::<Vec<_>>().join(" ")
            };
            let sources: Vec<String> = picks.iter().map(|&(l, f, n)| cut(l, f, n)).filter(|s| !s.is_empty()).collect();
            prop_assume!(!sources.is_empty());
            let conn = tm(&sources);
            // Stale postings: a unit removed from `fuzzy_unit` is still in some lists.
            conn.execute("DELETE FROM fuzzy_unit WHERE unit_id = 3", []).expect("delete");
            let loaded = FuzzyIndex::load(&conn).expect("load");
            let query = format!("{} ، {}", cut(q.0, q.1, 6), cut(q.2, q.3, 6));
            check(&conn, &loaded, &query, min_words, top);
        }
    }
}
