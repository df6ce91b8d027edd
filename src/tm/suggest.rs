//! Looking up suggestions for new text: fuzzy search in the TM, ranked by status, origin and
//! alternatives ([`super::rank`]), the unit behind each match, and its target with the query's
//! numbers substituted. Used by `match`, `analyze`, `pretranslate` and `translate`.

use serde::Serialize;

use super::index;
use super::rank::{Penalties, TmRank};
use super::{LangTag, Tm, TmError, Unit};
use crate::fuzzy;
pub use crate::unit::Suggestion;

/// How to look up suggestions.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchOptions {
    /// Lowest ranked score to return (0–100).
    pub min: f64,
    /// Most suggestions to return (at least 1).
    pub top: usize,
    /// Score every unit instead of using the index (the same results; the reference the index is
    /// tested against).
    pub exhaustive: bool,
    /// Points taken off per unit before ranking.
    pub penalties: Penalties,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            min: 75.0,
            top: 5,
            exhaustive: false,
            penalties: Penalties::default(),
        }
    }
}

impl Tm {
    /// The matches for `query` whose ranked score is at least `opts.min`, best first, at most
    /// `opts.top`, among the units of the TM's language pair ([`Tm::set_language_pair`]).
    ///
    /// ```
    /// use mizan::tm::{suggest::MatchOptions, DuplicatePolicy, NewUnit, Origin, Tm};
    /// let mut tm = Tm::open_in_memory().unwrap();
    /// tm.add(&NewUnit::new("ar", "en", "زيارة نادرة", "A rare visit", Origin::Align).unwrap(), DuplicatePolicy::KeepBoth).unwrap();
    /// let found = tm.suggest("زيارة نادرة", &MatchOptions::default()).unwrap();
    /// // An aligned pair nobody reviewed: 100 less 5 (unreviewed) and 1 (align).
    /// assert_eq!((found[0].fuzzy_score, found[0].score), (100.0, 94.0));
    /// ```
    ///
    /// # Errors
    /// An SQLite error.
    pub fn suggest(&self, query: &str, opts: &MatchOptions) -> Result<Vec<Suggestion>, TmError> {
        self.suggest_in(query, opts, self.language_pair())
    }

    /// Like [`Tm::suggest`], only among units of one language pair (primary subtags compared:
    /// `ar` serves `ar-SA` and `ar-EG`).
    ///
    /// # Errors
    /// An SQLite error.
    pub fn suggest_in(
        &self,
        query: &str,
        opts: &MatchOptions,
        pair: Option<(&LangTag, &LangTag)>,
    ) -> Result<Vec<Suggestion>, TmError> {
        let pair = pair.map(|(s, t)| index::LangPair {
            source: s.as_str(),
            target: t.as_str(),
        });
        let top = opts.top.max(1);
        // One read transaction: the units found are read from the snapshot they were found in
        // (and SQLite takes its locks once per query, not once per statement).
        let _snapshot = index::ReadSnapshot::begin(self.connection())?;
        let mut rank = TmRank::new(self.connection(), &opts.penalties);
        // Prepared once, for the search and for the suggestions' number substitutions.
        let pq = fuzzy::PreparedQuery::new(query);
        let found = if opts.exhaustive {
            index::exhaustive_prepared(self.connection(), &pq, opts.min, top, pair, &mut rank)?
        } else {
            self.with_index(|index| index.search_prepared(self.connection(), &pq, opts.min, top, pair, &mut rank))?
        };
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::with_capacity(found.len());
        for m in found {
            if let Some(unit) = self.get(m.unit_id)? {
                let suggestion = fuzzy::substitute_numbers_prepared(&pq, &unit.source, &unit.target);
                out.push(Suggestion {
                    score: m.score,
                    fuzzy_score: m.fuzzy_score,
                    penalties: rank.take_applied(m.unit_id),
                    unit,
                    suggestion,
                });
            }
        }
        Ok(out)
    }
}

/// A concordance hit: a unit whose source (or target) contains the term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Concordance {
    /// The unit.
    pub unit: Unit,
}

impl Tm {
    /// Units whose source (or, with `in_target`, target) contains `term`, compared after
    /// normalization (diacritics, hamza forms, digits, case…), in id order, at most `limit`.
    ///
    /// Source searches go through the fuzzy index's word lists (fast at any size, whole words of
    /// the term, clitics attached or not); target searches and terms without a word scan the texts,
    /// normalizing only those that contain the term's longest Latin run (see `Prefilter`).
    ///
    /// # Errors
    /// An SQLite error.
    pub fn concordance(&self, term: &str, in_target: bool, limit: usize) -> Result<Vec<Unit>, TmError> {
        let needle = crate::text::normalize(term);
        if needle.is_empty() {
            return Ok(Vec::new());
        }
        let hit = |u: &Unit| {
            let text = if in_target { &u.target } else { &u.source };
            crate::text::normalize(text).contains(&needle)
                && self.language_pair().is_none_or(|(s, t)| {
                    s.language() == u.source_lang.language() && t.language() == u.target_lang.language()
                })
        };
        let mut out = Vec::new();
        let candidates = if in_target {
            None
        } else {
            index::term_candidates(self.connection(), term)?
        };
        match candidates {
            Some(ids) => {
                for id in ids {
                    if out.len() >= limit {
                        break;
                    }
                    if let Some(u) = self.get(id)? {
                        if hit(&u) {
                            out.push(u);
                        }
                    }
                }
            }
            None => {
                let prefilter = Prefilter::new(&needle);
                let mut stmt = self.connection().prepare(if in_target {
                    "SELECT id, target FROM unit ORDER BY id"
                } else {
                    "SELECT id, source FROM unit ORDER BY id"
                })?;
                let mut rows = stmt.query([])?;
                while out.len() < limit {
                    let Some(r) = rows.next()? else { break };
                    let text = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
                    if !prefilter.may_match(text) || !crate::text::normalize(text).contains(&needle) {
                        continue;
                    }
                    if let Some(u) = self.get(r.get(0)?)? {
                        if hit(&u) {
                            out.push(u);
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

/// A cheap test that rules out most texts before they are normalized, never a text whose
/// normalized form contains the needle.
///
/// It looks for the needle's longest run of ASCII letters (three or more), ignoring ASCII case.
/// Normalization makes an ASCII letter only out of an ASCII letter (lower-casing), the Kelvin sign
/// (NFC: K) or dotted capital I (lower-cased to i + a mark), and joins two letters only by
/// deleting what sits between them (tashkeel, tatweel, invisible controls); a text with any of
/// those characters is always passed on. Otherwise the run must appear in the raw text.
struct Prefilter {
    run: Option<regex::bytes::Regex>,
}

impl Prefilter {
    fn new(needle: &str) -> Self {
        let run = needle
            .split(|c: char| !c.is_ascii_alphabetic())
            .max_by_key(|w| w.len())
            .filter(|w| w.len() >= 3)
            .and_then(|w| regex::bytes::Regex::new(&format!("(?i-u){}", regex::escape(w))).ok());
        Prefilter { run }
    }

    fn may_match(&self, text: &str) -> bool {
        let Some(run) = &self.run else { return true };
        if !text.is_ascii() && text.chars().any(Self::unsafe_char) {
            return true;
        }
        run.is_match(text.as_bytes())
    }

    /// Characters through which normalization can make ASCII letters (Kelvin sign, dotted
    /// capital I) or join them (whatever [`crate::text::normalize`] deletes).
    fn unsafe_char(c: char) -> bool {
        matches!(c, '\u{212A}' | '\u{0130}') || crate::text::is_removed(c)
    }
}

#[cfg(test)]
mod tests {
    use super::{MatchOptions, Prefilter};
    use crate::text::normalize;
    use crate::tm::rank::Penalties;
    use crate::tm::{DuplicatePolicy, NewUnit, Origin, Status, Tm};

    fn add(tm: &mut Tm, target: &str, origin: Origin, changed: &str) -> i64 {
        let mut u = NewUnit::new("ar", "en", "وصل الرئيس إلى القاهرة", target, origin).unwrap();
        u.created_at = Some("2020-01-01T00:00:00Z".into());
        u.changed_at = Some(changed.into());
        tm.add(&u, DuplicatePolicy::KeepBoth).unwrap().id()
    }

    /// Three translations of one source: ranked score, then reviewed before unreviewed, then the
    /// newest; the same with the index and with the scan.
    #[test]
    fn alternatives_rank_reviewed_first_then_newest() {
        let mut tm = Tm::open_in_memory().unwrap();
        let old = add(
            &mut tm,
            "The president arrived in Cairo",
            Origin::Human,
            "2021-01-01T00:00:00Z",
        );
        let new = add(
            &mut tm,
            "The president reached Cairo",
            Origin::Import,
            "2025-01-01T00:00:00Z",
        );
        let aligned = add(
            &mut tm,
            "Cairo: the president arrives",
            Origin::Align,
            "2026-01-01T00:00:00Z",
        );
        for exhaustive in [false, true] {
            let opts = MatchOptions {
                exhaustive,
                ..MatchOptions::default()
            };
            let found = tm.suggest("وصل الرئيس إلى القاهرة", &opts).unwrap();
            let order: Vec<(i64, f64)> = found.iter().map(|s| (s.unit.id, s.score)).collect();
            // Every one has alternatives (−1); the aligned one is unreviewed (−5) and aligned (−1).
            assert_eq!(order, [(new, 99.0), (old, 99.0), (aligned, 93.0)]);
            assert_eq!(found[2].unit.status, Status::Unreviewed);
            let keys: Vec<&str> = found[2].penalties.iter().map(|p| p.penalty).collect();
            assert_eq!(keys, ["unreviewed", "align", "multiple"]);
            // Without penalties the three tie at 100: reviewed first, newest first.
            let none = MatchOptions {
                penalties: Penalties::none(),
                ..opts
            };
            let ids: Vec<i64> = tm
                .suggest("وصل الرئيس إلى القاهرة", &none)
                .unwrap()
                .iter()
                .map(|s| s.unit.id)
                .collect();
            assert_eq!(ids, [new, old, aligned]);
        }
    }

    #[test]
    fn min_and_top_apply_to_the_ranked_score() {
        let mut tm = Tm::open_in_memory().unwrap();
        let aligned = add(
            &mut tm,
            "The president arrived in Cairo",
            Origin::Align,
            "2021-01-01T00:00:00Z",
        );
        let q = "وصل الرئيس إلى القاهرة";
        let at = |min: f64, penalties: Penalties| {
            tm.suggest(
                q,
                &MatchOptions {
                    min,
                    penalties,
                    ..MatchOptions::default()
                },
            )
            .unwrap()
        };
        // Fuzzy 100 passes --min 95, ranked 94 does not.
        assert!(at(95.0, Penalties::default()).is_empty());
        let found = at(90.0, Penalties::default());
        assert_eq!(
            (found[0].unit.id, found[0].fuzzy_score, found[0].score),
            (aligned, 100.0, 94.0)
        );
        assert_eq!(at(95.0, Penalties::none())[0].score, 100.0);
    }

    /// The prefilter never rejects a text whose normalized form contains the needle.
    #[test]
    fn prefilter_never_rejects_a_match() {
        let texts = [
            "The Security Council met.",
            "THE SECURITY  COUNCIL",
            "the secu\u{200C}rity council",
            "the \u{212A}remlin said",
            "İstanbul talks",
            "“Security Council” said",
            "قال مجلس الأمن Security Council",
            "Security Coun\u{0640}cil",
        ];
        let needles = [
            "security council",
            "kremlin",
            "istanbul",
            "council",
            "sec",
            "2024",
            "مجلس",
        ];
        for t in texts {
            for n in needles {
                let n = normalize(n);
                if normalize(t).contains(&n) {
                    assert!(Prefilter::new(&n).may_match(t), "{t:?} rejected for {n:?}");
                }
            }
        }
        // And it does reject: an ASCII text without the run.
        assert!(!Prefilter::new("kremlin").may_match("The Security Council met."));
        assert!(Prefilter::new("kremlin").may_match("The KREMLIN"));
    }
}

impl Tm {
    /// Runs `f` on the loaded index when it is current, else on the index tables in the file.
    fn with_index<T>(&self, f: impl FnOnce(&index::FuzzyIndex) -> T) -> T {
        match self.loaded_index() {
            Some(ix) => f(ix),
            None => f(&index::FuzzyIndex::new()),
        }
    }
}

/// How to look up fragment matches ([`Tm::fragments`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FragmentOptions {
    /// Shortest shared run of words to report.
    pub min_words: usize,
    /// Most units to return (at least 1).
    pub top: usize,
    /// Whether to look for the target span of each fragment ([`FragmentMatch::target_span`]);
    /// without it (coverage counts need only the query spans) the span is `None`.
    pub target_spans: bool,
}

impl Default for FragmentOptions {
    fn default() -> Self {
        FragmentOptions {
            min_words: 4,
            top: 5,
            target_spans: true,
        }
    }
}

/// A unit that shares a contiguous run of words with the query: where no whole unit is close,
/// the part of the query it translates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FragmentMatch {
    /// The unit.
    pub unit: Unit,
    /// Words in the longest run it shares with the query (after normalization: clitics and
    /// spelling variants do not break a run).
    pub words: usize,
    /// Where the run is in the query: character offsets, end exclusive.
    pub query_span: (usize, usize),
    /// Where it is in the unit's source: character offsets, end exclusive.
    pub source_span: (usize, usize),
    /// Where the unit's target translates it, as far as the words' alignment shows (character
    /// offsets, end exclusive); `None` when the evidence is too weak to say
    /// ([`index::TargetEvidence`]).
    pub target_span: Option<(usize, usize)>,
}

impl FragmentMatch {
    /// The run as it reads in the query.
    pub fn query_text(&self, query: &str) -> String {
        query
            .chars()
            .skip(self.query_span.0)
            .take(self.query_span.1 - self.query_span.0)
            .collect()
    }

    /// The run as it reads in the unit's source.
    pub fn source_text(&self) -> String {
        self.unit
            .source
            .chars()
            .skip(self.source_span.0)
            .take(self.source_span.1 - self.source_span.0)
            .collect()
    }

    /// What translates the run in the unit's target, when known ([`FragmentMatch::target_span`]).
    pub fn target_text(&self) -> Option<String> {
        let (a, b) = self.target_span?;
        Some(self.unit.target.chars().skip(a).take(b - a).collect())
    }
}

/// The character span of tokens `first..=last` of `text`.
fn char_span(text: &str, tokens: &[crate::text::Token], first: usize, last: usize) -> Option<(usize, usize)> {
    let (a, b) = (tokens.get(first)?.start, tokens.get(last)?.end);
    let start = text.get(..a)?.chars().count();
    Some((start, start + text.get(a..b)?.chars().count()))
}

impl Tm {
    /// Units sharing a run of at least `opts.min_words` words with `query` (memoQ's
    /// longest-substring concordance), longest run first, then lowest id, among the units of the
    /// TM's language pair. For the part of a new sentence that no whole unit covers.
    ///
    /// ```
    /// use mizan::tm::{suggest::FragmentOptions, DuplicatePolicy, NewUnit, Origin, Tm};
    /// let mut tm = Tm::open_in_memory()?;
    /// tm.add(&NewUnit::new("ar", "en", "يجب اختيار جميع أنواع معدات الوقاية الشخصية بعناية", "All types of personal protective equipment must be chosen carefully", Origin::Human)?, DuplicatePolicy::KeepBoth)?;
    /// let query = "يجب اختيار جميع أنواع معدات الوقاية الشخصية وفق المخاطر التي يتعرض لها العاملون في المصنع";
    /// let found = tm.fragments(query, &FragmentOptions::default())?;
    /// assert_eq!(found[0].words, 7);
    /// assert_eq!(found[0].query_text(query), "يجب اختيار جميع أنواع معدات الوقاية الشخصية");
    /// # Ok::<(), mizan::Error>(())
    /// ```
    ///
    /// # Errors
    /// An SQLite error.
    pub fn fragments(&self, query: &str, opts: &FragmentOptions) -> Result<Vec<FragmentMatch>, TmError> {
        self.with_index(|ix| {
            // One read transaction for the lists, units and samples (one file lock, not one per
            // statement: hundreds when the index is read from the file).
            let _snapshot = index::ReadSnapshot::begin(self.connection())?;
            // All runs first: the language pair is checked on the unit, before `top` applies.
            let found = ix.fragments(self.connection(), query, opts.min_words, 0)?;
            let query_tokens = crate::text::tokenize(query);
            let mut evidence = index::TargetEvidence::new();
            let mut out = Vec::new();
            for f in found {
                if out.len() >= opts.top.max(1) {
                    break;
                }
                let Some(unit) = self.get(f.unit_id)? else { continue };
                if let Some((s, t)) = self.language_pair() {
                    if !(s.serves(&unit.source_lang) && t.serves(&unit.target_lang)) {
                        continue;
                    }
                }
                let source_tokens = crate::text::tokenize(&unit.source);
                let spans = (
                    char_span(query, &query_tokens, f.query_tokens.0, f.query_tokens.1),
                    char_span(&unit.source, &source_tokens, f.source_tokens.0, f.source_tokens.1),
                );
                if let (Some(query_span), Some(source_span)) = spans {
                    let target_span = if !opts.target_spans {
                        None
                    } else {
                        ix.target_tokens(
                            self.connection(),
                            &mut evidence,
                            unit.id,
                            &unit.source,
                            &unit.target,
                            f.source_tokens,
                        )?
                        .and_then(|(a, b)| char_span(&unit.target, &crate::text::tokenize(&unit.target), a, b))
                    };
                    out.push(FragmentMatch {
                        unit,
                        words: f.words,
                        query_span,
                        source_span,
                        target_span,
                    });
                }
            }
            Ok(out)
        })
    }
}
