//! How suggestions are ranked: the fuzzy score less penalties for what is known about the unit
//! behind it, then a deterministic tie-break. `match`, `analyze`, `pretranslate` and `translate`
//! rank this way ([`crate::tm::suggest::MatchOptions`]).
//!
//! Invariants:
//! - penalties are points (0–100) taken off the fuzzy score, never added: a ranked score is never
//!   above the fuzzy score, so 100 still means identical text, and from a unit with no penalty;
//! - `--min` and `--top` apply to the ranked score: a unit whose fuzzy score reaches `--min` but
//!   whose ranked score does not is not returned. The fuzzy index stays lossless under any
//!   penalties (see [`super::index`]);
//! - the order is total, so every run and both search modes agree: ranked score (highest first),
//!   then the text closer letter by letter ([`super::index::Match::closeness`]), then reviewed
//!   before unreviewed, then the most recently changed unit first, then the lowest
//!   unit id.
//!
//! The penalties (points, defaults in brackets), summed per unit:
//! - `unreviewed` \[5\]: the unit's status is unreviewed (aligned pairs, pre-translations nobody
//!   confirmed, imports marked so);
//! - per origin: `align` \[1\] (sentence alignment may pair the wrong sentences even once someone
//!   confirmed the text), `human`, `import`, `tmx` \[0\];
//! - `multiple` \[1\]: the unit's source is stored with another target too (alternatives: neither
//!   is certain to be the one this context wants).
//!
//! So by default an untouched pre-translation that came back as an exact match shows 95, an
//! unreviewed aligned pair 94, and a reviewed unit keeps its fuzzy score.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::index::{Rank, Ranking};
use super::{date, Origin, Status};
pub use crate::unit::AppliedPenalty;

/// Points taken off the fuzzy score of a unit, by what is known about it (see the module doc).
#[derive(Debug, Clone, PartialEq)]
pub struct Penalties {
    /// A unit whose status is unreviewed.
    pub unreviewed: f64,
    /// A unit of origin `human`.
    pub human: f64,
    /// A unit of origin `import`.
    pub import: f64,
    /// A unit of origin `align`.
    pub align: f64,
    /// A unit of origin `tmx`.
    pub tmx: f64,
    /// A unit whose source is stored with another target too (multiple translations).
    pub multiple: f64,
}

impl Default for Penalties {
    fn default() -> Self {
        Penalties {
            unreviewed: 5.0,
            human: 0.0,
            import: 0.0,
            align: 1.0,
            tmx: 0.0,
            multiple: 1.0,
        }
    }
}

/// A penalty setting that is not `KEY=POINTS` with a known key and 0–100 points.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad penalty `{0}`: give KEY=POINTS, KEY one of unreviewed, human, import, align, tmx, multiple, POINTS from 0 to 100 (or `none` for no penalties)")]
pub struct BadPenalty(pub String);

impl Penalties {
    /// No penalty at all: ranked scores are fuzzy scores (the tie-break still applies).
    pub fn none() -> Penalties {
        Penalties {
            unreviewed: 0.0,
            human: 0.0,
            import: 0.0,
            align: 0.0,
            tmx: 0.0,
            multiple: 0.0,
        }
    }

    /// The penalty of an origin.
    pub fn origin(&self, origin: Origin) -> f64 {
        match origin {
            Origin::Human => self.human,
            Origin::Import => self.import,
            Origin::Align => self.align,
            Origin::Tmx => self.tmx,
        }
    }

    /// Applies one setting: `KEY=POINTS` (`unreviewed=10`, `align=0`, `multiple=2`), or `none`
    /// (every penalty 0).
    ///
    /// ```
    /// use mizan::tm::rank::Penalties;
    /// let mut p = Penalties::default();
    /// p.set("unreviewed=12.5").unwrap();
    /// assert_eq!(p.unreviewed, 12.5);
    /// assert!(p.set("reviewed=-1").is_err());
    /// ```
    ///
    /// # Errors
    /// [`BadPenalty`] for an unknown key, or points that are not a number from 0 to 100.
    pub fn set(&mut self, setting: &str) -> Result<(), BadPenalty> {
        let bad = || BadPenalty(setting.to_string());
        if setting.trim().eq_ignore_ascii_case("none") {
            *self = Penalties::none();
            return Ok(());
        }
        let (key, points) = setting.split_once('=').ok_or_else(bad)?;
        let points: f64 = points.trim().parse().map_err(|_| bad())?;
        if !(0.0..=100.0).contains(&points) {
            return Err(bad());
        }
        let slot = match key.trim().to_ascii_lowercase().as_str() {
            "unreviewed" => &mut self.unreviewed,
            "human" => &mut self.human,
            "import" => &mut self.import,
            "align" => &mut self.align,
            "tmx" => &mut self.tmx,
            "multiple" => &mut self.multiple,
            _ => return Err(bad()),
        };
        *slot = points;
        Ok(())
    }

    /// The penalties that apply to a unit of this origin and status, `alternatives` when its
    /// source is stored with another target too; zero penalties are left out.
    ///
    /// ```
    /// use mizan::tm::{rank::Penalties, Origin, Status};
    /// let p = Penalties::default().applied(Origin::Align, Status::Unreviewed, false);
    /// assert_eq!(p.iter().map(|a| a.points).sum::<f64>(), 6.0);
    /// assert!(Penalties::default().applied(Origin::Human, Status::Reviewed, false).is_empty());
    /// ```
    pub fn applied(&self, origin: Origin, status: Status, alternatives: bool) -> Vec<AppliedPenalty> {
        let candidates = [
            ("unreviewed", status == Status::Unreviewed, self.unreviewed),
            (origin.as_str(), true, self.origin(origin)),
            ("multiple", alternatives, self.multiple),
        ];
        candidates
            .into_iter()
            .filter(|&(_, applies, points)| applies && points > 0.0)
            .map(|(penalty, _, points)| AppliedPenalty { penalty, points })
            .collect()
    }
}

/// The largest number of seconds the tie-break key holds (far beyond any real date).
const MAX_SECONDS: i64 = (1 << 40) - 1;

/// The tie-break key of a unit (lower first): reviewed before unreviewed, then the most recently
/// changed first. Dates before 1970 or unreadable count as 1970.
fn tie_key(status: Status, changed_at: &str) -> i64 {
    let seconds = date::unix_seconds(changed_at).unwrap_or(0).clamp(0, MAX_SECONDS);
    let status_rank = match status {
        Status::Reviewed => 0,
        Status::Unreviewed => 1,
    };
    status_rank * (MAX_SECONDS + 1) + (MAX_SECONDS - seconds)
}

/// What the ranking reads of a unit: origin, status, change date, and whether its source is stored
/// with another target in the same language pair (through the de-duplication hash's index).
const RANK_SQL: &str = "SELECT u.origin, u.status, u.changed_at,
       EXISTS (SELECT 1 FROM unit a
                WHERE a.source_hash = u.source_hash AND a.id <> u.id AND a.source_lang = u.source_lang
                  AND a.target_lang = u.target_lang AND a.source = u.source)
  FROM unit u WHERE u.id = ?1";

/// The TM's ranking of fuzzy matches ([`Penalties`] and the tie-break), reading each ranked unit's
/// row. It remembers the penalties of every unit it ranked, so that the units returned can say
/// which penalties they got without reading their rows again.
pub(crate) struct TmRank<'a> {
    conn: &'a Connection,
    penalties: &'a Penalties,
    applied: HashMap<i64, Vec<AppliedPenalty>>,
}

impl<'a> TmRank<'a> {
    pub(crate) fn new(conn: &'a Connection, penalties: &'a Penalties) -> Self {
        TmRank {
            conn,
            penalties,
            applied: HashMap::new(),
        }
    }

    /// The penalties unit `id` got when it was ranked (none if it was not).
    pub(crate) fn take_applied(&mut self, id: i64) -> Vec<AppliedPenalty> {
        self.applied.remove(&id).unwrap_or_default()
    }
}

impl Rank for TmRank<'_> {
    fn rank(&mut self, unit_id: i64) -> rusqlite::Result<Ranking> {
        let row: Option<(String, String, String, bool)> = self
            .conn
            .prepare_cached(RANK_SQL)?
            .query_row([unit_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        let Some((origin, status, changed_at, alternatives)) = row else {
            return Ok(Ranking::default());
        };
        // Unknown names cannot pass the column checks; read them the cautious way anyway.
        let origin = Origin::parse(&origin).unwrap_or(Origin::Import);
        let status = Status::parse(&status).unwrap_or(Status::Unreviewed);
        let applied = self.penalties.applied(origin, status, alternatives);
        let penalty = applied.iter().map(|a| a.points).sum();
        self.applied.insert(unit_id, applied);
        Ok(Ranking {
            penalty,
            tie: tie_key(status, &changed_at),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_and_none_clears_everything() {
        let mut p = Penalties::default();
        for ok in ["align=0", " Multiple = 2.5 ", "tmx=100", "human=0"] {
            p.set(ok).unwrap();
        }
        assert_eq!((p.align, p.multiple, p.tmx), (0.0, 2.5, 100.0));
        for bad in [
            "unreviewed",
            "unreviewed=x",
            "unreviewed=101",
            "reviewed=1",
            "align=-1",
            "=3",
            "align=NaN",
        ] {
            assert!(p.set(bad).is_err(), "{bad}");
        }
        p.set("none").unwrap();
        assert_eq!(p, Penalties::none());
    }

    #[test]
    fn reviewed_comes_first_then_the_newest() {
        let old = tie_key(Status::Reviewed, "2020-01-01T00:00:00Z");
        let new = tie_key(Status::Reviewed, "2026-11-27T18:48:30Z");
        let unreviewed_new = tie_key(Status::Unreviewed, "2030-01-01T00:00:00Z");
        assert!(new < old && old < unreviewed_new);
        assert!(
            tie_key(Status::Reviewed, "garbage") > old,
            "an unreadable date counts as the oldest"
        );
    }
}
