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
