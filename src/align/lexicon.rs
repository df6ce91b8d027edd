//! A translation lexicon learned from sentence pairs (the TM's own units) by co-occurrence.
//!
//! Invariants: words are cut and normalized by [`crate::text`] (the same tokens and matching form
//! as the fuzzy matcher's); lookup keys are then, on the Arabic side, the clitic-free stem of
//! [`crate::text::stem_key`] (see [`ar_stem`]), on the English side the word without a
//! possessive or plural `s` ([`en_key`]); learning and lookup use the same keys; an empty lexicon
//! is valid and simply contributes nothing to the alignment score.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use super::features::{ar_stem, Word};
use crate::text;

/// At most this many pairs are read by [`Lexicon::learn`]; later pairs are ignored.
pub const MAX_LEARN_PAIRS: usize = 200_000;
/// At most this many distinct tokens per side of one pair are used.
const MAX_TOKENS_PER_SIDE: usize = 32;
/// Minimum co-occurrence count for a translation entry.
const MIN_COOC: u32 = 2;
/// Minimum Dice coefficient for a translation entry.
const MIN_DICE: f64 = 0.3;
/// Minimum IBM model 1 probability `t(e | a)` for a translation entry.
const MIN_T: f32 = 0.1;
/// EM iterations of IBM model 1.
const IBM1_ITERATIONS: usize = 5;
/// Translations kept per Arabic word.
const TOP_K: usize = 3;
/// When the co-occurrence table grows beyond this many entries, rare entries are pruned
/// (lossy counting), which bounds memory whatever the TM size.
const MAX_COOC_ENTRIES: usize = 4_000_000;

/// A fast hasher for the packed `u64` co-occurrence keys (a multiply–xorshift mix; the keys
/// are our own ids, not attacker-chosen strings, so SipHash's protection is not needed).
#[derive(Default)]
struct MixHasher(u64);

impl std::hash::Hasher for MixHasher {
    fn finish(&self) -> u64 {
        let mut z = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ b as u64 ^ (self.0 >> 56);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

type CoocMap = HashMap<u64, u32, std::hash::BuildHasherDefault<MixHasher>>;

/// A bilingual lexicon: for each Arabic word (keyed by its clitic-free stem, so that والمدرسة
/// and المدرسة are one entry), up to three English words it is translated by, learned from
/// aligned sentence pairs.
///
/// `Lexicon::default()` is the empty lexicon.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    ar_ids: HashMap<String, u32>,
    en_ids: HashMap<String, u32>,
    /// Indexed by Arabic id: the English ids it translates to (sorted).
    trans: Vec<Vec<u32>>,
    /// Indexed by English id: true when the word is the translation of some Arabic word.
    target: Vec<bool>,
    entries: usize,
}

/// English lookup key of a word given in matching form ([`text::normalize`], so lower case
/// and `’` folded to `'`): a possessive `'s` and a plural `s` removed (not after `ss`, and only
/// from words of more than three letters).
///
/// This crude plural rule serves the lexicon only (the fuzzy matcher compares English words
/// whole), so it lives here rather than in [`crate::text`].
pub(crate) fn en_key(norm: &str) -> String {
    let mut l = norm.strip_suffix("'s").unwrap_or(norm).to_string();
    if l.len() > 3 && l.ends_with('s') && !l.ends_with("ss") {
        l.pop();
    }
    l
}

impl Lexicon {
    /// Learns a lexicon from `(arabic, english)` sentence pairs: words are read by
    /// [`crate::text::words`] and keyed (Arabic: clitic-free stem; English: without a plural
    /// `s`), their co-occurrence in pairs is counted, and each Arabic word keeps the (at most
    /// three) English words with a Dice coefficient ≥ 0.3 over at least two co-occurrences.
    /// Words that occur in only one pair are ignored, as are words present in more than a
    /// quarter of the pairs (function words). Reads at most [`MAX_LEARN_PAIRS`] pairs and the
    /// first 32 distinct words of each side; memory stays bounded (≈ 4 million co-occurrence
    /// entries) by pruning the rarest co-occurrences (lossy counting) on very large inputs. A few
    /// seconds of CPU for 100 000 news sentence pairs (`cargo bench --bench align` prints it).
    ///
    /// ```
    /// use mizan::align::Lexicon;
    /// let pairs = [("ذهب الرئيس إلى المدرسة", "the president went to school"),
    ///              ("قال الرئيس", "the president said"),
    ///              ("المدرسة كبيرة", "the school is big")];
    /// let lex = Lexicon::learn(pairs.iter().map(|(a, e)| (*a, *e)));
    /// assert!(lex.translates("الرئيس", "President"));
    /// assert!(lex.translates("والمدرسة", "school"));
    /// ```
    pub fn learn<'a, I: IntoIterator<Item = (&'a str, &'a str)>>(pairs: I) -> Lexicon {
        Lexicon::learn_with(pairs, Association::Dice)
    }

    /// Learns a lexicon like [`Lexicon::learn`] (same words, keys, filters and bounds), but
    /// chooses each Arabic word's translations by IBM model 1 instead of the Dice coefficient:
    /// five rounds of EM estimate `t(e | a)`, the probability that the Arabic
    /// word `a` (or an empty word, which absorbs untranslated English words) produces the English
    /// word `e`, over the word pairs that co-occur at least twice; each Arabic word keeps the (at
    /// most three) English words with `t(e | a) ≥ 0.1`. Unlike Dice, a frequent English word
    /// that co-occurs with everything is explained away by the word that really translates it.
    /// About six times the CPU of [`Lexicon::learn`] (65 s against 11.5 s for the bench's
    /// 100 000 pairs), and cross-validated on the alignment dev set with ≈ 600 training pairs it
    /// did not align better (see the module documentation of [`crate::align`]), so `learn`
    /// stays Dice.
    ///
    /// ```
    /// use mizan::align::Lexicon;
    /// let pairs = [("ذهب الرئيس إلى المدرسة", "the president went to school"),
    ///              ("قال الرئيس", "the president said"),
    ///              ("المدرسة كبيرة", "the school is big")];
    /// let lex = Lexicon::learn_ibm1(pairs.iter().map(|(a, e)| (*a, *e)));
    /// assert!(lex.translates("الرئيس", "President"));
    /// ```
    pub fn learn_ibm1<'a, I: IntoIterator<Item = (&'a str, &'a str)>>(pairs: I) -> Lexicon {
        Lexicon::learn_with(pairs, Association::Ibm1)
    }

    fn learn_with<'a, I: IntoIterator<Item = (&'a str, &'a str)>>(pairs: I, how: Association) -> Lexicon {
        let mut ar_ids: HashMap<String, u32> = HashMap::new();
        let mut en_ids: HashMap<String, u32> = HashMap::new();
        let mut docs: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
        for (ar, en) in pairs.into_iter().take(MAX_LEARN_PAIRS) {
            let a = intern(&mut ar_ids, text::words(ar).iter().map(|w| ar_stem(w)));
            let e = intern(&mut en_ids, text::words(en).iter().map(|w| en_key(w)));
            docs.push((a, e));
        }
        let n = docs.len();
        let mut df_a = vec![0u32; ar_ids.len()];
        let mut df_e = vec![0u32; en_ids.len()];
        for (a, e) in &docs {
            a.iter().for_each(|&x| df_a[x as usize] += 1);
            e.iter().for_each(|&x| df_e[x as usize] += 1);
        }
        // function words (in more than a quarter of the pairs) carry no alignment evidence
        let max_df = if n >= 40 { (n / 4) as u32 } else { u32::MAX };
        let keep = |df: u32| (2..=max_df).contains(&df);
        // the pairs' kept words, once: co-occurrence counting and EM read them again
        for (a, e) in docs.iter_mut() {
            a.retain(|&x| keep(df_a[x as usize]));
            e.retain(|&y| keep(df_e[y as usize]));
        }
        let mut cooc = CoocMap::default();
        let mut floor = 0u32;
        for (xs, ys) in &docs {
            for &x in xs {
                for &y in ys {
                    *cooc.entry(pack(x, y)).or_insert(0) += 1;
                }
            }
            if cooc.len() > MAX_COOC_ENTRIES {
                // lossy counting: drop the rarest pairs until the table is half full
                while cooc.len() > MAX_COOC_ENTRIES / 2 {
                    floor += 1;
                    cooc.retain(|_, c| *c > floor);
                }
            }
        }
        cooc.retain(|_, c| *c >= MIN_COOC);
        let mut cands: Vec<Vec<(f64, u32)>> = vec![Vec::new(); ar_ids.len()];
        match how {
            Association::Dice => {
                for (&k, &c) in &cooc {
                    let (x, y) = unpack(k);
                    let dice = 2.0 * c as f64 / (df_a[x as usize] + df_e[y as usize]) as f64;
                    if dice >= MIN_DICE {
                        cands[x as usize].push((dice, y));
                    }
                }
            }
            Association::Ibm1 => {
                for (k, t) in ibm1(&docs, &cooc, en_ids.len()) {
                    let (x, y) = unpack(k);
                    if t >= MIN_T {
                        cands[x as usize].push((t as f64, y));
                    }
                }
            }
        }
        let mut entries = 0;
        let trans: Vec<Vec<u32>> = cands
            .into_iter()
            .map(|mut v| {
                v.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)));
                let mut t: Vec<u32> = v.into_iter().take(TOP_K).map(|(_, y)| y).collect();
                t.sort_unstable();
                entries += t.len();
                t
            })
            .collect();
        let mut target = vec![false; en_ids.len()];
        trans.iter().flatten().for_each(|&y| target[y as usize] = true);
        Lexicon {
            ar_ids,
            en_ids,
            trans,
            target,
            entries,
        }
    }

    /// Number of (Arabic word, English word) translation entries.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// True when the lexicon has no entry (it then contributes nothing to an alignment).
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// True when the lexicon lists `en` among the translations of `ar` (both are normalized first).
    pub fn translates(&self, ar: &str, en: &str) -> bool {
        let (ar, en) = (text::normalize(ar), text::normalize(en));
        let (Some(&a), Some(&e)) = (self.ar_ids.get(&ar_stem(&ar)), self.en_ids.get(&en_key(&en))) else {
            return false;
        };
        self.trans.get(a as usize).is_some_and(|t| t.binary_search(&e).is_ok())
    }

    /// The English ids that the words of an Arabic sentence translate to (sorted, deduplicated).
    pub(crate) fn candidates(&self, ar_words: &[Word<'_>]) -> Vec<u32> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<u32> = ar_words
            .iter()
            .filter_map(|w| self.ar_ids.get(&ar_stem(&w.norm)))
            .filter_map(|&a| self.trans.get(a as usize))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The ids of the words of an English sentence that are the translation of some Arabic word
    /// (sorted, deduplicated).
    pub(crate) fn en_words(&self, en_words: &[Word<'_>]) -> Vec<u32> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<u32> = en_words
            .iter()
            .filter_map(|w| self.en_ids.get(&en_key(&w.norm)).copied())
            .filter(|&y| self.target.get(y as usize).copied().unwrap_or(false))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The built-in Arabic→English lexicon in [`Lexicon::to_tsv`]'s form: what [`Lexicon::learn`]
/// gives on the 3,071 units of the TICO-19 translation memory (CC0; Anastasopoulos et al.,
/// 2020), read Arabic→English. The test `builtin_lexicon_is_learned_from_tico19` learns it again
/// from `tests/data/tmx/tico19.en-ar.tmx` and fails when this file is stale (after a change to
/// the tokens or keys); `MIZAN_BLESS=1 cargo test --lib builtin_lexicon` rewrites it.
const BUILTIN_TSV: &str = include_str!("builtin-lexicon.tsv");

/// The first line of [`Lexicon::to_tsv`]'s output.
const TSV_HEADER: &str = "# mizan lexicon 1: Arabic stem key<TAB>English keys (space-separated)";

/// A line of a lexicon file that [`Lexicon::from_tsv`] cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("lexicon line {line}: {reason}")]
pub struct LexiconError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

impl Lexicon {
    /// The built-in Arabic→English lexicon, learned from the TICO-19 translation memory (3,071
    /// public-domain sentence pairs on health and daily life, none from the alignment dev
    /// documents): what the aligner uses when the TM has no pairs of its own to learn from, and
    /// beside them when it has ([`Lexicon::union`]). Parsed once, on first use.
    ///
    /// ```
    /// use mizan::align::Lexicon;
    /// let lex = Lexicon::builtin();
    /// assert!(lex.len() > 1000);
    /// assert!(lex.translates("والحكومة", "government"));
    /// ```
    pub fn builtin() -> &'static Lexicon {
        static BUILTIN: OnceLock<Lexicon> = OnceLock::new();
        // The file is tested to parse; an unreadable one would only cost the lexicon.
        BUILTIN.get_or_init(|| Lexicon::from_tsv(BUILTIN_TSV).unwrap_or_default())
    }

    /// The lexicon as text: a header line, then one line per Arabic key (sorted) with its
    /// English keys (sorted, space-separated) after a tab. [`Lexicon::from_tsv`] reads it back.
    pub fn to_tsv(&self) -> String {
        let mut out = String::from(TSV_HEADER);
        out.push('\n');
        for (ar, en) in self.entry_map() {
            out.push_str(ar);
            out.push('\t');
            out.push_str(&en.into_iter().collect::<Vec<_>>().join(" "));
            out.push('\n');
        }
        out
    }

    /// Reads what [`Lexicon::to_tsv`] writes. Lines that are empty or start with `#` are
    /// skipped; the keys are taken as they are (already normalized).
    ///
    /// # Errors
    /// A [`LexiconError`] naming the first line without a tab, without an Arabic key or
    /// without an English key.
    pub fn from_tsv(text: &str) -> Result<Lexicon, LexiconError> {
        let mut entries: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (k, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |reason: &str| LexiconError {
                line: k + 1,
                reason: reason.to_string(),
            };
            let (ar, en) = line
                .split_once('\t')
                .ok_or_else(|| err("no tab between the Arabic key and the English keys"))?;
            let ar = ar.trim();
            if ar.is_empty() {
                return Err(err("no Arabic key"));
            }
            let en: BTreeSet<String> = en.split_whitespace().map(str::to_string).collect();
            if en.is_empty() {
                return Err(err("no English key"));
            }
            entries.entry(ar.to_string()).or_default().extend(en);
        }
        Ok(Lexicon::from_entries(entries))
    }

    /// Every entry of `self` and of `other` (an Arabic word keeps the translations it has in
    /// either).
    ///
    /// ```
    /// use mizan::align::Lexicon;
    /// let tm = Lexicon::learn([("قال الرئيس", "the president said"), ("الرئيس", "president")]);
    /// let both = tm.union(Lexicon::builtin());
    /// assert!(both.translates("الرئيس", "president") && both.translates("الحكومة", "government"));
    /// assert_eq!(both.len(), Lexicon::builtin().union(&tm).len());
    /// ```
    pub fn union(&self, other: &Lexicon) -> Lexicon {
        let mut entries: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for lex in [self, other] {
            for (ar, en) in lex.entry_map() {
                entries
                    .entry(ar.to_string())
                    .or_default()
                    .extend(en.into_iter().map(str::to_string));
            }
        }
        Lexicon::from_entries(entries)
    }

    /// The entries by Arabic key, each with its English keys, sorted.
    fn entry_map(&self) -> BTreeMap<&str, BTreeSet<&str>> {
        let en_names: HashMap<u32, &str> = self.en_ids.iter().map(|(k, &v)| (v, k.as_str())).collect();
        let mut out = BTreeMap::new();
        for (ar, &a) in &self.ar_ids {
            let Some(t) = self.trans.get(a as usize).filter(|t| !t.is_empty()) else {
                continue;
            };
            let en: BTreeSet<&str> = t.iter().filter_map(|y| en_names.get(y).copied()).collect();
            out.insert(ar.as_str(), en);
        }
        out
    }

    /// A lexicon of the given entries (keys taken as they are).
    fn from_entries(entries: BTreeMap<String, BTreeSet<String>>) -> Lexicon {
        let mut lex = Lexicon::default();
        for (ar, en) in entries {
            let a = lex.ar_ids.len() as u32;
            lex.ar_ids.insert(ar, a);
            let mut t: Vec<u32> = en
                .into_iter()
                .map(|e| {
                    let next = lex.en_ids.len() as u32;
                    *lex.en_ids.entry(e).or_insert(next)
                })
                .collect();
            t.sort_unstable();
            t.dedup();
            lex.entries += t.len();
            lex.trans.push(t);
        }
        lex.target = vec![false; lex.en_ids.len()];
        for &y in lex.trans.iter().flatten() {
            lex.target[y as usize] = true;
        }
        lex
    }
}

/// How [`Lexicon::learn_with`] chooses an Arabic word's translations among the English words
/// it co-occurs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Association {
    /// The Dice coefficient of the two words' pair counts.
    Dice,
    /// IBM model 1's translation probability `t(e | a)`.
    Ibm1,
}

fn pack(x: u32, y: u32) -> u64 {
    ((x as u64) << 32) | y as u64
}

fn unpack(k: u64) -> (u32, u32) {
    ((k >> 32) as u32, (k & 0xffff_ffff) as u32)
}

/// IBM model 1 by EM over `docs` (the kept word ids of each pair, Arabic and English),
/// restricted to the Arabic–English word pairs of `cooc` (the others have `t = 0`); every
/// English word may also come from an empty Arabic word. Returns `t(e | a)` per packed pair.
///
/// Starts from `t` uniform over each Arabic word's co-occurring English words (the first
/// iteration then gives what co-occurrence counts give), and the empty word's `t` uniform over
/// all English words.
fn ibm1(docs: &[(Vec<u32>, Vec<u32>)], cooc: &CoocMap, n_en: usize) -> Vec<(u64, f32)> {
    // per entry: (t, expected count)
    let mut table: HashMap<u64, (f32, f32), std::hash::BuildHasherDefault<MixHasher>> =
        HashMap::with_capacity_and_hasher(cooc.len(), Default::default());
    let mut fan = HashMap::<u32, u32>::new();
    for &k in cooc.keys() {
        *fan.entry(unpack(k).0).or_insert(0) += 1;
    }
    for &k in cooc.keys() {
        table.insert(k, (1.0 / fan[&unpack(k).0] as f32, 0.0));
    }
    let mut t_null = vec![1.0 / n_en.max(1) as f32; n_en];
    let mut c_null = vec![0.0f32; n_en];
    let mut ts: Vec<f32> = Vec::new();
    for _ in 0..IBM1_ITERATIONS {
        for (xs, ys) in docs {
            for &y in ys {
                ts.clear();
                let mut denom = t_null[y as usize];
                for &x in xs {
                    let t = table.get(&pack(x, y)).map_or(0.0, |v| v.0);
                    ts.push(t);
                    denom += t;
                }
                if denom <= 0.0 {
                    continue;
                }
                c_null[y as usize] += t_null[y as usize] / denom;
                for (&x, &t) in xs.iter().zip(&ts) {
                    if t > 0.0 {
                        if let Some(v) = table.get_mut(&pack(x, y)) {
                            v.1 += t / denom;
                        }
                    }
                }
            }
        }
        // M step: t(e | a) = c(a, e) / Σ_e' c(a, e')
        let mut total: HashMap<u32, f32> = HashMap::new();
        for (&k, v) in &table {
            *total.entry(unpack(k).0).or_insert(0.0) += v.1;
        }
        for (&k, v) in table.iter_mut() {
            let z = total.get(&unpack(k).0).copied().unwrap_or(0.0);
            v.0 = if z > 0.0 { v.1 / z } else { 0.0 };
            v.1 = 0.0;
        }
        let z: f32 = c_null.iter().sum();
        for (t, c) in t_null.iter_mut().zip(c_null.iter_mut()) {
            *t = if z > 0.0 { *c / z } else { 0.0 };
            *c = 0.0;
        }
    }
    table.into_iter().map(|(k, v)| (k, v.0)).collect()
}

fn intern<I: Iterator<Item = String>>(ids: &mut HashMap<String, u32>, toks: I) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for t in toks {
        if t.is_empty() {
            continue;
        }
        let next = ids.len() as u32;
        let id = *ids.entry(t).or_insert(next);
        if !out.contains(&id) {
            out.push(id);
            if out.len() >= MAX_TOKENS_PER_SIDE {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lexicon_translates_nothing() {
        let l = Lexicon::default();
        assert!(l.is_empty());
        assert_eq!(l.len(), 0);
        assert!(!l.translates("كتاب", "book"));
        assert!(l.candidates(&super::super::features::tokens("كتاب").words).is_empty());
    }

    /// The Arabic→English pairs of the TICO-19 TMX in `tests/data/tmx`.
    fn tico19_pairs() -> Vec<(String, String)> {
        use crate::formats::{reader, Format, ReadOptions, Record};
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tmx/tico19.en-ar.tmx");
        let file = std::fs::File::open(path).expect("tests/data/tmx/tico19.en-ar.tmx");
        let opts = ReadOptions {
            file: path.to_string(),
            source_lang: crate::unit::LangTag::parse("ar").expect("ar"),
            target_lang: crate::unit::LangTag::parse("en").expect("en"),
        };
        reader(Format::Tmx, std::io::BufReader::new(file), opts)
            .expect("a TMX reader")
            .filter_map(|r| match r {
                Ok(Record::Unit { unit, .. }) => Some((unit.source, unit.target)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn builtin_lexicon_is_learned_from_tico19() {
        let pairs = tico19_pairs();
        assert_eq!(pairs.len(), 3071, "TICO-19 has 3,071 units");
        let learned = Lexicon::learn(pairs.iter().map(|(a, e)| (a.as_str(), e.as_str())));
        let tsv = learned.to_tsv();
        if std::env::var_os("MIZAN_BLESS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/align/builtin-lexicon.tsv");
            std::fs::write(path, &tsv).expect("write the built-in lexicon");
        }
        assert!(
            tsv == BUILTIN_TSV,
            "src/align/builtin-lexicon.tsv is stale: `MIZAN_BLESS=1 cargo test --lib builtin_lexicon` rewrites it"
        );
        let builtin = Lexicon::builtin();
        assert_eq!(builtin.len(), learned.len());
        assert!(builtin.len() > 1000, "{} entries", builtin.len());
        // words of the TMX's domain and of news alike
        for (ar, en) in [("الصحة", "health"), ("الحكومة", "government"), ("والمرضى", "patients")] {
            assert!(builtin.translates(ar, en), "{ar} → {en}");
            assert_eq!(builtin.translates(ar, en), learned.translates(ar, en));
        }
        assert!(!builtin.translates("الصحة", "government"));
    }

    #[test]
    fn a_lexicon_reads_back_what_it_writes_and_unions_keep_both() {
        let ar = include_str!("../../tests/data/align/ntrex.sample.ar.txt");
        let en = include_str!("../../tests/data/align/ntrex.sample.en.txt");
        let lex = Lexicon::learn(ar.lines().zip(en.lines()));
        let back = Lexicon::from_tsv(&lex.to_tsv()).expect("its own output");
        assert_eq!(back.len(), lex.len());
        assert_eq!(back.to_tsv(), lex.to_tsv());
        assert!(back.translates("الشرطة", "police"));
        let both = lex.union(Lexicon::builtin());
        assert!(both.translates("الشرطة", "police") && both.translates("الصحة", "health"));
        assert!(both.len() >= lex.len().max(Lexicon::builtin().len()));
        assert!(both.len() <= lex.len() + Lexicon::builtin().len());
        assert_eq!(lex.union(&Lexicon::default()).to_tsv(), lex.to_tsv());
    }

    #[test]
    fn a_bad_lexicon_line_is_named() {
        let ok = format!("{TSV_HEADER}\nكتاب\tbook\n\n# a comment\nقلم\tpen pencil\n");
        let lex = Lexicon::from_tsv(&ok).expect("valid");
        assert_eq!(lex.len(), 3);
        assert!(lex.translates("الكتاب", "books") && lex.translates("قلم", "pencil"));
        for (text, line) in [("كتاب\tbook\nقلم pen\n", 2), ("\tbook\n", 1), ("#\nكتاب\t \n", 2)] {
            let e = Lexicon::from_tsv(text).expect_err(text);
            assert_eq!(e.line, line, "{text:?}: {e}");
            assert!(e.to_string().starts_with(&format!("lexicon line {line}: ")), "{e}");
        }
    }

    #[test]
    fn learns_from_real_pairs() {
        let ar = include_str!("../../tests/data/align/ntrex.sample.ar.txt");
        let en = include_str!("../../tests/data/align/ntrex.sample.en.txt");
        let lex = Lexicon::learn(ar.lines().zip(en.lines()));
        assert!(lex.len() > 20, "only {} entries", lex.len());
        // a few words the news sample repeats often
        assert!(lex.translates("الشرطة", "police"), "police");
        assert!(!lex.translates("الشرطة", "president"));
    }
}
