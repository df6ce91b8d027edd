//! Looking up suggestions for new text: fuzzy search in the TM, the unit behind each match, and its
//! target with the query's numbers substituted. Used by `match`, `analyze` and `pretranslate`.

use serde::Serialize;

use super::{Tm, TmError, Unit};
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
    /// The matches for `query` at or above `min`, best first, at most `top`; `exhaustive` scans
    /// every unit instead of using the index (same results).
    ///
    /// # Errors
    /// An SQLite error.
    pub fn suggest(&self, query: &str, min: f64, top: usize, exhaustive: bool) -> Result<Vec<Suggestion>, TmError> {
        let found = if exhaustive {
            fuzzy::search_exhaustive(self.connection(), query, min, top)?
        } else {
            fuzzy::search(self.connection(), query, min, top)?
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
