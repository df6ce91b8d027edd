//! TMX: a streaming reader (TMX 1.1–1.4b, UTF-8 or UTF-16 with BOM) and a streaming TMX 1.4b
//! writer.
//!
//! Reader invariants:
//! - memory does not grow with the file (one `<tu>` at a time); DTD entities are never expanded and
//!   nothing is fetched (an undefined entity rejects its `<tu>`);
//! - a file is read to its end or not at all: XML that is not well formed, and a file that ends
//!   while elements are still open (truncated at a tag boundary), is a [`FormatError::Xml`] with
//!   its line and column, after the units read before it (which the importer stores only with
//!   `--keep-going`); a file in which no `<tu>` has the language pair is a
//!   [`FormatError::NoLanguagePair`] naming the languages it has;
//! - line ends are read as XML defines them (`\r\n` and a lone `\r` are `\n`; `&#13;` stays a CR);
//! - variants are picked by language with region fallback, never by position; the `<note>`s and
//!   `<prop>`s of the picked `<tuv>`s are kept as unit properties named for their side (below),
//!   those of the other variants are dropped;
//! - inline markup (`bpt`, `ept`, `ph`, `it`, `hi`, `ut`, `sub`, and elements of other namespaces)
//!   is kept as written in `source_markup`/`target_markup` — end tags with their prefix, and a
//!   namespace prefix declared outside the `<seg>` declared again on the element that uses it, so
//!   that the markup is well-formed XML on its own.
//!
//! The plain `source`/`target` of a `<seg>` with inline markup is derived from it, and is what
//! matching, concordance and de-duplication see (the markup itself stays byte-exact beside it;
//! a `<seg>` without markup gives its text exactly):
//! - the native code inside `bpt`, `ept`, `ph`, `it` and `ut` is left out;
//! - where such a code stood between two word characters, a space stands instead (`هنا<ph/>للمتابعة`
//!   gives `هنا للمتابعة`: a placeholder is a line break, an image, a field, never a letter, and
//!   two words glued by it would be one word to the matcher); a code next to white space or
//!   punctuation leaves nothing;
//! - the text of a `<sub>` (a footnote, an alt text inside a code) is translatable text of the
//!   segment: it is part of the plain text, set off from the words around it the same way.
//!
//! Properties of a variant: its `<note>`s are stored as `x-mizan-source-note` /
//! `x-mizan-target-note`, its `<prop type="T">` as `x-mizan-source-prop:T` /
//! `x-mizan-target-prop:T`, after the `<tu>`'s own properties, the source variant's before the
//! target's, each in document order; the writer puts each back into its `<tuv>`.
//!
//! Writer invariants: output is UTF-8, well-formed and valid against the TMX 1.4b DTD (markup of
//! other namespaces aside); characters XML 1.0 forbids are removed from `<seg>` and kept, escaped,
//! in `x-mizan-source-raw` / `x-mizan-target-raw` properties, which the reader turns back into the
//! exact text.
//!
//! Review status: the writer gives every `<tu>` `<prop type="x-mizan-status">` (`reviewed` or
//! `unreviewed`). The reader takes a unit's status from, in this order: `x-mizan-status` (any
//! spelling [`Status::from_label`] reads); Trados' `x-ConfirmationLevel` (`Translated`,
//! `ApprovedTranslation`, `ApprovedSignOff` → reviewed; `Draft`, `RejectedTranslation`,
//! `RejectedSignOff` → unreviewed); Trados' `x-Origin` naming alignment or machine translation →
//! unreviewed; else the origin's default ([`Status::default_for`]). Only `x-mizan-status` is
//! consumed; the other tools' properties are kept as they are. A `<tu>` of a pre-translation file
//! is read by the rules of [`super::pretranslated::returned_row`].

use std::borrow::Cow;
use std::io::{BufRead, Read, Write};

use quick_xml::events::{BytesStart, Event};

use super::pretranslated::{
    returned_row, unit_in_note, PROP_MATCH_ORIGIN, PROP_MATCH_SCORE, PROP_MATCH_STATUS, PROP_MATCH_TARGET,
    PROP_MATCH_UNIT, PROP_TERMS,
};
use super::tabular::{CheckRow, CheckRows};
use super::{FormatError, ReadOptions, Record, Rejection};
use crate::unit::{date, LangTag, NewUnit, Origin, Status, Unit, UnitView};

/// Property types mizan writes for its own provenance.
const P_ORIGIN: &str = "x-mizan-origin";
/// The unit's review status, written on every `<tu>`.
pub const PROP_STATUS: &str = "x-mizan-status";
const P_DOCUMENT: &str = "x-mizan-document";
const P_POSITION: &str = "x-mizan-position";
const P_SOURCE_RAW: &str = "x-mizan-source-raw";
const P_TARGET_RAW: &str = "x-mizan-target-raw";
/// A `<note>` of the source or target `<tuv>`, stored as a unit property.
const P_SOURCE_NOTE: &str = "x-mizan-source-note";
const P_TARGET_NOTE: &str = "x-mizan-target-note";
/// A `<prop type="T">` of the source or target `<tuv>`, stored as the unit property `…:T`.
const P_SOURCE_PROP: &str = "x-mizan-source-prop:";
const P_TARGET_PROP: &str = "x-mizan-target-prop:";

/// One side of a unit: the source or the target variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Source,
    Target,
}

/// The unit property that keeps a `<note>` (`prop` is `None`) or a `<prop type="…">` of the
/// variant on `side`; [`variant_item`] reads it back.
fn variant_item_kind(side: Side, prop: Option<&str>) -> String {
    match (side, prop) {
        (Side::Source, None) => P_SOURCE_NOTE.to_string(),
        (Side::Target, None) => P_TARGET_NOTE.to_string(),
        (Side::Source, Some(t)) => format!("{P_SOURCE_PROP}{t}"),
        (Side::Target, Some(t)) => format!("{P_TARGET_PROP}{t}"),
    }
}

/// Where a stored unit property belongs in a `<tu>`: to a variant (as a `<note>`, or as a
/// `<prop>` of this type), or to the `<tu>` itself (`None`).
fn variant_item(kind: &str) -> Option<(Side, Option<&str>)> {
    match kind {
        P_SOURCE_NOTE => Some((Side::Source, None)),
        P_TARGET_NOTE => Some((Side::Target, None)),
        _ => {
            if let Some(t) = kind.strip_prefix(P_SOURCE_PROP) {
                Some((Side::Source, Some(t)))
            } else {
                kind.strip_prefix(P_TARGET_PROP).map(|t| (Side::Target, Some(t)))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Whether XML 1.0 allows this character.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Bytes the escaper must look at: `& < > " \r`, the C0 controls other than tab and line feed
/// (which XML forbids), and 0xEF (the lead byte of U+FFFE and U+FFFF, which XML forbids too).
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b != b'\t' as usize && b != b'\n' as usize;
        b += 1;
    }
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[0xEF] = true;
    t
};

/// The next byte of `bytes` at or after `from` that the escaper must change, with its
/// replacement and the width of what it replaces; `None` when the rest is ordinary text.
#[inline]
fn next_special(bytes: &[u8], mut from: usize) -> Option<(usize, &'static str, usize)> {
    while from < bytes.len() {
        let i = from + bytes[from..].iter().position(|&b| SPECIAL[b as usize])?;
        let hit = match bytes[i] {
            b'&' => Some(("&amp;", 1)),
            b'<' => Some(("&lt;", 1)),
            b'>' => Some(("&gt;", 1)),
            b'"' => Some(("&quot;", 1)),
            b'\r' => Some(("&#13;", 1)),
            // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not XML characters.
            0xEF if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) => Some(("", 3)),
            0xEF => None,
            _ => Some(("", 1)),
        };
        match hit {
            Some((replacement, width)) => return Some((i, replacement, width)),
            None => from = i + 1,
        }
    }
    None
}

/// Escapes `s` as XML text or attribute content, dropping forbidden characters; returns how many
/// were dropped. Copies runs of ordinary text at once (exports spend most of their time here).
pub(crate) fn escape_into(out: &mut String, s: &str) -> u64 {
    let mut dropped = 0;
    let mut run = 0;
    while let Some((i, replacement, width)) = next_special(s.as_bytes(), run) {
        out.push_str(&s[run..i]);
        if replacement.is_empty() {
            dropped += 1;
        }
        out.push_str(replacement);
        run = i + width;
    }
    out.push_str(&s[run..]);
    dropped
}

/// [`escape_into`] into a byte buffer (the writer's): the result is UTF-8 too.
fn escape_bytes(out: &mut Vec<u8>, s: &str) -> u64 {
    let bytes = s.as_bytes();
    let mut dropped = 0;
    let mut run = 0;
    while let Some((i, replacement, width)) = next_special(bytes, run) {
        out.extend_from_slice(&bytes[run..i]);
        if replacement.is_empty() {
            dropped += 1;
        }
        out.extend_from_slice(replacement.as_bytes());
        run = i + width;
    }
    out.extend_from_slice(&bytes[run..]);
    dropped
}

/// Whether `s` holds a character XML 1.0 forbids. A branch-free pass over the bytes first (a
/// forbidden character always has a byte below 0x20 or the byte 0xEF), the exact check only then.
fn has_forbidden(s: &str) -> bool {
    let suspicious = s
        .as_bytes()
        .iter()
        .fold(false, |acc, &b| acc | (b < 0x20) | (b == 0xEF));
    suspicious && !s.chars().all(xml_allowed)
}

/// Appends a stored date (`2026-11-27T18:48:30Z`) in the TMX spelling (`20261127T184830Z`).
fn push_tmx_date(out: &mut Vec<u8>, stored: &str) {
    out.extend(stored.bytes().filter(|b| *b != b'-' && *b != b':'));
}

/// `\` → `\\`, forbidden characters → `\uXXXX`: how the exact text travels in a raw property.
fn raw_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c == '\\' {
            out.push_str("\\\\");
        } else if xml_allowed(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{:04X}", c as u32));
        }
    }
    out
}

fn raw_unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next()? {
            '\\' => out.push('\\'),
            'u' => {
                let hex: String = it.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// What the header of an exported file says.
#[derive(Debug, Clone)]
pub struct TmxHeader {
    /// `srclang`: the source language, or `*all*` when the units have several.
    pub srclang: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportReport {
    /// Units written.
    pub units: u64,
    /// Characters XML 1.0 forbids, removed from the XML text (kept in raw properties).
    pub forbidden_chars: u64,
}

/// Bytes the writer gathers before handing them to its output.
const WRITE_CHUNK: usize = 1 << 18;

/// Writes TMX 1.4b, one unit at a time.
///
/// Output is gathered in a buffer of a quarter MiB and handed to the output in such chunks;
/// [`TmxWriter::finish`] writes the rest and flushes. Dropping the writer without `finish` loses
/// the buffered units (the file is incomplete anyway: it lacks its closing tags).
pub struct TmxWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    report: ExportReport,
}

impl<W: Write> TmxWriter<W> {
    /// Writes the prolog and header.
    ///
    /// # Errors
    /// An I/O error from `out`.
    pub fn new(out: W, header: &TmxHeader) -> std::io::Result<Self> {
        Self::with_header_items(out, header, &[])
    }

    /// Like [`TmxWriter::new`], with these `<prop>`, `<note>` and `<ude>` elements in the header
    /// (the [`HeaderItem::xml`] of items kept from imported files).
    ///
    /// # Errors
    /// An I/O error from `out`.
    pub fn with_header_items(mut out: W, header: &TmxHeader, items: &[String]) -> std::io::Result<Self> {
        let mut h = String::new();
        h.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\">\n  <header creationtool=\"mizan\" creationtoolversion=\"");
        h.push_str(env!("CARGO_PKG_VERSION"));
        h.push_str("\" datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" srclang=\"");
        escape_into(&mut h, &header.srclang);
        h.push_str("\" o-tmf=\"mizan\" creationdate=\"");
        h.push_str(&date::to_tmx(&date::now()));
        if items.is_empty() {
            h.push_str("\"/>\n  <body>\n");
        } else {
            h.push_str("\">\n");
            for item in items {
                h.push_str("    ");
                h.push_str(item);
                h.push('\n');
            }
            h.push_str("  </header>\n  <body>\n");
        }
        out.write_all(h.as_bytes())?;
        Ok(TmxWriter {
            out,
            buf: Vec::with_capacity(WRITE_CHUNK + (1 << 14)),
            report: ExportReport::default(),
        })
    }

    fn text(&mut self, s: &str) {
        self.report.forbidden_chars += escape_bytes(&mut self.buf, s);
    }

    fn attr(&mut self, name: &str, value: &str) {
        self.buf.push(b' ');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.extend_from_slice(b"=\"");
        self.text(value);
        self.buf.push(b'"');
    }

    fn date_attr(&mut self, name: &str, stored: &str) {
        self.buf.push(b' ');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.extend_from_slice(b"=\"");
        push_tmx_date(&mut self.buf, stored);
        self.buf.push(b'"');
    }

    fn prop(&mut self, kind: &str, value: &str) {
        self.buf.extend_from_slice(b"      <prop type=\"");
        escape_bytes(&mut self.buf, kind);
        self.buf.extend_from_slice(b"\">");
        self.text(value);
        self.buf.extend_from_slice(b"</prop>\n");
    }

    fn tuv(&mut self, side: Side, lang: &str, text: &str, markup: Option<&str>, props: &[(String, String)]) {
        self.buf.extend_from_slice(b"      <tuv xml:lang=\"");
        self.buf.extend_from_slice(lang.as_bytes());
        self.buf.extend_from_slice(b"\">");
        for (kind, value) in props {
            match variant_item(kind) {
                Some((s, None)) if s == side => {
                    self.buf.extend_from_slice(b"<note>");
                    self.text(value);
                    self.buf.extend_from_slice(b"</note>");
                }
                Some((s, Some(t))) if s == side => {
                    self.buf.extend_from_slice(b"<prop type=\"");
                    escape_bytes(&mut self.buf, t);
                    self.buf.extend_from_slice(b"\">");
                    self.text(value);
                    self.buf.extend_from_slice(b"</prop>");
                }
                _ => {}
            }
        }
        self.buf.extend_from_slice(b"<seg>");
        match markup {
            Some(m) => self.buf.extend_from_slice(m.as_bytes()),
            None => self.text(text),
        }
        self.buf.extend_from_slice(b"</seg></tuv>\n");
    }

    /// Writes one unit as a `<tu>`.
    ///
    /// # Errors
    /// An I/O error from the output.
    pub fn write_unit(&mut self, u: &Unit) -> std::io::Result<()> {
        self.write_view(&u.view())
    }

    /// Writes one unit, borrowed from the TM's cursor, as a `<tu>` (what [`TmxWriter::write_unit`]
    /// does, without an owned [`Unit`]).
    ///
    /// # Errors
    /// An I/O error from the output.
    pub fn write_view(&mut self, u: &UnitView<'_>) -> std::io::Result<()> {
        self.buf.extend_from_slice(b"    <tu");
        if let Some(t) = u.tuid {
            self.attr("tuid", t);
        }
        self.date_attr("creationdate", u.created_at);
        if let Some(a) = u.created_by {
            self.attr("creationid", a);
        }
        self.date_attr("changedate", u.changed_at);
        if let Some(a) = u.changed_by {
            self.attr("changeid", a);
        }
        if u.usage_count != 0 {
            self.buf.extend_from_slice(b" usagecount=\"");
            self.buf.extend_from_slice(u.usage_count.to_string().as_bytes());
            self.buf.push(b'"');
        }
        if let Some(d) = u.last_used_at {
            self.date_attr("lastusagedate", d);
        }
        self.buf.extend_from_slice(b">\n");
        if let Some(n) = u.note {
            self.buf.extend_from_slice(b"      <note>");
            self.text(n);
            self.buf.extend_from_slice(b"</note>\n");
        }
        self.prop(P_ORIGIN, u.origin.as_str());
        self.prop(PROP_STATUS, u.status.as_str());
        if let Some(d) = u.document {
            self.prop(P_DOCUMENT, d);
        }
        if let Some(p) = u.position {
            self.prop(P_POSITION, &p.to_string());
        }
        if u.source_markup.is_none() && has_forbidden(u.source) {
            self.prop(P_SOURCE_RAW, &raw_escape(u.source));
        }
        if u.target_markup.is_none() && has_forbidden(u.target) {
            self.prop(P_TARGET_RAW, &raw_escape(u.target));
        }
        for (t, v) in u.props.iter().filter(|(t, _)| variant_item(t).is_none()) {
            self.prop(t, v);
        }
        self.tuv(Side::Source, u.source_lang, u.source, u.source_markup, u.props);
        self.tuv(Side::Target, u.target_lang, u.target, u.target_markup, u.props);
        self.buf.extend_from_slice(b"    </tu>\n");
        self.report.units += 1;
        if self.buf.len() >= WRITE_CHUNK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Closes the document and flushes.
    ///
    /// # Errors
    /// An I/O error from the output.
    pub fn finish(mut self) -> std::io::Result<ExportReport> {
        self.buf.extend_from_slice(b"  </body>\n</tmx>\n");
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(self.report)
    }
}

// ---------------------------------------------------------------------------------------------
// Header children

/// What a kept header child is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderItemKind {
    /// `<prop type="…">`: a tool's or project's property.
    Prop,
    /// `<note>`: a free note.
    Note,
    /// `<ude>`: a user-defined encoding with its `<map>`s.
    Ude,
}

impl HeaderItemKind {
    /// The element name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            HeaderItemKind::Prop => "prop",
            HeaderItemKind::Note => "note",
            HeaderItemKind::Ude => "ude",
        }
    }
}

/// A `<prop>`, `<note>` or `<ude>` of an imported file's `<header>`, kept so that export writes it
/// back into its own header.
///
/// `xml` is the element as mizan writes it: one line, the attributes the TMX 1.4b DTD allows in
/// a fixed order (`lang` of TMX 1.1 becomes `xml:lang`), text escaped, characters XML forbids
/// left out. The same item from two files (or from mizan's own export) is the same string, which
/// is how the TM stores each one once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderItem {
    /// Which element it is.
    pub kind: HeaderItemKind,
    /// The element, ready to write into a `<header>`.
    pub xml: String,
}

/// The value of attribute `name` (also under `alias`), if present.
fn attr_of<'v>(attrs: &'v [(String, String)], name: &str, alias: Option<&str>) -> Option<&'v str> {
    attrs
        .iter()
        .find(|(k, _)| k == name || Some(k.as_str()) == alias)
        .map(|(_, v)| v.as_str())
}

/// Writes ` name="value"` for each of `names` present in `attrs` (in the order of `names`).
fn push_attrs(out: &mut String, attrs: &[(String, String)], names: &[(&str, Option<&str>)], required: &[&str]) {
    for &(name, alias) in names {
        let value = attr_of(attrs, name, alias).or(required.contains(&name).then_some(""));
        if let Some(v) = value {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            escape_into(out, v);
            out.push('"');
        }
    }
}

/// A header `<prop>` or `<note>` as mizan writes it.
fn header_text_item(kind: HeaderItemKind, attrs: &[(String, String)], text: &str) -> HeaderItem {
    let mut xml = String::new();
    xml.push('<');
    xml.push_str(kind.as_str());
    let names: &[(&str, Option<&str>)] = match kind {
        HeaderItemKind::Prop => &[("type", None), ("xml:lang", Some("lang")), ("o-encoding", None)],
        _ => &[("xml:lang", Some("lang")), ("o-encoding", None)],
    };
    push_attrs(&mut xml, attrs, names, &["type"]);
    xml.push('>');
    escape_into(&mut xml, text);
    xml.push_str("</");
    xml.push_str(kind.as_str());
    xml.push('>');
    HeaderItem { kind, xml }
}

/// A header `<ude>` as mizan writes it; `None` without any `<map>` (the DTD needs one).
fn header_ude(attrs: &[(String, String)], maps: &[Vec<(String, String)>]) -> Option<HeaderItem> {
    if maps.is_empty() {
        return None;
    }
    let mut xml = String::from("<ude");
    push_attrs(&mut xml, attrs, &[("name", None), ("base", None)], &["name"]);
    xml.push('>');
    for m in maps {
        xml.push_str("<map");
        push_attrs(
            &mut xml,
            m,
            &[("unicode", None), ("code", None), ("ent", None), ("subst", None)],
            &["unicode"],
        );
        xml.push_str("/>");
    }
    xml.push_str("</ude>");
    Some(HeaderItem {
        kind: HeaderItemKind::Ude,
        xml,
    })
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Counts lines and columns of what the XML parser consumes, for error messages.
pub(super) struct Position<R> {
    pub(super) inner: R,
    pub(super) line: u64,
    pub(super) column: u64,
}

impl<R: BufRead> Read for Position<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let avail = self.fill_buf()?;
            let n = avail.len().min(buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Position<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let chunk = &buf[..amt.min(buf.len())];
            // Characters are counted by their first bytes (not UTF-8 continuation bytes); both
            // counts are branch-free passes the compiler vectorizes.
            let chars = |b: &[u8]| b.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
            let lines = chunk.iter().filter(|&&b| b == b'\n').count() as u64;
            if lines == 0 {
                self.column += chars(chunk);
            } else {
                self.line += lines;
                let last = chunk.iter().rposition(|&b| b == b'\n').unwrap_or(0);
                self.column = chars(&chunk[last + 1..]);
            }
        }
        self.inner.consume(amt);
    }
}

/// An element's attributes as read: (name, unescaped value), in document order.
type Attrs = Vec<(String, String)>;

/// One `<tuv>` as read.
#[derive(Debug, Default)]
struct Variant {
    lang: Option<String>,
    /// The plain text of `<seg>` (derived from its markup as the module documentation says).
    text: String,
    /// The inner XML of `<seg>` (kept only when it turns out to hold inline markup).
    markup: Vec<u8>,
    has_inline: bool,
    seen_seg: bool,
    /// A code or a `<sub>` began or ended since the last text: the next text is set off from the
    /// text before it by a space when both sides are word characters.
    pending_break: bool,
    /// The variant's `<note>`s (type `None`) and `<prop>`s (type `Some`), in document order.
    items: Vec<(Option<String>, String)>,
    created_by: Option<String>,
    changed_at: Option<String>,
    changed_by: Option<String>,
    created_at: Option<String>,
}

impl Variant {
    /// Appends text of the segment (not of a native code).
    fn push_text(&mut self, t: &str) {
        let Some(first) = t.chars().next() else { return };
        if std::mem::take(&mut self.pending_break)
            && self.text.chars().next_back().is_some_and(crate::text::is_word_or_digit)
            && crate::text::is_word_or_digit(first)
        {
            self.text.push(' ');
        }
        self.text.push_str(t);
    }
}

/// One `<tu>` as read.
#[derive(Debug, Default)]
struct TuState {
    line: u64,
    attrs: Vec<(String, String)>,
    notes: Vec<String>,
    props: Vec<(String, String)>,
    variants: Vec<Variant>,
    error: Option<String>,
}

/// Where the reader is inside the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inside {
    Nothing,
    Note,
    Prop,
    Seg,
}

/// Inline elements whose content is native code (left out of the plain text).
fn is_code(name: &str) -> bool {
    matches!(name, "bpt" | "ept" | "ph" | "it" | "ut")
}

/// Languages a refused file's message names at most.
const MAX_LANGS_NAMED: usize = 12;

/// Reads TMX one `<tu>` at a time.
pub struct TmxReader<'a> {
    xml: quick_xml::Reader<Position<Box<dyn BufRead + Send + 'a>>>,
    opts: ReadOptions,
    buf: Vec<u8>,
    tu: Option<TuState>,
    variant: Option<Variant>,
    inside: Inside,
    prop_type: String,
    field: String,
    /// Elements open at the reader's position, inline ones included: the file is complete only
    /// if this is 0 at its end.
    depth: usize,
    /// The depth of the open `<seg>`.
    seg_at: usize,
    /// For each inline element open inside the `<seg>`: whether its text is segment text (`hi`,
    /// `sub` and unknown elements: yes, unless inside a code; `bpt`, `ept`, `ph`, `it`, `ut`: no).
    flow: Vec<bool>,
    /// Namespace prefixes declared by the open elements: (the element's depth, prefix, URI).
    namespaces: Vec<(usize, String, String)>,
    /// `<tu>`s so far that have both languages of the pair (stored or rejected).
    paired: u64,
    /// The languages of the `<tu>`s skipped for want of the pair: distinct, in order of appearance.
    other_langs: Vec<String>,
    seen_root: bool,
    done: bool,
    /// Inside `<header>`: its `<prop>`, `<note>` and `<ude>` children are kept.
    in_header: bool,
    /// The attributes of the header `<prop>` or `<note>` being read.
    header_attrs: Vec<(String, String)>,
    /// The header `<ude>` being read: its attributes and its `<map>`s' attributes.
    ude: Option<(Attrs, Vec<Attrs>)>,
    /// For `mizan check` ([`check_rows`]): every `<tu>` with both languages, as read, before the
    /// import rules; `None` when importing.
    check_rows: Option<Vec<CheckRow>>,
}

/// The `encoding` of an XML declaration at the start of `head`, if any.
fn declared_encoding(head: &[u8]) -> Option<String> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let head = &head[..head.len().min(512)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let rest = &decl[decl.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].trim().to_string())
}

/// The attributes of an element as (name, unescaped value) pairs, in document order (shared
/// with the XLIFF reader).
pub(crate) fn attributes(e: &BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|e| format!("attribute {key}: {e}"))?
            .into_owned();
        out.push((key, value));
    }
    Ok(out)
}

/// Checks an element's attributes (well formed, values unescapable) without keeping them.
fn check_attrs(e: &BytesStart<'_>) -> Result<(), String> {
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        a.unescape_value()
            .map_err(|e| format!("attribute {}: {e}", String::from_utf8_lossy(a.key.as_ref())))?;
    }
    Ok(())
}

/// The namespace prefixes an element declares (`xmlns:p="uri"`), as (prefix, URI). Almost no
/// element declares any, which a look at its bytes tells without parsing its attributes.
pub(super) fn declared_prefixes(e: &BytesStart<'_>) -> Vec<(String, String)> {
    if !e.windows(6).any(|w| w == b"xmlns:") {
        return Vec::new();
    }
    e.attributes()
        .flatten()
        .filter_map(|a| {
            let prefix = std::str::from_utf8(a.key.as_ref()).ok()?.strip_prefix("xmlns:")?;
            Some((prefix.to_string(), a.unescape_value().ok()?.into_owned()))
        })
        .collect()
}

/// The namespace prefixes an element's name and attribute names use, except `xml` and `xmlns`
/// (bound by XML itself).
fn used_prefixes(e: &BytesStart<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if !e.contains(&b':') {
        return out;
    }
    let mut add = |name: &[u8]| {
        if let Some(colon) = name.iter().position(|&b| b == b':') {
            let prefix = &name[..colon];
            if prefix != b"xml" && prefix != b"xmlns" {
                let prefix = String::from_utf8_lossy(prefix).into_owned();
                if !out.contains(&prefix) {
                    out.push(prefix);
                }
            }
        }
    };
    add(e.name().as_ref());
    for a in e.attributes().flatten() {
        add(a.key.as_ref());
    }
    out
}

/// XML's line-end handling (XML 1.0 §2.11), which quick-xml leaves to its caller: `\r\n` and a
/// lone `\r` are read as `\n`. A CR written `&#13;` is a character reference, not a line end: it
/// is unescaped after this, and stays.
pub(crate) fn xml_line_ends(raw: &[u8]) -> Cow<'_, [u8]> {
    if !raw.contains(&b'\r') {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        if b == b'\r' {
            out.push(b'\n');
            bytes.next_if_eq(&b'\n');
        } else {
            out.push(b);
        }
    }
    Cow::Owned(out)
}

/// The text of raw character data (UTF-8: every input is transcoded to it), references unescaped.
pub(crate) fn unescape_text(raw: &[u8]) -> Result<Cow<'_, str>, String> {
    let s = std::str::from_utf8(raw).map_err(|e| format!("not UTF-8: {e}"))?;
    quick_xml::escape::unescape(s).map_err(|e| format!("{e} (mizan does not expand entities declared in a DTD)"))
}

fn is_unicode_label(label: &str) -> bool {
    matches!(
        label.to_ascii_lowercase().as_str(),
        "utf-8" | "utf8" | "utf-16" | "utf-16le" | "utf-16be" | "ucs-2" | "us-ascii" | "ascii"
    )
}

/// The local part of an element name (`tmx:tu` → `tu`; `xml:` names stay whole). A name that
/// is not UTF-8 becomes U+FFFD (no TMX element has such a name).
pub(crate) fn local(name: &[u8]) -> &str {
    let name = std::str::from_utf8(name).unwrap_or("\u{FFFD}");
    match name.rsplit_once(':') {
        Some((prefix, l)) if prefix != "xml" => l,
        _ => name,
    }
}

/// A TMX date (`20261127T184830Z`) in the stored form, read without the general date parser
/// (every `<tu>` of a CAT tool's file has two or three); anything else goes to [`date::parse`].
fn tmx_date(v: &str) -> Option<String> {
    let b = v.as_bytes();
    let fast = b.len() == 16 && b[8] == b'T' && b[15] == b'Z' && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit);
    if !fast {
        return date::parse(v).ok();
    }
    let num = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let month = time::Month::try_from(num(4..6) as u8).ok()?;
    time::Date::from_calendar_date(num(0..4) as i32, month, num(6..8) as u8).ok()?;
    time::Time::from_hms(num(9..11) as u8, num(11..13) as u8, num(13..15) as u8).ok()?;
    Some(format!(
        "{}-{}-{}T{}:{}:{}Z",
        &v[0..4],
        &v[4..6],
        &v[6..8],
        &v[9..11],
        &v[11..13],
        &v[13..15]
    ))
}

/// An XML file's bytes as UTF-8: UTF-8 passes through (a byte-order mark dropped), UTF-16 with a
/// byte-order mark and the legacy encodings an XML declaration names are transcoded on the fly.
///
/// # Errors
/// [`FormatError::Utf16WithoutBom`], [`FormatError::Encoding`] for an encoding mizan does not know,
/// an I/O error while looking at the first bytes.
pub(super) fn decoded_input<'a, R: BufRead + Send + 'a>(
    mut input: R,
    file: &str,
) -> Result<Box<dyn BufRead + Send + 'a>, FormatError> {
    let head = input.fill_buf().map_err(|source| FormatError::Io {
        file: file.to_string(),
        source,
    })?;
    let utf16_bom = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    if let Some(endian) = super::utf16_without_bom(head).filter(|_| !utf16_bom) {
        return Err(FormatError::Utf16WithoutBom {
            file: file.to_string(),
            endian,
        });
    }
    let legacy = match declared_encoding(head) {
        Some(label) if !is_unicode_label(&label) => match encoding_rs::Encoding::for_label(label.as_bytes()) {
            Some(enc) => Some(enc),
            None => {
                return Err(FormatError::Encoding {
                    file: file.to_string(),
                    encoding: label,
                })
            }
        },
        _ => None,
    };
    Ok(if utf16_bom || legacy.is_some() {
        // UTF-16 (Trados exports) and legacy encodings (windows-1256, ISO-8859-6, …) are
        // transcoded to UTF-8 on the fly; a byte-order mark wins over the declaration.
        let decoder = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(legacy)
            .strip_bom(true)
            .build(input);
        Box::new(std::io::BufReader::with_capacity(1 << 16, decoder))
    } else {
        if head.starts_with(b"\xEF\xBB\xBF") {
            input.consume(3);
        }
        Box::new(input)
    })
}

impl<'a> TmxReader<'a> {
    /// A reader over `input` (UTF-8, or UTF-16 with a byte-order mark).
    ///
    /// # Errors
    /// An I/O error while looking at the first bytes.
    pub fn new<R: BufRead + Send + 'a>(input: R, opts: ReadOptions) -> Result<Self, FormatError> {
        let boxed = decoded_input(input, &opts.file)?;
        let mut xml = quick_xml::Reader::from_reader(Position {
            inner: boxed,
            line: 1,
            column: 1,
        });
        xml.config_mut().trim_text(false);
        xml.config_mut().check_end_names = true;
        Ok(TmxReader {
            xml,
            opts,
            buf: Vec::new(),
            tu: None,
            variant: None,
            inside: Inside::Nothing,
            prop_type: String::new(),
            field: String::new(),
            depth: 0,
            seg_at: 0,
            flow: Vec::new(),
            namespaces: Vec::new(),
            paired: 0,
            other_langs: Vec::new(),
            seen_root: false,
            done: false,
            in_header: false,
            header_attrs: Vec::new(),
            ude: None,
            check_rows: None,
        })
    }

    /// Why a file that ends with elements still open is refused, and where it was cut.
    fn truncated(&self) -> String {
        let place = match &self.tu {
            Some(tu) => format!("inside the <tu> that starts on line {}", tu.line),
            None if self.in_header => "inside <header>".to_string(),
            None => "after the last complete <tu>".to_string(),
        };
        format!(
            "the file ends {place} with {} element{} still open: it is truncated",
            self.depth,
            if self.depth == 1 { "" } else { "s" }
        )
    }

    fn xml_error(&self, message: String) -> FormatError {
        let p = self.xml.get_ref();
        FormatError::Xml {
            file: self.opts.file.clone(),
            line: p.line,
            column: p.column.max(1),
            message,
        }
    }

    fn tu_error(&mut self, msg: String) {
        if let Some(tu) = &mut self.tu {
            tu.error.get_or_insert(msg);
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), FormatError> {
        let qname = e.name();
        let name = local(qname.as_ref());
        let mut declared = declared_prefixes(e);
        if !empty {
            self.depth += 1;
        }
        if self.inside == Inside::Seg {
            // What the element gets declared again is in the markup from here on, like its own.
            let again = self.inline_start(e, name, empty, &declared);
            declared.extend(again);
        }
        if !empty {
            // An empty element's declarations reach only itself.
            let depth = self.depth;
            self.namespaces
                .extend(declared.into_iter().map(|(prefix, uri)| (depth, prefix, uri)));
        }
        if self.inside == Inside::Seg {
            return Ok(());
        }
        if !self.seen_root {
            self.seen_root = true;
            if name != "tmx" {
                return Err(self.xml_error(format!("not a TMX file: the root element is <{name}>, not <tmx>")));
            }
            return Ok(());
        }
        // Attributes are copied out only for the elements whose attributes mizan keeps; the
        // others' are still checked, so that a malformed one rejects its `<tu>` all the same.
        let keeps_attrs =
            matches!(name, "tu" | "tuv" | "prop") || (self.in_header && matches!(name, "note" | "ude" | "map"));
        let attrs = match if keeps_attrs {
            attributes(e)
        } else {
            check_attrs(e).map(|()| Vec::new())
        } {
            Ok(a) => a,
            Err(msg) => {
                self.tu_error(msg);
                Vec::new()
            }
        };
        if self.in_header {
            match name {
                "prop" | "note" => {
                    self.inside = if name == "prop" { Inside::Prop } else { Inside::Note };
                    self.field.clear();
                    self.header_attrs = attrs;
                }
                "ude" => self.ude = Some((attrs, Vec::new())),
                "map" => {
                    if let Some((_, maps)) = &mut self.ude {
                        maps.push(attrs);
                    }
                }
                _ => {}
            }
            return Ok(());
        }
        match name {
            "header" if !empty && self.tu.is_none() => self.in_header = true,
            "tu" => {
                let line = self.xml.get_ref().line;
                self.tu = Some(TuState {
                    line,
                    attrs,
                    ..Default::default()
                });
            }
            "tuv" if self.tu.is_some() => {
                let mut v = Variant::default();
                for (k, val) in attrs {
                    match k.as_str() {
                        "xml:lang" | "lang" => v.lang = Some(val),
                        "creationid" => v.created_by = Some(val),
                        "creationdate" => v.created_at = tmx_date(&val),
                        "changedate" => v.changed_at = tmx_date(&val),
                        "changeid" => v.changed_by = Some(val),
                        _ => {}
                    }
                }
                self.variant = Some(v);
            }
            "seg" if self.variant.is_some() => {
                if let Some(v) = &mut self.variant {
                    v.seen_seg = true;
                }
                if !empty {
                    self.inside = Inside::Seg;
                    self.seg_at = self.depth;
                    self.flow.clear();
                }
            }
            "note" if self.tu.is_some() && !empty => {
                self.inside = Inside::Note;
                self.field.clear();
            }
            "prop" if self.tu.is_some() && !empty => {
                self.inside = Inside::Prop;
                self.field.clear();
                self.prop_type = attrs
                    .into_iter()
                    .find(|(k, _)| k == "type")
                    .map(|(_, v)| v)
                    .unwrap_or_default();
            }
            _ => {}
        }
        Ok(())
    }

    /// An element inside `<seg>`: kept in the markup as written, with the namespace prefixes it
    /// uses that were declared outside the `<seg>` declared again on it (the markup is exported on
    /// its own, without those ancestors); returns those declarations. A code or a `<sub>` sets
    /// the text around it apart.
    fn inline_start(
        &mut self,
        e: &BytesStart<'_>,
        name: &str,
        empty: bool,
        declared: &[(String, String)],
    ) -> Vec<(String, String)> {
        let code = is_code(name);
        if !empty {
            let outer = self.flow.last().copied().unwrap_or(true);
            self.flow.push(name == "sub" || (!code && outer));
        }
        let mut again = Vec::new();
        let Some(v) = &mut self.variant else { return again };
        v.has_inline = true;
        v.pending_break |= code || name == "sub";
        v.markup.push(b'<');
        v.markup.extend_from_slice(e);
        for prefix in used_prefixes(e) {
            if declared.iter().any(|(p, _)| *p == prefix) {
                continue;
            }
            // The innermost declaration binds the prefix; one made inside the `<seg>` is in the
            // markup already.
            let binding = self.namespaces.iter().rev().find(|(_, p, _)| *p == prefix);
            if let Some((_, _, uri)) = binding.filter(|(at, _, _)| *at <= self.seg_at) {
                v.markup.extend_from_slice(b" xmlns:");
                v.markup.extend_from_slice(prefix.as_bytes());
                v.markup.extend_from_slice(b"=\"");
                escape_bytes(&mut v.markup, uri);
                v.markup.push(b'"');
                again.push((prefix, uri.clone()));
            }
        }
        v.markup.extend_from_slice(if empty { b"/>" } else { b">" });
        again
    }

    fn text(&mut self, raw: &[u8], unescaped: Result<&str, String>) {
        match self.inside {
            Inside::Seg => {
                let in_text = self.flow.last().copied().unwrap_or(true);
                let Some(v) = &mut self.variant else { return };
                v.markup.extend_from_slice(raw);
                match unescaped {
                    Ok(t) if in_text => v.push_text(t),
                    Ok(_) => {}
                    Err(msg) => self.tu_error(msg),
                }
            }
            Inside::Note | Inside::Prop => match unescaped {
                Ok(t) => self.field.push_str(t),
                Err(msg) => self.tu_error(msg),
            },
            Inside::Nothing => {}
        }
    }

    fn end(&mut self, name: &[u8]) -> Option<Record> {
        if self.inside == Inside::Seg {
            if self.flow.pop().is_some() {
                if let Some(v) = &mut self.variant {
                    // The end tag as written: with its prefix, like its start tag.
                    v.markup.extend_from_slice(b"</");
                    v.markup.extend_from_slice(name);
                    v.markup.push(b'>');
                    let name = local(name);
                    v.pending_break |= is_code(name) || name == "sub";
                }
                return None;
            }
            self.inside = Inside::Nothing;
            return None;
        }
        if self.in_header {
            let kind = match (local(name), self.inside) {
                ("prop", Inside::Prop) => HeaderItemKind::Prop,
                ("note", Inside::Note) => HeaderItemKind::Note,
                ("ude", _) => {
                    let (attrs, maps) = self.ude.take()?;
                    return header_ude(&attrs, &maps).map(Record::HeaderItem);
                }
                ("header", _) => {
                    self.in_header = false;
                    return None;
                }
                _ => return None,
            };
            self.inside = Inside::Nothing;
            let attrs = std::mem::take(&mut self.header_attrs);
            return Some(Record::HeaderItem(header_text_item(kind, &attrs, &self.field)));
        }
        match local(name) {
            // A variant's notes and props stay with it; the `<tu>`'s own are the unit's.
            "note" if self.inside == Inside::Note => {
                self.inside = Inside::Nothing;
                let note = std::mem::take(&mut self.field);
                match (&mut self.variant, &mut self.tu) {
                    (Some(v), _) => v.items.push((None, note)),
                    (None, Some(tu)) => tu.notes.push(note),
                    (None, None) => {}
                }
            }
            "prop" if self.inside == Inside::Prop => {
                self.inside = Inside::Nothing;
                let (kind, value) = (std::mem::take(&mut self.prop_type), std::mem::take(&mut self.field));
                match (&mut self.variant, &mut self.tu) {
                    (Some(v), _) => v.items.push((Some(kind), value)),
                    (None, Some(tu)) => tu.props.push((kind, value)),
                    (None, None) => {}
                }
            }
            "tuv" => {
                if let (Some(tu), Some(v)) = (&mut self.tu, self.variant.take()) {
                    tu.variants.push(v);
                }
            }
            "tu" => return self.tu.take().map(|tu| self.finish_tu(tu)),
            _ => {}
        }
        None
    }

    fn finish_tu(&mut self, tu: TuState) -> Record {
        let line = tu.line;
        let reject = |reason: String| Record::Rejected(Rejection { line, reason });
        if let Some(e) = tu.error {
            return reject(e);
        }
        for v in &tu.variants {
            if v.lang.is_none() {
                return reject("a <tuv> without xml:lang (or lang)".into());
            }
        }
        let mut langs = Vec::new();
        for v in &tu.variants {
            match LangTag::parse(v.lang.as_deref().unwrap_or_default()) {
                Ok(t) => langs.push(t),
                Err(e) => return reject(e.to_string()),
            }
        }
        let pick = |want: &LangTag| -> Option<usize> {
            langs
                .iter()
                .position(|l| l == want)
                .or_else(|| langs.iter().position(|l| want.serves(l)))
        };
        let (Some(si), Some(ti)) = (pick(&self.opts.source_lang), pick(&self.opts.target_lang)) else {
            let have: Vec<&str> = langs.iter().map(LangTag::as_str).collect();
            for l in &have {
                if self.other_langs.len() < MAX_LANGS_NAMED && !self.other_langs.iter().any(|o| o == l) {
                    self.other_langs.push(l.to_string());
                }
            }
            return Record::Skipped {
                line,
                reason: format!(
                    "no {} and {} variants (has: {})",
                    self.opts.source_lang,
                    self.opts.target_lang,
                    if have.is_empty() {
                        "none".to_string()
                    } else {
                        have.join(", ")
                    }
                ),
            };
        };
        self.paired += 1;
        if !tu.variants[si].seen_seg || !tu.variants[ti].seen_seg {
            return reject("a <tuv> without <seg>".into());
        }
        let mut variants = tu.variants;
        let take = |v: &mut Variant| (std::mem::take(&mut v.text), std::mem::take(&mut v.markup));
        let (source_text, source_markup) = if si == ti {
            (variants[si].text.clone(), variants[si].markup.clone())
        } else {
            take(&mut variants[si])
        };
        let (target_text, target_markup) = take(&mut variants[ti]);
        let (s, t) = (&variants[si], &variants[ti]);
        let mut origin = Origin::Tmx;
        // Status evidence, strongest first: x-mizan-status, x-ConfirmationLevel, x-Origin.
        let mut status: [Option<Status>; 3] = [None; 3];
        let (mut match_unit, mut match_target) = (None, None);
        let mut props = Vec::new();
        let mut document = None;
        let mut position = None;
        let (mut source_text, mut target_text) = (source_text, target_text);
        for (k, v) in tu.props {
            match k.as_str() {
                P_ORIGIN => origin = Origin::parse(&v).unwrap_or(Origin::Tmx),
                PROP_STATUS if Status::from_label(&v).is_some() => status[0] = Status::from_label(&v),
                PROP_MATCH_UNIT => match_unit = v.trim().parse::<i64>().ok(),
                PROP_MATCH_TARGET => match_target = Some(v),
                // What the pre-translation said about its match: information for the translator.
                PROP_MATCH_SCORE | PROP_MATCH_ORIGIN | PROP_MATCH_STATUS | PROP_TERMS => {}
                "x-ConfirmationLevel" => {
                    status[1] = trados_confirmation(&v);
                    props.push((k, v));
                }
                "x-Origin" => {
                    let v_lower = v.to_ascii_lowercase();
                    if v_lower.contains("alignment") || v_lower.contains("machinetranslation") {
                        status[2] = Some(Status::Unreviewed);
                    }
                    props.push((k, v));
                }
                P_DOCUMENT => document = Some(v),
                P_POSITION => position = v.parse().ok(),
                P_SOURCE_RAW => {
                    if let Some(raw) =
                        raw_unescape(&v).filter(|r| r.chars().filter(|c| xml_allowed(*c)).eq(source_text.chars()))
                    {
                        source_text = raw;
                    }
                }
                P_TARGET_RAW => {
                    if let Some(raw) =
                        raw_unescape(&v).filter(|r| r.chars().filter(|c| xml_allowed(*c)).eq(target_text.chars()))
                    {
                        target_text = raw;
                    }
                }
                _ => props.push((k, v)),
            }
        }
        for (side, i) in [(Side::Source, si), (Side::Target, ti)] {
            props.extend(
                variants[i]
                    .items
                    .iter()
                    .map(|(kind, value)| (variant_item_kind(side, kind.as_deref()), value.clone())),
            );
        }
        if let Some(rows) = &mut self.check_rows {
            let markup = |has: bool, m: &[u8]| has.then(|| String::from_utf8_lossy(m).into_owned());
            rows.push(CheckRow {
                line,
                id: tu.attrs.iter().find(|(k, _)| k == "tuid").map(|(_, v)| v.clone()),
                source: source_text.clone(),
                target: target_text.clone(),
                source_markup: markup(s.has_inline, &source_markup),
                target_markup: markup(t.has_inline, &target_markup),
            });
        }
        if source_text.trim().is_empty() {
            return reject(format!("empty <seg> for {}", langs[si]));
        }
        if target_text.trim().is_empty() {
            return reject(format!("empty <seg> for {}", langs[ti]));
        }
        let mut u = match NewUnit::with_tags(langs[si].clone(), langs[ti].clone(), source_text, target_text, origin) {
            Ok(u) => u,
            Err(e) => return reject(e.to_string()),
        };
        u.source_markup = s.has_inline.then(|| {
            String::from_utf8(source_markup).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        });
        u.target_markup = t.has_inline.then(|| {
            String::from_utf8(target_markup).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        });
        u.status = status
            .into_iter()
            .flatten()
            .next()
            .unwrap_or(Status::default_for(origin));
        u.document = document;
        u.position = position;
        u.props = props;
        if !tu.notes.is_empty() {
            u.note = Some(tu.notes.join("\n"));
        }
        for (k, v) in tu.attrs {
            match k.as_str() {
                "tuid" => u.tuid = Some(v),
                "creationdate" => u.created_at = tmx_date(&v),
                "creationid" => u.created_by = Some(v),
                "changedate" => u.changed_at = tmx_date(&v),
                "changeid" => u.changed_by = Some(v),
                "usagecount" => u.usage_count = v.trim().parse().unwrap_or(0),
                "lastusagedate" => u.last_used_at = tmx_date(&v),
                _ => {}
            }
        }
        // Tools such as OmegaT keep authors and dates on the target variant.
        u.created_by = u.created_by.or_else(|| t.created_by.clone());
        u.created_at = u.created_at.or_else(|| t.created_at.clone());
        u.changed_by = u.changed_by.or_else(|| t.changed_by.clone());
        u.changed_at = u.changed_at.or_else(|| t.changed_at.clone());
        // A pre-translated segment (an older mizan marked it only in its note, and without a
        // status property): a person vouches for it by editing it or setting x-mizan-status.
        let legacy = match_unit.is_none() && status[0].is_none();
        match match_unit.or_else(|| u.note.as_deref().filter(|_| legacy).and_then(unit_in_note)) {
            Some(unit_id) => {
                // Whatever origin the file claims (an older mizan wrote `human`), a row nobody
                // vouches for came from this TMX file.
                u.origin = Origin::Tmx;
                // Characters XML forbids are missing from the property; compare without them.
                let edited = match_target.map(|t| {
                    !t.chars()
                        .filter(|c| xml_allowed(*c))
                        .eq(u.target.chars().filter(|c| xml_allowed(*c)))
                });
                let confirmed = status[0] == Some(Status::Reviewed);
                returned_row(line, u, Some(unit_id), edited, confirmed)
            }
            None => Record::Unit {
                line,
                unit: Box::new(u),
            },
        }
    }
}

/// The status a Trados `x-ConfirmationLevel` says (`None` for `Unspecified` and unknown values).
fn trados_confirmation(level: &str) -> Option<Status> {
    match level.trim() {
        "Translated" | "ApprovedTranslation" | "ApprovedSignOff" => Some(Status::Reviewed),
        "Draft" | "RejectedTranslation" | "RejectedSignOff" => Some(Status::Unreviewed),
        _ => None,
    }
}

impl Iterator for TmxReader<'_> {
    type Item = Result<Record, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        // The event buffer is taken out of `self` while an event borrows it.
        let mut buf = std::mem::take(&mut self.buf);
        let mut out = None;
        while !self.done && out.is_none() {
            buf.clear();
            out = self.step(&mut buf);
        }
        self.buf = buf;
        out
    }
}

impl TmxReader<'_> {
    /// Reads one event; returns what it completes, if anything.
    fn step(&mut self, buf: &mut Vec<u8>) -> Option<Result<Record, FormatError>> {
        let event = match self.xml.read_event_into(buf) {
            Ok(ev) => ev,
            Err(e) => {
                self.done = true;
                return Some(Err(self.xml_error(e.to_string())));
            }
        };
        match event {
            Event::Start(e) => {
                if let Err(err) = self.start(&e, false) {
                    self.done = true;
                    return Some(Err(err));
                }
            }
            Event::Empty(e) => {
                if let Err(err) = self.start(&e, true) {
                    self.done = true;
                    return Some(Err(err));
                }
                if self.inside != Inside::Seg {
                    // `<seg/>`, `<tuv/>`: closes at once.
                    return self.end(e.name().as_ref()).map(Ok);
                }
            }
            // Text between elements (indentation) matters nowhere: it is not even unescaped.
            Event::Text(t) if self.inside != Inside::Nothing => {
                let raw = xml_line_ends(&t);
                match unescape_text(&raw) {
                    Ok(text) => self.text(&raw, Ok(&text)),
                    Err(e) => self.text(&raw, Err(e)),
                }
            }
            Event::CData(c) => {
                let raw = xml_line_ends(&c);
                let text = String::from_utf8_lossy(&raw);
                if self.inside == Inside::Seg {
                    if let Some(v) = &mut self.variant {
                        v.markup.extend_from_slice(b"<![CDATA[");
                        v.markup.extend_from_slice(&raw);
                        v.markup.extend_from_slice(b"]]>");
                        v.has_inline = true;
                    }
                }
                self.text(b"", Ok(&text));
            }
            Event::End(e) => {
                self.depth = self.depth.saturating_sub(1);
                while self.namespaces.last().is_some_and(|(at, _, _)| *at > self.depth) {
                    self.namespaces.pop();
                }
                return self.end(e.name().as_ref()).map(Ok);
            }
            Event::Eof => {
                self.done = true;
                if !self.seen_root {
                    return Some(Err(
                        self.xml_error("no <tmx> element: the file is empty or not XML".into())
                    ));
                }
                if self.depth > 0 {
                    return Some(Err(self.xml_error(self.truncated())));
                }
                if self.paired == 0 && !self.other_langs.is_empty() {
                    return Some(Err(FormatError::NoLanguagePair {
                        file: self.opts.file.clone(),
                        wanted: format!("{} and {}", self.opts.source_lang, self.opts.target_lang),
                        found: self.other_langs.join(", "),
                    }));
                }
            }
            _ => {}
        }
        None
    }
}

/// The `<tu>`s of a TMX file for `mizan check` ([`crate::check`]): each one with both languages
/// of `opts`, its texts and inline markup as read, an empty `<seg>` included; a `<tu>` that
/// cannot be read as a pair is a rejection.
///
/// # Errors
/// As [`TmxReader`]: a file that cannot be read at all.
pub(crate) fn check_rows<R: BufRead + Send>(input: R, opts: ReadOptions) -> Result<CheckRows, FormatError> {
    let mut reader = TmxReader::new(input, opts)?;
    reader.check_rows = Some(Vec::new());
    let mut out = Vec::new();
    while let Some(record) = reader.next() {
        let record = record?;
        let rows = reader.check_rows.as_mut().map(std::mem::take).unwrap_or_default();
        // A <tu> read as a pair is checked even when import would refuse it (an empty <seg>).
        let read = !rows.is_empty();
        out.extend(rows.into_iter().map(Ok));
        if let (Record::Rejected(r), false) = (record, read) {
            out.push(Err(r));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> ReadOptions {
        ReadOptions {
            file: "t.tmx".into(),
            source_lang: LangTag::parse("ar").unwrap(),
            target_lang: LangTag::parse("en").unwrap(),
        }
    }

    fn read(xml: &[u8]) -> Vec<Result<Record, FormatError>> {
        TmxReader::new(xml, opts()).unwrap().collect()
    }

    fn units(xml: &[u8]) -> Vec<NewUnit> {
        read(xml)
            .into_iter()
            .filter_map(|r| match r.unwrap() {
                Record::Unit { unit, .. } => Some(*unit),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn picks_variants_by_language_not_position() {
        let xml = r#"<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en-US"><seg>A rare visit</seg></tuv><tuv xml:lang="fr"><seg>Une visite</seg></tuv><tuv xml:lang="AR-sa"><seg>زيارة نادرة</seg></tuv></tu>
<tu><tuv lang="EN"><seg>only English</seg></tuv><tuv lang="fr"><seg>fr</seg></tuv></tu>
</body></tmx>"#;
        let recs = read(xml.as_bytes());
        let u = match &recs[0] {
            Ok(Record::Unit { unit, .. }) => unit,
            other => panic!("{other:?}"),
        };
        assert_eq!((u.source.as_str(), u.target.as_str()), ("زيارة نادرة", "A rare visit"));
        assert_eq!(u.source_lang.as_str(), "ar-SA");
        assert!(matches!(&recs[1], Ok(Record::Skipped { line: 3, .. })));
    }

    #[test]
    fn inline_markup_is_kept_and_text_excludes_native_code() {
        let xml = r#"<tmx version="1.4"><header/><body><tu><tuv xml:lang="ar"><seg>قال <bpt i="1">&lt;b&gt;</bpt>بوتين<ept i="1">&lt;/b&gt;</ept> &amp; كيم</seg></tuv><tuv xml:lang="en"><seg>Putin said</seg></tuv></tu></body></tmx>"#;
        let u = &units(xml.as_bytes())[0];
        assert_eq!(u.source, "قال بوتين & كيم");
        assert_eq!(
            u.source_markup.as_deref(),
            Some(r#"قال <bpt i="1">&lt;b&gt;</bpt>بوتين<ept i="1">&lt;/b&gt;</ept> &amp; كيم"#)
        );
        assert_eq!(u.target_markup, None);
    }

    #[test]
    fn entities_are_never_expanded() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<tmx version="1.4"><header/><body><tu><tuv xml:lang="ar"><seg>&b;</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>"#;
        let recs = read(xml.as_bytes());
        assert!(
            matches!(&recs[0], Ok(Record::Rejected(r)) if r.reason.contains("entit")),
            "{recs:?}"
        );
    }

    #[test]
    fn header_children_are_read_in_one_spelling() {
        let xml = r##"<tmx version="1.4"><header srclang="ar"><prop lang="ar" type="x-a" o-encoding="x">قيمة &amp; "ب"</prop><note>ملاحظة</note><ude base="b" name="U"><map subst="s" unicode="#xF8FF"/></ude><ude name="empty"/><foo/></header><body>
<tu><tuv xml:lang="ar"><seg>أ</seg></tuv><tuv xml:lang="en"><seg>a</seg></tuv></tu></body></tmx>"##;
        let items: Vec<String> = read(xml.as_bytes())
            .into_iter()
            .filter_map(|r| match r.unwrap() {
                Record::HeaderItem(h) => Some(h.xml),
                _ => None,
            })
            .collect();
        assert_eq!(
            items,
            [
                r#"<prop type="x-a" xml:lang="ar" o-encoding="x">قيمة &amp; &quot;ب&quot;</prop>"#,
                "<note>ملاحظة</note>",
                r##"<ude name="U" base="b"><map unicode="#xF8FF" subst="s"/></ude>"##,
            ]
        );
        assert_eq!(units(xml.as_bytes()).len(), 1);
    }

    #[test]
    fn not_well_formed_reports_line() {
        let xml = "<tmx version=\"1.4\"><header/><body>\n<tu><tuv xml:lang=\"ar\"><seg>x</tuv></tu></body></tmx>";
        let recs = read(xml.as_bytes());
        match recs.last() {
            Some(Err(FormatError::Xml { line, .. })) => assert_eq!(*line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_file_that_ends_with_elements_open_is_an_error_after_the_complete_units() {
        let full = r#"<tmx version="1.4"><header/><body>
<tu><tuv xml:lang="ar"><seg>أ</seg></tuv><tuv xml:lang="en"><seg>a</seg></tuv></tu>
<tu><tuv xml:lang="ar"><seg>ب</seg></tuv><tuv xml:lang="en"><seg>b</seg></tuv></tu>
</body></tmx>"#;
        assert_eq!(units(full.as_bytes()).len(), 2);
        let cuts = full.match_indices('<').map(|(i, _)| i).filter(|&i| i > 0);
        for cut in cuts.chain([full.rfind("</body>").unwrap() + 3]) {
            let recs = read(&full.as_bytes()[..cut]);
            let complete = full[..cut].matches("</tu>").count();
            let (last, before) = recs.split_last().unwrap();
            assert!(
                matches!(last, Err(FormatError::Xml { message, .. }) if message.contains("truncated") || message.contains("not closed")),
                "cut at {cut}: {last:?}"
            );
            let read_units = before.iter().filter(|r| matches!(r, Ok(Record::Unit { .. }))).count();
            assert_eq!(read_units, complete, "cut at {cut}");
        }
    }

    #[test]
    fn line_ends_are_normalized_as_xml_says() {
        let xml = "<tmx version=\"1.4\"><header/><body><tu><prop type=\"x\">a\r\nb</prop><tuv xml:lang=\"ar\"><seg>أ\r\nب\rج&#13;د</seg></tuv><tuv xml:lang=\"en\"><seg><![CDATA[x\r\ny]]></seg></tuv></tu></body></tmx>";
        let u = &units(xml.as_bytes())[0];
        assert_eq!(u.source, "أ\nب\nج\rد");
        assert_eq!(u.target, "x\ny");
        assert_eq!(u.target_markup.as_deref(), Some("<![CDATA[x\ny]]>"));
        assert_eq!(u.props, [("x".to_string(), "a\nb".to_string())]);
    }

    #[test]
    fn codes_between_word_characters_leave_a_space_and_sub_text_is_text() {
        let seg = |inner: &str| {
            let xml = format!(
                r#"<tmx version="1.4"><header/><body><tu><tuv xml:lang="ar"><seg>{inner}</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>"#
            );
            units(xml.as_bytes())[0].source.clone()
        };
        assert_eq!(seg("هنا<ph/>للمتابعة"), "هنا للمتابعة");
        assert_eq!(seg("هنا<ph x=\"1\">&lt;br/&gt;</ph>للمتابعة"), "هنا للمتابعة");
        assert_eq!(
            seg("عام<bpt i=\"1\">&lt;b&gt;</bpt>2024<ept i=\"1\">&lt;/b&gt;</ept>كان"),
            "عام 2024 كان"
        );
        assert_eq!(
            seg("<it pos=\"begin\">&lt;i&gt;</it>قال<ut>{\\b}</ut>: نعم <ph/> لا"),
            "قال: نعم  لا"
        );
        assert_eq!(seg("قال <hi>الرئيس</hi>"), "قال الرئيس");
        assert_eq!(
            seg("نص<ph>&lt;a title=\"<sub>عنوان <hi>الرابط</hi></sub>\"&gt;</ph>هنا"),
            "نص عنوان الرابط هنا"
        );
    }

    #[test]
    fn a_namespace_declared_outside_the_seg_is_declared_on_the_element() {
        let xml = r#"<tmx version="1.4" xmlns:a="urn:a" xmlns:b="urn:b&amp;c"><header/><body><tu xmlns:a="urn:a2"><tuv xml:lang="ar"><seg><a:x b:k="1">س<a:y/></a:x><b:z xmlns:b="urn:own"/></seg></tuv><tuv xml:lang="en"><seg>s</seg></tuv></tu>
<tu><tuv xml:lang="ar"><seg><a:x/>ص</seg></tuv><tuv xml:lang="en"><seg>s</seg></tuv></tu></body></tmx>"#;
        let us = units(xml.as_bytes());
        assert_eq!(
            us[0].source_markup.as_deref(),
            Some(r#"<a:x b:k="1" xmlns:a="urn:a2" xmlns:b="urn:b&amp;c">س<a:y/></a:x><b:z xmlns:b="urn:own"/>"#)
        );
        assert_eq!(
            us[1].source_markup.as_deref(),
            Some(r#"<a:x xmlns:a="urn:a"/>ص"#),
            "the <tu>'s declaration is out of scope"
        );
    }

    #[test]
    fn notes_and_props_of_the_picked_variants_are_kept_by_side() {
        let xml = r#"<tmx version="1.4"><header/><body><tu><note>tu</note><tuv xml:lang="en"><prop type="p">en</prop><seg>a</seg></tuv><tuv xml:lang="de"><note>de</note><seg>b</seg></tuv><tuv xml:lang="ar"><note>ar</note><seg>أ</seg></tuv></tu></body></tmx>"#;
        let u = &units(xml.as_bytes())[0];
        assert_eq!(u.note.as_deref(), Some("tu"));
        let props: Vec<(&str, &str)> = u.props.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(props, [("x-mizan-source-note", "ar"), ("x-mizan-target-prop:p", "en")]);
        for (kind, side) in [
            ("x-mizan-source-note", Side::Source),
            ("x-mizan-target-prop:p", Side::Target),
        ] {
            let (s, prop) = variant_item(kind).unwrap();
            assert_eq!(variant_item_kind(s, prop), kind);
            assert_eq!(s, side);
        }
        assert_eq!(variant_item("x-domain"), None);
    }

    #[test]
    fn a_file_without_the_pair_names_its_languages() {
        let xml = r#"<tmx version="1.4"><header/><body><tu><tuv xml:lang="fr"><seg>a</seg></tuv><tuv xml:lang="de"><seg>b</seg></tuv></tu><tu><tuv xml:lang="fr"><seg>c</seg></tuv></tu></body></tmx>"#;
        match read(xml.as_bytes()).pop() {
            Some(Err(FormatError::NoLanguagePair { wanted, found, .. })) => {
                assert_eq!((wanted.as_str(), found.as_str()), ("ar and en", "fr, de"));
            }
            other => panic!("{other:?}"),
        }
        // A file with no unit at all is merely empty.
        assert!(read(b"<tmx version=\"1.4\"><header/><body/></tmx>").is_empty());
    }

    #[test]
    fn utf16_without_bom_is_refused() {
        let xml = r#"<?xml version="1.0" encoding="UTF-16"?><tmx version="1.4"><header/><body/></tmx>"#;
        let bytes: Vec<u8> = xml.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(matches!(
            TmxReader::new(&bytes[..], opts()),
            Err(FormatError::Utf16WithoutBom { endian: "LE", .. })
        ));
    }

    #[test]
    fn utf16_with_bom() {
        let xml = r#"<?xml version="1.0" encoding="UTF-16"?><tmx version="1.4"><header/><body><tu><tuv xml:lang="ar"><seg>مرحبا 😀</seg></tuv><tuv xml:lang="en"><seg>hello</seg></tuv></tu></body></tmx>"#;
        for be in [false, true] {
            let mut bytes = if be { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
            for u in xml.encode_utf16() {
                bytes.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
            }
            let us = units(&bytes);
            assert_eq!(us[0].source, "مرحبا 😀");
        }
    }

    #[test]
    fn legacy_encoding_declared_in_the_prolog() {
        let xml = r#"<?xml version="1.0" encoding="windows-1256"?><tmx version="1.4"><header/><body><tu><tuv xml:lang="ar"><seg>ARABIC</seg></tuv><tuv xml:lang="en"><seg>a rare visit</seg></tuv></tu></body></tmx>"#;
        let (arabic, _, _) = encoding_rs::WINDOWS_1256.encode("زيارة نادرة");
        let bytes = xml.replace("ARABIC", "\u{1}").into_bytes();
        let pos = bytes.iter().position(|b| *b == 1).unwrap();
        let mut data = bytes[..pos].to_vec();
        data.extend_from_slice(&arabic);
        data.extend_from_slice(&bytes[pos + 1..]);
        assert_eq!(units(&data)[0].source, "زيارة نادرة");
        let bad = xml.replace("windows-1256", "klingon");
        assert!(matches!(
            TmxReader::new(bad.as_bytes(), opts()),
            Err(FormatError::Encoding { .. })
        ));
    }

    #[test]
    fn writer_output_reads_back_exactly_including_forbidden_chars() {
        let mut tm = crate::tm::Tm::open_in_memory().unwrap();
        let mut nu = NewUnit::new(
            "ar",
            "en",
            "نص\u{1}مع\u{FFFF} <علامات> & \\u0001",
            "text \"q\" 'a'\u{b}",
            Origin::Human,
        )
        .unwrap();
        nu.note = Some("ملاحظة".into());
        nu.document = Some("doc.txt".into());
        nu.position = Some(3);
        nu.props = vec![
            ("x-domain".into(), "news".into()),
            (format!("{P_SOURCE_PROP}x-checked"), "yes".into()),
            (P_TARGET_NOTE.into(), "on the target".into()),
        ];
        nu.created_by = Some("lina".into());
        tm.add(&nu, crate::tm::DuplicatePolicy::KeepBoth).unwrap();
        let unit = tm.get(1).unwrap().unwrap();
        let mut out = Vec::new();
        let mut w = TmxWriter::new(&mut out, &TmxHeader { srclang: "ar".into() }).unwrap();
        w.write_unit(&unit).unwrap();
        let report = w.finish().unwrap();
        assert_eq!(report.forbidden_chars, 3);
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(text.chars().all(xml_allowed));
        assert!(
            text.contains(r#"<tuv xml:lang="ar"><prop type="x-checked">yes</prop><seg>"#),
            "{text}"
        );
        assert!(
            text.contains(r#"<tuv xml:lang="en"><note>on the target</note><seg>"#),
            "{text}"
        );
        let back = &units(&out)[0];
        assert_eq!(back.source, unit.source);
        assert_eq!(back.target, unit.target);
        assert_eq!(back.note, unit.note);
        assert_eq!(back.document, unit.document);
        assert_eq!(back.position, unit.position);
        assert_eq!(back.props, unit.props);
        assert_eq!(back.origin, Origin::Human);
        assert_eq!(back.created_at.as_deref(), Some(unit.created_at.as_str()));
        assert_eq!(back.created_by, unit.created_by);
    }

    /// A one-`<tu>` TMX with these properties (and note) before its variants.
    fn one_tu(inner: &str, target: &str) -> String {
        format!(
            r#"<tmx version="1.4"><header/><body><tu>{inner}<tuv xml:lang="ar"><seg>يوم الخميس</seg></tuv><tuv xml:lang="en"><seg>{target}</seg></tuv></tu></body></tmx>"#
        )
    }

    #[test]
    fn status_comes_from_mizan_then_trados_then_the_origin() {
        use Status::{Reviewed as R, Unreviewed as U};
        let p = |t: &str, v: &str| format!(r#"<prop type="{t}">{v}</prop>"#);
        let cases = [
            (String::new(), R),
            (p("x-mizan-origin", "align"), U),
            (p("x-mizan-origin", "align") + &p("x-mizan-status", "reviewed"), R),
            (p("x-mizan-status", " Unreviewed "), U),
            (p("x-ConfirmationLevel", "Draft"), U),
            (
                p("x-ConfirmationLevel", "ApprovedSignOff") + &p("x-Origin", "Alignment"),
                R,
            ),
            (p("x-Origin", "MachineTranslation"), U),
            (p("x-ConfirmationLevel", "Unspecified"), R),
            (p("x-mizan-status", "reviewed") + &p("x-ConfirmationLevel", "Draft"), R),
        ];
        for (props, want) in cases {
            let us = units(one_tu(&props, "on Thursday").as_bytes());
            assert_eq!(us[0].status, want, "{props}");
            assert!(us[0].props.iter().all(|(k, _)| k != PROP_STATUS), "{props}");
            if props.contains("x-ConfirmationLevel") {
                assert!(
                    us[0].props.iter().any(|(k, _)| k == "x-ConfirmationLevel"),
                    "kept for export"
                );
            }
        }
    }

    #[test]
    fn pretranslated_tus_count_as_reviewed_only_when_edited_or_confirmed() {
        let p = |t: &str, v: &str| format!(r#"<prop type="{t}">{v}</prop>"#);
        let written = p("x-mizan-origin", "tmx")
            + &p(PROP_STATUS, "unreviewed")
            + &p(PROP_MATCH_SCORE, "96.1")
            + &p(PROP_MATCH_UNIT, "2")
            + &p(PROP_MATCH_TARGET, "on Wednesday");
        let record = |inner: &str, target: &str| read(one_tu(inner, target).as_bytes()).remove(0).unwrap();
        // Untouched: nothing to store unless it is an exact match of unit 2.
        assert!(matches!(
            record(&written, "on Wednesday"),
            Record::Untouched { unit_id: 2, .. }
        ));
        // Edited: a person's translation, and the match properties are not kept.
        match record(&written, "on Thursday") {
            Record::Unit { unit, .. } => {
                assert_eq!((unit.origin, unit.status), (Origin::Human, Status::Reviewed));
                assert!(unit.props.is_empty(), "{:?}", unit.props);
            }
            other => panic!("{other:?}"),
        }
        // Confirmed through the status property.
        let confirmed = written.replace(">unreviewed<", ">reviewed<");
        assert!(matches!(
            record(&confirmed, "on Wednesday"),
            Record::Confirmed { unit_id: 2, unit, .. } if unit.status == Status::Reviewed && unit.origin == Origin::Human
        ));
        // Written by an older mizan: only the note tells, and it claims origin human.
        let legacy = "<note>mizan suggestion: 96.1% from unit 2</note>".to_string() + &p("x-mizan-origin", "human");
        assert!(matches!(
            record(&legacy, "on Wednesday"),
            Record::Confirmed { unit_id: 2, unit, .. } if unit.status == Status::Unreviewed && unit.origin == Origin::Tmx
        ));
    }

    mod escaping {
        use super::*;
        use proptest::prelude::*;

        /// The escaper written the obvious way, one character at a time: the reference the
        /// table-driven one must equal byte for byte.
        fn reference(s: &str) -> (String, u64) {
            let (mut out, mut dropped) = (String::new(), 0);
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\r' => out.push_str("&#13;"),
                    c if xml_allowed(c) => out.push(c),
                    _ => dropped += 1,
                }
            }
            (out, dropped)
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(500))]
            #[test]
            fn table_driven_escaper_equals_the_reference(
                s in proptest::collection::vec(
                    prop_oneof![
                        any::<char>().prop_map(String::from),
                        "[\\x00-\\x1F&<>\"'\u{FFFE}\u{FFFF}\u{FFFD}\u{EFBF}\u{F000}]",
                        "[\\u{0600}-\\u{06FF} ]{1,8}",
                    ],
                    0..24,
                ).prop_map(|v| v.concat())
            ) {
                let (want, want_dropped) = reference(&s);
                let mut text = String::new();
                prop_assert_eq!(escape_into(&mut text, &s), want_dropped);
                prop_assert_eq!(&text, &want);
                let mut bytes = Vec::new();
                prop_assert_eq!(escape_bytes(&mut bytes, &s), want_dropped);
                prop_assert_eq!(bytes, want.into_bytes());
                prop_assert_eq!(has_forbidden(&s), !s.chars().all(xml_allowed));
            }
        }

        #[test]
        fn dates_are_written_and_read_as_the_general_functions_do() {
            for stored in ["2026-11-27T18:48:30Z", "1999-01-01T00:00:00Z"] {
                let mut out = Vec::new();
                push_tmx_date(&mut out, stored);
                assert_eq!(String::from_utf8(out).unwrap(), date::to_tmx(stored));
            }
            for tmx in [
                "20261127T184830Z",
                "20240229T235959Z",
                "20230229T000000Z",
                "20261327T000000Z",
                "20261127T246000Z",
                "2026-11-27",
                "x",
            ] {
                assert_eq!(tmx_date(tmx), date::parse(tmx).ok(), "{tmx}");
            }
        }
    }

    mod roundtrip {
        use super::*;
        use proptest::prelude::*;

        fn text() -> impl Strategy<Value = String> {
            let pieces = proptest::collection::vec(
                prop_oneof![
                    "[\\u{0600}-\\u{06FF} ]{1,12}",
                    Just("\u{200F}".to_string()),
                    Just("\u{202B}".to_string()),
                    Just("\u{2068}".to_string()),
                    Just("😀".to_string()),
                    Just("&<>\"'".to_string()),
                    Just("\\u0001\\".to_string()),
                    Just("\r\n\t".to_string()),
                    "[\\x00-\\x1F\\u{FFFE}\\u{FFFF}]{1,3}",
                    any::<String>(),
                ],
                1..6,
            );
            pieces
                .prop_map(|v| v.concat())
                .prop_filter("non-blank", |s| !s.trim().is_empty())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]
            #[test]
            fn export_then_import_is_the_identity(source in text(), target in text(), note in proptest::option::of(text())) {
                let mut tm = crate::tm::Tm::open_in_memory().unwrap();
                let mut nu = NewUnit::new("ar", "en", &source, &target, Origin::Align).unwrap();
                nu.note = note.clone();
                nu.props = vec![("x-any".into(), "قيمة".into())];
                tm.add(&nu, crate::tm::DuplicatePolicy::KeepBoth).unwrap();
                let unit = tm.get(1).unwrap().unwrap();
                let mut out = Vec::new();
                let mut w = TmxWriter::new(&mut out, &TmxHeader { srclang: "ar".into() }).unwrap();
                w.write_unit(&unit).unwrap();
                w.finish().unwrap();
                let back = units(&out);
                prop_assert_eq!(back.len(), 1);
                prop_assert_eq!(&back[0].source, &unit.source);
                prop_assert_eq!(&back[0].target, &unit.target);
                prop_assert_eq!(&back[0].props, &unit.props);
                prop_assert_eq!(back[0].origin, Origin::Align);
                prop_assert_eq!(back[0].status, Status::Unreviewed);
                // Notes lose only the characters XML forbids.
                let clean = |s: &str| s.chars().filter(|c| xml_allowed(*c)).collect::<String>();
                prop_assert_eq!(back[0].note.clone(), note.map(|n| clean(&n)));
            }
        }
    }
}
