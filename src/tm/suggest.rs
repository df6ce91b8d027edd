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
    /// the term, clitics attached or not); target searches and terms without a word scan the units.
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
            None => self.visit_units(&super::UnitFilter::default(), |u| {
                if hit(&u) {
                    out.push(u);
                }
                out.len() < limit
            })?,
        }
        Ok(out)
    }
}
