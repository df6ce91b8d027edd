//! Writing pre-translated articles as XLIFF 1.2 and XLIFF 2.1 (see the module doc of
//! [`super`] for what each element and attribute says).

use std::io::Write;

use super::inline::{self, Dialect};
use super::{MZ_NS, MZ_POSITION, MZ_SUGGESTION, MZ_UNIT, MZ_WRITTEN_STATE, STATE_NONE};
use crate::unit::{Pretranslated, Suggestion};

/// Choices of the XLIFF writers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct XliffOptions {
    /// Give a segment without a suggestion a `<target state="new">` holding a copy of its source,
    /// instead of no target. OmegaT's XLIFF filter (3.x) translates the text of `<target>` and
    /// skips a trans-unit without one, so a file for OmegaT needs this.
    pub copy_source: bool,
}

/// Whether segment `index` is a context (101%) match: `context` has one flag per segment (an
/// empty slice: none is).
fn in_context(context: &[bool], index: usize) -> bool {
    context.get(index).copied().unwrap_or(false)
}

/// Escapes XML text, dropping the characters XML 1.0 forbids (as the TMX writer does).
fn esc(out: &mut String, s: &str) {
    super::super::tmx::escape_into(out, s);
}

/// Escaped text as a new string.
/// The `from` of the XLIFF 1.2 `<note>` that lists a segment's glossary terms
/// ([`crate::formats::pretranslated::terms_field`]): information, not read back on import.
pub const TERMS_NOTE_FROM: &str = "mizan-terms";

fn escaped(s: &str) -> String {
    let mut out = String::new();
    esc(&mut out, s);
    out
}

/// What mizan can say about its best suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Ranked score 100: an exact match from a reviewed unit, no penalty.
    Exact,
    /// An exact source match that a penalty (unreviewed unit, alternatives, …) keeps below 100.
    Leveraged,
    /// A fuzzy match.
    Fuzzy,
}

pub(super) fn kind(best: &Suggestion) -> Kind {
    if best.score >= 100.0 {
        Kind::Exact
    } else if best.fuzzy_score >= 100.0 {
        Kind::Leveraged
    } else {
        Kind::Fuzzy
    }
}

/// The XLIFF 1.2 `state` and `state-qualifier` of a target holding `best`; a context match
/// (`context`) is an `id-match`.
pub(super) fn state_12(best: &Suggestion, context: bool) -> (&'static str, &'static str) {
    match kind(best) {
        Kind::Exact if context => ("translated", "id-match"),
        Kind::Exact => ("translated", "exact-match"),
        Kind::Leveraged => ("needs-review-translation", "leveraged-tm"),
        Kind::Fuzzy => ("needs-review-translation", "fuzzy-match"),
    }
}

/// The XLIFF 2.x `state` of a target holding `best`.
pub(super) fn state_2(best: &Suggestion) -> &'static str {
    match kind(best) {
        Kind::Exact => "translated",
        Kind::Leveraged | Kind::Fuzzy => "initial",
    }
}

/// The best suggestion's target as XLIFF content: the stored unit's inline codes when the
/// suggestion is the stored target unchanged (no number was put in), else the plain suggestion.
fn suggestion_content(best: &Suggestion, dialect: Dialect) -> String {
    match &best.unit.target_markup {
        Some(markup) if best.suggestion == best.unit.target => {
            inline::convert(markup, dialect, "t").unwrap_or_else(|| escaped(&best.suggestion))
        }
        _ => escaped(&best.suggestion),
    }
}

/// A stored text as XLIFF content: its inline codes when it has markup, else the text.
fn stored_content(text: &str, markup: Option<&str>, dialect: Dialect, prefix: &str) -> String {
    markup
        .and_then(|m| inline::convert(m, dialect, prefix))
        .unwrap_or_else(|| escaped(text))
}

/// The `mz:` attributes of a segment: its position, and what mizan wrote as its target.
fn mz_attrs(s: &mut String, seg: &Pretranslated, written_state: &str, opts: &XliffOptions) {
    s.push_str(&format!(" mz:{MZ_POSITION}=\"{}\"", seg.index));
    match seg.matches.first() {
        Some(best) => {
            s.push_str(&format!(" mz:{MZ_UNIT}=\"{}\" mz:{MZ_SUGGESTION}=\"", best.unit.id));
            esc(s, &best.suggestion);
            s.push_str(&format!("\" mz:{MZ_WRITTEN_STATE}=\"{written_state}\""));
        }
        None if opts.copy_source => {
            s.push_str(&format!(" mz:{MZ_SUGGESTION}=\""));
            esc(s, &seg.source);
            s.push_str(&format!("\" mz:{MZ_WRITTEN_STATE}=\"{written_state}\""));
        }
        None => s.push_str(&format!(" mz:{MZ_WRITTEN_STATE}=\"{written_state}\"")),
    }
}

/// The `mz:` attributes of an alternative: the unit it is, its origin and status, and the fuzzy
/// score before penalties.
fn mz_match_attrs(s: &mut String, m: &Suggestion) {
    s.push_str(&format!(
        " mz:unit-id=\"{}\" mz:unit-origin=\"{}\" mz:unit-status=\"{}\" mz:fuzzy-score=\"{:.1}\"",
        m.unit.id,
        m.unit.origin.as_str(),
        m.unit.status.as_str(),
        m.fuzzy_score
    ));
}

/// Writes `segments` as an XLIFF 1.2 document for `original` (the article's file name);
/// `context` flags the segments that are context (101%) matches
/// ([`crate::report::context_matches`]; empty: none).
///
/// # Errors
/// An I/O error from `out`.
pub fn write_xliff<W: Write>(
    mut out: W,
    original: &str,
    source_lang: &str,
    target_lang: &str,
    segments: &[Pretranslated],
    context: &[bool],
    opts: &XliffOptions,
) -> std::io::Result<()> {
    let mut s = String::new();
    s.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" xmlns:mz=\"{MZ_NS}\">\n  <file original=\""
    ));
    esc(&mut s, original);
    s.push_str("\" source-language=\"");
    esc(&mut s, source_lang);
    s.push_str("\" target-language=\"");
    esc(&mut s, target_lang);
    s.push_str("\" datatype=\"plaintext\" tool-id=\"mizan\">\n    <header><tool tool-id=\"mizan\" tool-name=\"mizan\" tool-version=\"");
    s.push_str(env!("CARGO_PKG_VERSION"));
    s.push_str("\"/></header>\n    <body>\n");
    for seg in segments {
        let best = seg.matches.first();
        let written_state = match best {
            Some(b) => state_12(b, false).0,
            None if opts.copy_source => "new",
            None => STATE_NONE,
        };
        s.push_str(&format!(
            "      <trans-unit id=\"{}\" xml:space=\"preserve\"",
            seg.index + 1
        ));
        mz_attrs(&mut s, seg, written_state, opts);
        s.push_str(">\n        <source>");
        esc(&mut s, &seg.source);
        s.push_str("</source>\n");
        match best {
            Some(best) => {
                let (state, qualifier) = state_12(best, in_context(context, seg.index));
                s.push_str(&format!(
                    "        <target state=\"{state}\" state-qualifier=\"{qualifier}\">{}</target>\n",
                    suggestion_content(best, Dialect::Xliff12)
                ));
            }
            None if opts.copy_source => {
                s.push_str("        <target state=\"new\">");
                esc(&mut s, &seg.source);
                s.push_str("</target>\n");
            }
            None => {}
        }
        for m in &seg.matches {
            s.push_str(&format!(
                "        <alt-trans match-quality=\"{:.1}\" origin=\"mizan:{}\" alttranstype=\"proposal\"",
                m.score, m.unit.id
            ));
            mz_match_attrs(&mut s, m);
            s.push_str(&format!(
                ">\n          <source>{}</source>\n          <target>{}</target>\n        </alt-trans>\n",
                stored_content(&m.unit.source, m.unit.source_markup.as_deref(), Dialect::Xliff12, "s"),
                stored_content(&m.unit.target, m.unit.target_markup.as_deref(), Dialect::Xliff12, "t"),
            ));
        }
        if !seg.terms.is_empty() {
            // The glossary's terms of the segment, for the translator; import skips this note.
            s.push_str(&format!(
                "        <note from=\"{TERMS_NOTE_FROM}\" annotates=\"source\">{}</note>\n",
                escaped(&crate::formats::pretranslated::terms_field(&seg.terms))
            ));
        }
        s.push_str("      </trans-unit>\n");
        out.write_all(s.as_bytes())?;
        s.clear();
    }
    s.push_str("    </body>\n  </file>\n</xliff>\n");
    out.write_all(s.as_bytes())?;
    out.flush()
}

/// Writes `segments` as an XLIFF 2.1 document for `original`: one `<unit>` with one `<segment>`
/// per article segment, the matches in the matches module (`mtc:`); a context match (flagged in
/// `context`) has `mtc:match type="icm"` (in-context match) for its best match.
///
/// # Errors
/// An I/O error from `out`.
pub fn write_xliff2<W: Write>(
    mut out: W,
    original: &str,
    source_lang: &str,
    target_lang: &str,
    segments: &[Pretranslated],
    context: &[bool],
    opts: &XliffOptions,
) -> std::io::Result<()> {
    let mut s = String::new();
    s.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"2.1\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" xmlns:mtc=\"urn:oasis:names:tc:xliff:matches:2.0\" xmlns:gls=\"urn:oasis:names:tc:xliff:glossary:2.0\" xmlns:mz=\"{MZ_NS}\" srcLang=\""
    ));
    esc(&mut s, source_lang);
    s.push_str("\" trgLang=\"");
    esc(&mut s, target_lang);
    s.push_str("\">\n  <file id=\"f1\" original=\"");
    esc(&mut s, original);
    s.push_str("\">\n");
    for seg in segments {
        let best = seg.matches.first();
        let written_state = match best {
            Some(b) => state_2(b),
            None => "initial",
        };
        s.push_str(&format!("    <unit id=\"u{}\"", seg.index + 1));
        mz_attrs(&mut s, seg, written_state, opts);
        s.push_str(">\n");
        if !seg.matches.is_empty() {
            s.push_str("      <mtc:matches>\n");
            for (i, m) in seg.matches.iter().enumerate() {
                s.push_str(&format!(
                    "        <mtc:match id=\"m{}\" ref=\"#s{}\" type=\"{}\" origin=\"mizan:{}\" matchQuality=\"{:.1}\" similarity=\"{:.1}\"",
                    i + 1,
                    seg.index + 1,
                    if i == 0 && in_context(context, seg.index) && kind(m) == Kind::Exact {
                        "icm"
                    } else {
                        "tm"
                    },
                    m.unit.id,
                    m.score.clamp(0.0, 100.0),
                    m.fuzzy_score.clamp(0.0, 100.0)
                ));
                mz_match_attrs(&mut s, m);
                s.push_str(&format!(
                    ">\n          <source>{}</source>\n          <target>{}</target>\n        </mtc:match>\n",
                    stored_content(
                        &m.unit.source,
                        m.unit.source_markup.as_deref(),
                        Dialect::Xliff2,
                        &format!("m{}s", i + 1)
                    ),
                    stored_content(
                        &m.unit.target,
                        m.unit.target_markup.as_deref(),
                        Dialect::Xliff2,
                        &format!("m{}t", i + 1)
                    ),
                ));
            }
            s.push_str("      </mtc:matches>\n");
        }
        if !seg.terms.is_empty() {
            // The glossary module: one entry per term found, its translations as the glossary's.
            s.push_str("      <gls:glossary>\n");
            for t in &seg.terms {
                s.push_str("        <gls:glossEntry>\n          <gls:term source=\"mizan\">");
                esc(&mut s, &t.source);
                s.push_str("</gls:term>\n");
                for target in &t.targets {
                    s.push_str("          <gls:translation source=\"mizan\">");
                    esc(&mut s, target);
                    s.push_str("</gls:translation>\n");
                }
                s.push_str("        </gls:glossEntry>\n");
            }
            s.push_str("      </gls:glossary>\n");
        }
        s.push_str(&format!("      <segment id=\"s{}\"", seg.index + 1));
        match best {
            Some(best) => s.push_str(&format!(" state=\"{}\"", state_2(best))),
            None => s.push_str(" state=\"initial\""),
        }
        s.push_str(">\n        <source xml:space=\"preserve\">");
        esc(&mut s, &seg.source);
        s.push_str("</source>\n");
        match best {
            Some(best) => s.push_str(&format!(
                "        <target xml:space=\"preserve\">{}</target>\n",
                suggestion_content(best, Dialect::Xliff2)
            )),
            None if opts.copy_source => {
                s.push_str("        <target xml:space=\"preserve\">");
                esc(&mut s, &seg.source);
                s.push_str("</target>\n");
            }
            None => {}
        }
        s.push_str("      </segment>\n    </unit>\n");
        out.write_all(s.as_bytes())?;
        s.clear();
    }
    s.push_str("  </file>\n</xliff>\n");
    out.write_all(s.as_bytes())?;
    out.flush()
}
