//! Looking up suggestions for new text: fuzzy search in the TM, the unit behind each match, and its
//! target with the query's numbers substituted. Used by `match`, `analyze` and `pretranslate`.

use serde::Serialize;

use super::{LangTag, Tm, TmError, Unit};
use crate::fuzzy;

/// A TM unit offered for a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The fuzzy score, 0–100.
    pub score: f64,
    /// The unit.
    pub unit: Unit,
    /// The unit's target with the query's numbers (and other placeables) put in.
    pub suggestion: String,
}

impl Tm {
    /// The matches for `query` at or above `min`, best first, at most `top`, among the units of
    /// the TM's language pair ([`Tm::set_language_pair`]); `exhaustive` scans every unit instead of
    /// using the index (same results).
    ///
    /// # Errors
    /// An SQLite error.
    pub fn suggest(&self, query: &str, min: f64, top: usize, exhaustive: bool) -> Result<Vec<Suggestion>, TmError> {
        self.suggest_in(query, min, top, exhaustive, self.language_pair())
    }

    /// Like [`Tm::suggest`], only among units of one language pair (primary subtags compared:
    /// `ar` serves `ar-SA` and `ar-EG`).
    ///
    /// # Errors
    /// An SQLite error.
    pub fn suggest_in(
        &self,
        query: &str,
        min: f64,
        top: usize,
        exhaustive: bool,
        pair: Option<(&LangTag, &LangTag)>,
    ) -> Result<Vec<Suggestion>, TmError> {
        let pair = pair.map(|(s, t)| fuzzy::LangPair {
            source: s.as_str(),
            target: t.as_str(),
        });
        let top = top.max(1);
        let found = if exhaustive {
            fuzzy::search_exhaustive_in(self.connection(), query, min, top, pair)?
        } else {
            let unloaded;
            let index = match self.loaded_index() {
                Some(ix) => ix,
                None => {
                    unloaded = fuzzy::FuzzyIndex::new();
                    &unloaded
                }
            };
            index.search_in(self.connection(), query, min, top, pair)?
        };
        let mut out = Vec::with_capacity(found.len());
        for m in found {
            if let Some(unit) = self.get(m.unit_id)? {
                let suggestion = fuzzy::substitute_numbers(query, &unit.source, &unit.target);
                out.push(Suggestion {
                    score: m.score,
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
            fuzzy::term_candidates(self.connection(), term)?
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
    use super::Prefilter;
    use crate::text::normalize;

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
