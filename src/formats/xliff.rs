//! XLIFF 1.2 output for pre-translated articles: one `<trans-unit>` per segment, the best match as
//! `<target>` and the other matches as `<alt-trans>`, so that CAT tools (OmegaT, translate-toolkit,
//! Okapi) open it as a bilingual file.
//!
//! Invariants: the output is well-formed UTF-8 XML (characters XML 1.0 forbids are dropped); no
//! pre-filled target claims more than mizan knows — only an exact match from a reviewed unit with
//! no penalty (ranked score 100) is `state="translated"` (`state-qualifier="exact-match"`), every
//! other suggestion is `needs-review-translation` (`fuzzy-match`, or `leveraged-tm` for an exact
//! match from an unreviewed unit). Every `<alt-trans>` carries its ranked score (`match-quality`)
//! and, in the `urn:mizan:xliff` namespace (prefix `mz`), the unit's id, origin and status and the
//! fuzzy score before penalties.

use std::io::Write;

use crate::unit::Pretranslated;

/// Escapes XML text, dropping the characters XML 1.0 forbids (as the TMX writer does).
fn esc(out: &mut String, s: &str) {
    super::tmx::escape_into(out, s);
}

/// Writes `segments` as an XLIFF 1.2 document for `original` (the article's file name).
///
/// # Errors
/// An I/O error from `out`.
pub fn write_xliff<W: Write>(
    mut out: W,
    original: &str,
    source_lang: &str,
    target_lang: &str,
    segments: &[Pretranslated],
) -> std::io::Result<()> {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" xmlns:mz=\"urn:mizan:xliff\">\n  <file original=\"");
    esc(&mut s, original);
    s.push_str("\" source-language=\"");
    esc(&mut s, source_lang);
    s.push_str("\" target-language=\"");
    esc(&mut s, target_lang);
    s.push_str("\" datatype=\"plaintext\" tool-id=\"mizan\">\n    <header><tool tool-id=\"mizan\" tool-name=\"mizan\" tool-version=\"");
    s.push_str(env!("CARGO_PKG_VERSION"));
    s.push_str("\"/></header>\n    <body>\n");
    for seg in segments {
        s.push_str(&format!(
            "      <trans-unit id=\"{}\" xml:space=\"preserve\">\n        <source>",
            seg.index + 1
        ));
        esc(&mut s, &seg.source);
        s.push_str("</source>\n");
        if let Some(best) = seg.matches.first() {
            let (state, qualifier) = if best.score >= 100.0 {
                ("translated", "exact-match")
            } else if best.fuzzy_score >= 100.0 {
                ("needs-review-translation", "leveraged-tm")
            } else {
                ("needs-review-translation", "fuzzy-match")
            };
            s.push_str(&format!(
                "        <target state=\"{state}\" state-qualifier=\"{qualifier}\">"
            ));
            esc(&mut s, &best.suggestion);
            s.push_str("</target>\n");
        }
        for m in &seg.matches {
            s.push_str(&format!(
                "        <alt-trans match-quality=\"{:.1}\" origin=\"mizan:{}\" mz:unit-id=\"{}\" mz:unit-origin=\"{}\" mz:unit-status=\"{}\" mz:fuzzy-score=\"{:.1}\">\n          <source>",
                m.score,
                m.unit.id,
                m.unit.id,
                m.unit.origin.as_str(),
                m.unit.status.as_str(),
                m.fuzzy_score
            ));
            esc(&mut s, &m.unit.source);
            s.push_str("</source>\n          <target>");
            esc(&mut s, &m.suggestion);
            s.push_str("</target>\n        </alt-trans>\n");
        }
        s.push_str("      </trans-unit>\n");
        out.write_all(s.as_bytes())?;
        s.clear();
    }
    s.push_str("    </body>\n  </file>\n</xliff>\n");
    out.write_all(s.as_bytes())?;
    out.flush()
}
