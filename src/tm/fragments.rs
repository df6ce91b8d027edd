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

/// The rarest key of each `min_words`-word window of the query, without repeats, with the key
/// signatures ([`sig_bit`]) of the windows it is the rarest of: a unit that holds one of those
/// windows has every bit of its signature. A window with a word no unit has cannot occur in any
/// unit, so it contributes nothing.
fn probe_keys(q: &Query, min_words: usize) -> Vec<(u32, Vec<u128>)> {
    let mut probe: Vec<(u32, Vec<u128>)> = Vec::new();
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
        match probe.iter_mut().find(|(key, _)| *key == k) {
            Some((_, sigs)) => sigs.push(sig),
            None => probe.push((k, vec![sig])),
        }
    }
    probe
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
            let mut seen = vec![false; c.ids.len()];
            for (k, sigs) in probe {
                let k = k as usize;
                if k + 1 >= c.post_starts.len() {
                    continue;
                }
                for &slot in &c.post[c.post_starts[k] as usize..c.post_starts[k + 1] as usize] {
                    let slot = slot as usize;
                    // The signature test drops most candidates without reading their tokens; a
                    // slot is marked only once verified, since another window may still hold it.
                    let sig = c.sigs[slot];
                    if seen[slot] || !sigs.iter().any(|&w| w & !sig == 0) {
                        continue;
                    }
                    seen[slot] = true;
                    let syms = &c.syms[c.starts[slot] as usize..c.starts[slot + 1] as usize];
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
            for (k, _) in probe {
                let mut rows = stmt.query([k])?;
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
