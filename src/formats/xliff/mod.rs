//! XLIFF, the CAT round trip: pre-translated articles out as XLIFF 1.2 ([`write_xliff`]) or XLIFF
//! 2.1 ([`write_xliff2`]), translated files back in ([`XliffReader`]: XLIFF 1.0–1.2 and 2.x,
//! Trados `.sdlxliff`, memoQ `.mqxliff`).
//!
//! # Out
//! One `<trans-unit>` (1.2) or `<unit>` with one `<segment>` (2.1) per segment of the article, in
//! document order; the article's name is the `<file original>`, the segment's 0-based position
//! `mz:position`. The best suggestion is the `<target>`, with a state that says what it is and
//! never more than mizan knows:
//!
//! | suggestion | 1.2 `state` / `state-qualifier` | 2.1 `state` |
//! |---|---|---|
//! | context (101%: the neighbours match the neighbouring units of the same document, as `analyze` counts it) | `translated` / `id-match` | `translated`, best `mtc:match type="icm"` |
//! | ranked score 100 (exact, reviewed unit, no penalty) | `translated` / `exact-match` | `translated` |
//! | exact source, kept below 100 by a penalty (unreviewed unit, …) | `needs-review-translation` / `leveraged-tm` | `initial` |
//! | fuzzy | `needs-review-translation` / `fuzzy-match` | `initial` |
//! | none | no `<target>` (or, with [`XliffOptions::copy_source`], `state="new"` and a copy of the source) | `initial`, no `<target>` (or a copy) |
//!
//! Every match (the best one first) is an `<alt-trans>` (1.2) or `<mtc:match>` (2.1, with
//! `matchQuality` = ranked score, `similarity` = fuzzy score, `origin` = `mizan:<unit id>`),
//! whose source and target are the stored unit's, with the unit's inline tags as XLIFF inline
//! codes (TMX `bpt`/`ept`/`ph`/`it`/`ut`/`hi` as 1.2 `bpt`/`ept`/`ph`/`it`/`ph`/`g`, 2.1
//! `sc`/`ec`/`ph`/`sc` or `ec`/`ph`/`pc`); only the `<target>` holds the suggestion with the
//! article's numbers put in. mizan's own attributes, in the namespace [`MZ_NS`] (prefix `mz`, declared for validation
//! by `schemas/xliff/mizan-xliff.xsd`), record what was written, for the way back:
//! `mz:unit-id` (the best match's unit), `mz:suggestion` (the target as written) and
//! `mz:written-state` on the trans-unit/unit, and the unit's id, origin, status and fuzzy score on
//! every alternative. Output is UTF-8, well-formed (characters XML 1.0 forbids are dropped) and
//! valid against the OASIS XLIFF 1.2 strict schema, and the XLIFF 2.1 core and matches schemas.
//!
//! # Back in
//! A segment is stored only when a translator finished it, as the file says:
//! - Trados (`sdl:seg conf`, keyed by the `mrk` id): `Translated`, `ApprovedTranslation`,
//!   `ApprovedSignOff`; memoQ (`mq:status` on the trans-unit): `Confirmed`, `ManuallyConfirmed`,
//!   `Proofread`, `Reviewer1Confirmed`, `Reviewer2Confirmed`. These win over `state`.
//! - else XLIFF 1.2: the target's `state` `translated`, `signed-off` or `final`, or `approved="yes"`
//!   with no state; `approved="yes"` with a state that says work remains (`new`, `needs-…`) is a
//!   conflict, decided for the state: not stored, reported. XLIFF 2.x: the segment's `state`
//!   `translated`, `reviewed` or `final`.
//! - a file mizan wrote (it has `mz:written-state`) follows the rules of every pre-translation
//!   file ([`super::pretranslated::returned_row`]): a state that is still the one mizan wrote says
//!   nothing about the translator (OmegaT never changes it), so an edited target is a `human`,
//!   `reviewed` unit and an untouched suggestion is not stored (an exact one counts a use of its
//!   unit); a state or status the tool changed decides as above (finished: the row is confirmed).
//!   A target still equal to the copy of the source mizan wrote is not a translation.
//! - in another tool's file, a finished target equal to one of its own fuzzy, leveraged or
//!   machine `<alt-trans>` suggestions with that `state-qualifier` is stored `unreviewed`.
//!
//! Everything not stored is counted (skipped: unfinished, no target; rejected: unreadable text)
//! with its line. Stored units are `human` and `reviewed` unless a rule above says otherwise; they
//! keep the file's `original` as document and the segment's position (`mz:position`, else its
//! 0-based place in its `<file>`), the state, qualifier, `approved`, Trados/memoQ status, ids
//! and `resname` as `x-xliff-*`/`x-sdl-conf`/`x-mq-status` properties, `<note>`s as the note, and
//! the memoQ/Trados author as `changed_by`. Re-importing a file adds nothing (the same units are
//! duplicates).
//!
//! Text: inline codes leave out their native code (a space where a code stood between two word
//! characters, as for TMX); `<g>`, `<pc>`, `<mrk>`, `<sub>` give their text; deleted revisions
//! (`mrk mtype="x-sdl-deleted"`, `del`) and memoQ history (`mq:historical-unit`) give nothing.
//! The markup itself is not stored. `<seg-source>` with `<mrk mtype="seg">` (Trados, memoQ) gives
//! one segment per mark, matched to the target's mark of the same `mid`; a 2.x unit gives one
//! per `<segment>`.
//!
//! Decisions, reported per file: an undeclared target language is read as the TM's (a notice);
//! a source or target language that is not the TM's refuses the file ([`FormatError::Invalid`]
//! with line and column); so do XML that is not well-formed, a root that is not `<xliff>` and a
//! version mizan does not read — nothing is stored from such a file. Text with bytes invalid in
//! the file's encoding rejects its trans-unit/unit (reported with its line); the others are read.
//! Namespaces are known by their usual prefixes (`sdl`, `mq`, `mz`).
//!
//! Invariant of the reader: the file is read whole before any record is handed out (a job file is
//! one document), so a file that turns out bad stores nothing, even with `--keep-going`.
//!
//! [`FormatError::Invalid`]: super::FormatError::Invalid

mod inline;
mod read;
mod write;

pub(crate) use read::check_rows;
pub use read::XliffReader;
pub use write::{write_xliff, write_xliff2, XliffOptions};

/// The namespace of mizan's own attributes in XLIFF files.
pub const MZ_NS: &str = "urn:mizan:xliff";
/// `mz:position`: the segment's 0-based position in the article.
const MZ_POSITION: &str = "position";
/// `mz:unit-id`: the unit the best suggestion came from.
const MZ_UNIT: &str = "unit-id";
/// `mz:suggestion`: the target as mizan wrote it.
const MZ_SUGGESTION: &str = "suggestion";
/// `mz:written-state`: the state mizan wrote (1.2 target `state`, 2.x segment `state`).
const MZ_WRITTEN_STATE: &str = "written-state";
/// The written state of a trans-unit mizan wrote without a target.
const STATE_NONE: &str = "none";
