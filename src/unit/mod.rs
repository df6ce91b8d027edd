//! The unit model: what a translation unit is, shared by the store ([`crate::tm`]) and the
//! exchange formats ([`crate::formats`]) so that neither needs the other.
//!
//! Invariants:
//! - a [`NewUnit`] has a non-blank source and target and valid BCP 47 language tags (its
//!   constructors check them);
//! - texts are kept exactly as given: nothing here normalizes (matching works on derived forms,
//!   see [`crate::text`]);
//! - every unit has an [`Origin`] (where it came from) and a [`Status`] (whether a person vouches
//!   for it); a new unit's status is its origin's default until a reader or a command says otherwise.

pub mod date;
pub mod lang;

use serde::Serialize;

pub use lang::{BadLangTag, LangTag};

/// Why a unit cannot be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UnitError {
    /// A unit with an empty source or target.
    #[error("empty {0}: a unit needs both a source and a target")]
    EmptyText(&'static str),
    /// A language tag that is not BCP 47.
    #[error(transparent)]
    Lang(#[from] BadLangTag),
}

type Result<T, E = UnitError> = std::result::Result<T, E>;

/// Where a unit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Typed or accepted by a translator (`add`, a filled pre-translation file).
    Human,
    /// Imported from TSV, CSV or JSON Lines.
    Import,
    /// Produced by `mizan align`.
    Align,
    /// Imported from a TMX file.
    Tmx,
}

impl Origin {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Human => "human",
            Origin::Import => "import",
            Origin::Align => "align",
            Origin::Tmx => "tmx",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Origin> {
        Some(match s {
            "human" => Origin::Human,
            "import" => Origin::Import,
            "align" => Origin::Align,
            "tmx" => Origin::Tmx,
            _ => return None,
        })
    }
}

/// Whether a person vouches for a unit's translation.
///
/// The stored names are `reviewed` and `unreviewed`; [`Status::from_label`] also reads the
/// spellings other files use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A person wrote or confirmed the translation (`add`, `edit`, `translate`, an edited or
    /// confirmed line of a pre-translation file, an import that does not say otherwise).
    Reviewed,
    /// Nobody confirmed it: aligned pairs, pre-translated rows whose edits cannot be told (files
    /// of older versions), imports whose file marks them so.
    Unreviewed,
}

impl Status {
    /// Every status, in display order.
    pub const ALL: [Status; 2] = [Status::Reviewed, Status::Unreviewed];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Reviewed => "reviewed",
            Status::Unreviewed => "unreviewed",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "reviewed" => Status::Reviewed,
            "unreviewed" => Status::Unreviewed,
            _ => return None,
        })
    }

    /// Reads a status as files write it (a `status` column or field, a TMX `x-mizan-status`
    /// property), ignoring case and surrounding white space: `reviewed`, `confirmed`, `approved`
    /// → reviewed; `unreviewed`, `unconfirmed`, `draft` → unreviewed.
    ///
    /// ```
    /// use mizan::tm::Status;
    /// assert_eq!(Status::from_label(" Confirmed "), Some(Status::Reviewed));
    /// assert_eq!(Status::from_label("draft"), Some(Status::Unreviewed));
    /// assert_eq!(Status::from_label("maybe"), None);
    /// ```
    pub fn from_label(s: &str) -> Option<Status> {
        let s = s.trim().to_ascii_lowercase();
        Some(match s.as_str() {
            "reviewed" | "confirmed" | "approved" => Status::Reviewed,
            "unreviewed" | "unconfirmed" | "draft" => Status::Unreviewed,
            _ => return None,
        })
    }

    /// The status of a unit of this origin when nothing else is known: `unreviewed` for aligned
    /// pairs (machine output), `reviewed` for the others.
    pub fn default_for(origin: Origin) -> Status {
        match origin {
            Origin::Align => Status::Unreviewed,
            Origin::Human | Origin::Import | Origin::Tmx => Status::Reviewed,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A unit to be stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewUnit {
    /// Source language.
    pub source_lang: LangTag,
    /// Target language.
    pub target_lang: LangTag,
    /// Source text, exactly as given.
    pub source: String,
    /// Target text, exactly as given.
    pub target: String,
    /// Inner XML of the source `<seg>` when it carried inline tags.
    pub source_markup: Option<String>,
    /// Inner XML of the target `<seg>` when it carried inline tags.
    pub target_markup: Option<String>,
    /// Where it came from.
    pub origin: Origin,
    /// Whether a person vouches for it ([`Status::default_for`] the origin unless the source says).
    pub status: Status,
    /// The document it came from.
    pub document: Option<String>,
    /// Its 0-based segment position in that document.
    pub position: Option<i64>,
    /// TMX `tuid`.
    pub tuid: Option<String>,
    /// Creation date (stored form); `None` means now.
    pub created_at: Option<String>,
    /// Who created it.
    pub created_by: Option<String>,
    /// Last change date (stored form); `None` means the creation date.
    pub changed_at: Option<String>,
    /// Who changed it last.
    pub changed_by: Option<String>,
    /// How often it was used.
    pub usage_count: i64,
    /// When it was last used.
    pub last_used_at: Option<String>,
    /// A free note.
    pub note: Option<String>,
    /// Free properties (TMX `<prop type="…">`), in order.
    pub props: Vec<(String, String)>,
}

impl NewUnit {
    /// A unit with the given languages, texts and origin, the origin's default status
    /// ([`Status::default_for`]), and no other provenance.
    ///
    /// # Errors
    /// [`UnitError::Lang`] for a bad language tag, [`UnitError::EmptyText`] when the source or target
    /// is empty or only white space.
    pub fn new(source_lang: &str, target_lang: &str, source: &str, target: &str, origin: Origin) -> Result<NewUnit> {
        Self::with_tags(
            LangTag::parse(source_lang)?,
            LangTag::parse(target_lang)?,
            source.to_string(),
            target.to_string(),
            origin,
        )
    }

    /// Like [`NewUnit::new`] with parsed tags and owned texts.
    ///
    /// # Errors
    /// [`UnitError::EmptyText`] when the source or target is empty or only white space.
    pub fn with_tags(
        source_lang: LangTag,
        target_lang: LangTag,
        source: String,
        target: String,
        origin: Origin,
    ) -> Result<NewUnit> {
        if source.trim().is_empty() {
            return Err(UnitError::EmptyText("source"));
        }
        if target.trim().is_empty() {
            return Err(UnitError::EmptyText("target"));
        }
        Ok(NewUnit {
            source_lang,
            target_lang,
            source,
            target,
            source_markup: None,
            target_markup: None,
            origin,
            status: Status::default_for(origin),
            document: None,
            position: None,
            tuid: None,
            created_at: None,
            created_by: None,
            changed_at: None,
            changed_by: None,
            usage_count: 0,
            last_used_at: None,
            note: None,
            props: Vec::new(),
        })
    }
}

/// A stored unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    /// Its id in the TM.
    pub id: i64,
    /// Source language.
    pub source_lang: LangTag,
    /// Target language.
    pub target_lang: LangTag,
    /// Source text, exactly as stored.
    pub source: String,
    /// Target text, exactly as stored.
    pub target: String,
    /// Inner XML of the source `<seg>` when it carried inline tags.
    pub source_markup: Option<String>,
    /// Inner XML of the target `<seg>` when it carried inline tags.
    pub target_markup: Option<String>,
    /// Where it came from.
    pub origin: Origin,
    /// Whether a person vouches for it.
    pub status: Status,
    /// The document it came from.
    pub document: Option<String>,
    /// Its 0-based position in that document.
    pub position: Option<i64>,
    /// TMX `tuid`.
    pub tuid: Option<String>,
    /// Creation date (UTC, `2026-11-27T18:48:30Z`).
    pub created_at: String,
    /// Who created it.
    pub created_by: Option<String>,
    /// Last change date.
    pub changed_at: String,
    /// Who changed it last.
    pub changed_by: Option<String>,
    /// How often it was used.
    pub usage_count: i64,
    /// When it was last used.
    pub last_used_at: Option<String>,
    /// A free note.
    pub note: Option<String>,
    /// Free properties, in order.
    pub props: Vec<(String, String)>,
}

/// A stored unit borrowed from the database cursor: what an export reads without copying each
/// field into a [`Unit`]. Valid only during the visit it is handed to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitView<'a> {
    /// Its id in the TM.
    pub id: i64,
    /// Source language (stored canonical form).
    pub source_lang: &'a str,
    /// Target language (stored canonical form).
    pub target_lang: &'a str,
    /// Source text, exactly as stored.
    pub source: &'a str,
    /// Target text, exactly as stored.
    pub target: &'a str,
    /// Inner XML of the source `<seg>` when it carried inline tags.
    pub source_markup: Option<&'a str>,
    /// Inner XML of the target `<seg>` when it carried inline tags.
    pub target_markup: Option<&'a str>,
    /// Where it came from.
    pub origin: Origin,
    /// Whether a person vouches for it.
    pub status: Status,
    /// The document it came from.
    pub document: Option<&'a str>,
    /// Its 0-based position in that document.
    pub position: Option<i64>,
    /// TMX `tuid`.
    pub tuid: Option<&'a str>,
    /// Creation date (stored form).
    pub created_at: &'a str,
    /// Who created it.
    pub created_by: Option<&'a str>,
    /// Last change date (stored form).
    pub changed_at: &'a str,
    /// Who changed it last.
    pub changed_by: Option<&'a str>,
    /// How often it was used.
    pub usage_count: i64,
    /// When it was last used.
    pub last_used_at: Option<&'a str>,
    /// A free note.
    pub note: Option<&'a str>,
    /// Free properties, in order.
    pub props: &'a [(String, String)],
}

impl Unit {
    /// The unit as a [`UnitView`] borrowing its fields.
    pub fn view(&self) -> UnitView<'_> {
        UnitView {
            id: self.id,
            source_lang: self.source_lang.as_str(),
            target_lang: self.target_lang.as_str(),
            source: &self.source,
            target: &self.target,
            source_markup: self.source_markup.as_deref(),
            target_markup: self.target_markup.as_deref(),
            origin: self.origin,
            status: self.status,
            document: self.document.as_deref(),
            position: self.position,
            tuid: self.tuid.as_deref(),
            created_at: &self.created_at,
            created_by: self.created_by.as_deref(),
            changed_at: &self.changed_at,
            changed_by: self.changed_by.as_deref(),
            usage_count: self.usage_count,
            last_used_at: self.last_used_at.as_deref(),
            note: self.note.as_deref(),
            props: &self.props,
        }
    }
}

impl UnitView<'_> {
    /// An owned copy.
    ///
    /// # Errors
    /// [`UnitError::Lang`] when a stored language tag is damaged.
    pub fn to_unit(&self) -> Result<Unit> {
        Ok(Unit {
            id: self.id,
            source_lang: LangTag::parse(self.source_lang)?,
            target_lang: LangTag::parse(self.target_lang)?,
            source: self.source.to_string(),
            target: self.target.to_string(),
            source_markup: self.source_markup.map(str::to_string),
            target_markup: self.target_markup.map(str::to_string),
            origin: self.origin,
            status: self.status,
            document: self.document.map(str::to_string),
            position: self.position,
            tuid: self.tuid.map(str::to_string),
            created_at: self.created_at.to_string(),
            created_by: self.created_by.map(str::to_string),
            changed_at: self.changed_at.to_string(),
            changed_by: self.changed_by.map(str::to_string),
            usage_count: self.usage_count,
            last_used_at: self.last_used_at.map(str::to_string),
            note: self.note.map(str::to_string),
            props: self.props.to_vec(),
        })
    }
}

/// One penalty applied to a suggestion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliedPenalty {
    /// What it is for: the key `--penalty` sets (`unreviewed`, `align`, `multiple`, …).
    pub penalty: &'static str,
    /// Points taken off.
    pub points: f64,
}

/// A TM unit offered for a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The ranked score, 0–100: the fuzzy score less the penalties. Suggestions are ordered by it.
    pub score: f64,
    /// The fuzzy score of the unit's source against the query, before penalties.
    pub fuzzy_score: f64,
    /// The penalties taken off (none for a reviewed unit with no alternative, by default).
    pub penalties: Vec<AppliedPenalty>,
    /// The unit.
    pub unit: Unit,
    /// The unit's target with the query's numbers (and other placeables) put in.
    pub suggestion: String,
}

/// One segment of an article with its best suggestions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pretranslated {
    /// 0-based segment index.
    pub index: usize,
    /// The segment's text.
    pub source: String,
    /// Matches at or above the threshold, best first (the first is the suggestion).
    pub matches: Vec<Suggestion>,
    /// The glossary's terms found in the segment, in text order (none without a glossary).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<TermHit>,
    /// For a segment without a suggestion: its words inside fragment matches (runs of at least
    /// four words some unit shares with it; `mizan::report::fragment_words`); `None` when not
    /// looked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragment_words: Option<u64>,
}

/// One occurrence of a glossary term in a text (found by `mizan::terms::Glossary::hits`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermHit {
    /// Byte offset where the occurrence starts in the searched text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The occurrence as the text writes it (`لمجلس الأمن`).
    pub text: String,
    /// The glossary's source term (`مجلس الأمن`).
    pub source: String,
    /// The translations to use (every entry of this term, in id order, without repeats).
    pub targets: Vec<String>,
    /// Target variants that must not be used.
    pub forbidden: Vec<String>,
    /// The (first) entry's id.
    pub term_id: i64,
    /// Every entry with this source, when there are several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_ids: Vec<i64>,
    /// Part of speech of the first entry, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pos: Option<String>,
    /// Note of the first entry, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
