//! Glossaries as TBX (ISO 30042, TermBase eXchange).
//!
//! Reading understands both structures in use:
//! - TBX v3 (ISO 30042:2019; TBX-Basic, TBX-Core, TBX-Min in the DCA style):
//!   `<tbx>/<text>/<body>/<conceptEntry>/<langSec xml:lang>/<termSec>/<term>`;
//! - TBX 2008 (ISO 30042:2008; TBX-Basic 2.x, what most CAT tools export):
//!   `<martif>/<text>/<body>/<termEntry>/<langSet xml:lang>/<tig>|<ntig>/…/<term>`.
//!
//! Elements are known by their local names (any namespace). Of an entry, the terms in the source
//! language become the source terms (one stored entry each, sharing the rest), the terms in the
//! target language its targets; a target term whose `administrativeStatus` is
//! `deprecatedTerm-admn-sts` or `supersededTerm-admn-sts` is a forbidden variant instead. The
//! `partOfSpeech` term note, `<note>`s and the origination `transacGrp` (date and responsibility)
//! are kept; anything else is read past.
//!
//! Writing gives TBX-Basic v3 (DCA style), valid against the TBX core structure RNG
//! (`schemas/tbx/TBXcoreStructV03.rng`), using only data categories TBX-Basic defines. A stored
//! entry's review status travels as an entry-level `<note>` starting with [`STATUS_NOTE`], which
//! reading turns back into the status.

use std::io::Write;

use quick_xml::events::{BytesStart, Event};

use super::{NewTerm, ReadOptions, ReadReport, ReadTerm, Term, TermError, TermTarget};
use crate::formats::tmx::{attributes, escape_into, local, unescape_text, xml_line_ends};
use crate::unit::{date, LangTag, Status};

/// The entry-level note that carries an unreviewed status through TBX (TBX-Basic has no data
/// category for it).
pub const STATUS_NOTE: &str = "mizan-status: ";

/// The element whose text is being collected, with its `type` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Term,
    TermNote,
    Note,
    Transac,
    TransacNote,
    Date,
}

/// One term as read (`<termSec>`, `<tig>`, `<ntig>`).
#[derive(Debug, Default)]
struct ReadTermSec {
    text: String,
    pos: Option<String>,
    admin_status: Option<String>,
    notes: Vec<String>,
}

/// One concept entry as read.
#[derive(Debug, Default)]
struct Entry {
    line: u64,
    /// (language, term) in document order.
    terms: Vec<(String, ReadTermSec)>,
    notes: Vec<String>,
    pos: Option<String>,
    created_by: Option<String>,
    created_at: Option<String>,
    status: Option<Status>,
}

/// A `<transacGrp>` as read.
#[derive(Debug, Default)]
struct Transac {
    kind: String,
    date: Option<String>,
    who: Option<String>,
}

struct Reader<'o> {
    opts: &'o ReadOptions,
    report: ReadReport,
    entry: Option<Entry>,
    lang: Option<String>,
    term: Option<ReadTermSec>,
    transac: Option<Transac>,
    /// The field being collected: what, its `type`, its text, and the depth it opened at.
    field: Option<(Field, String, String, usize)>,
    depth: usize,
    seen_root: bool,
}

/// Reads a TBX glossary.
///
/// # Errors
/// [`TermError::Syntax`] with the line of the first XML error, or for a root that is neither
/// `<tbx>` nor `<martif>`.
pub fn read(text: &str, opts: &ReadOptions) -> Result<ReadReport, TermError> {
    let mut xml = quick_xml::Reader::from_str(text);
    xml.config_mut().trim_text(false);
    xml.config_mut().check_end_names = true;
    let mut r = Reader {
        opts,
        report: ReadReport::default(),
        entry: None,
        lang: None,
        term: None,
        transac: None,
        field: None,
        depth: 0,
        seen_root: false,
    };
    // Lines are counted incrementally from the parser's byte position.
    let (mut counted_to, mut line) = (0usize, 1u64);
    let mut line_at = |pos: usize| {
        let pos = pos.min(text.len());
        if pos > counted_to {
            line += text.as_bytes()[counted_to..pos].iter().filter(|&&b| b == b'\n').count() as u64;
            counted_to = pos;
        }
        line
    };
    loop {
        let before = xml.buffer_position() as usize;
        let event = xml.read_event().map_err(|e| {
            let at = xml.error_position() as usize;
            syntax(opts, line_at(at.max(before)), e.to_string())
        })?;
        let at = line_at(before + leading_space(&text.as_bytes()[before.min(text.len())..]));
        match event {
            Event::Start(e) => r.start(&e, at, false)?,
            Event::Empty(e) => {
                r.start(&e, at, true)?;
                r.end(local(e.name().as_ref()), at)?;
            }
            Event::End(e) => r.end(local(e.name().as_ref()), at)?,
            Event::Text(t) => {
                if let Some((_, _, buf, _)) = &mut r.field {
                    let raw = xml_line_ends(&t);
                    buf.push_str(&unescape_text(&raw).map_err(|m| syntax(opts, at, m))?);
                }
            }
            Event::CData(c) => {
                if let Some((_, _, buf, _)) = &mut r.field {
                    buf.push_str(&String::from_utf8_lossy(&xml_line_ends(&c)));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !r.seen_root {
        return Err(syntax(opts, 1, "no XML element: not a TBX file".to_string()));
    }
    if r.depth > 0 {
        return Err(syntax(
            opts,
            line_at(text.len()),
            "the file ends with elements still open: it is truncated".to_string(),
        ));
    }
    Ok(r.report)
}

/// Bytes of white space at the start of `b` (an event's position is where its markup starts).
fn leading_space(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_whitespace()).count()
}

fn syntax(opts: &ReadOptions, line: u64, message: String) -> TermError {
    TermError::Syntax {
        file: opts.file.clone(),
        line,
        message,
    }
}

fn attr(attrs: &[(String, String)], name: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

impl Reader<'_> {
    fn start(&mut self, e: &BytesStart<'_>, line: u64, empty: bool) -> Result<(), TermError> {
        let qname = e.name();
        let name = local(qname.as_ref());
        // An empty element opens and closes at once: [`Reader::end`] follows.
        let _ = empty;
        self.depth += 1;
        if !self.seen_root {
            self.seen_root = true;
            if name != "tbx" && name != "martif" {
                return Err(syntax(
                    self.opts,
                    line,
                    format!("not a TBX file: the root element is <{name}>, not <tbx> or <martif>"),
                ));
            }
            return Ok(());
        }
        if self.field.is_some() {
            // Inline markup inside a collected field (`<hi>`): its text is collected too.
            return Ok(());
        }
        let attrs = || attributes(e).map_err(|m| syntax(self.opts, line, m));
        match name {
            "termEntry" | "conceptEntry" => {
                self.entry = Some(Entry {
                    line,
                    ..Entry::default()
                });
            }
            "langSet" | "langSec" => {
                let a = attrs()?;
                self.lang = attr(&a, "xml:lang").or_else(|| attr(&a, "lang"));
            }
            "tig" | "ntig" | "termSec" => self.term = Some(ReadTermSec::default()),
            "transacGrp" => self.transac = Some(Transac::default()),
            _ => {
                let field = match name {
                    "term" => Field::Term,
                    "termNote" => Field::TermNote,
                    "note" => Field::Note,
                    "transac" => Field::Transac,
                    "transacNote" => Field::TransacNote,
                    "date" => Field::Date,
                    _ => return Ok(()),
                };
                if self.entry.is_none() {
                    return Ok(());
                }
                let kind = attr(&attrs()?, "type").unwrap_or_default();
                self.field = Some((field, kind, String::new(), self.depth));
            }
        }
        Ok(())
    }

    fn end(&mut self, name: &str, line: u64) -> Result<(), TermError> {
        let depth = self.depth;
        self.depth = self.depth.saturating_sub(1);
        if let Some((field, kind, text, at)) = self.field.take() {
            if at != depth {
                self.field = Some((field, kind, text, at));
                return Ok(());
            }
            self.field_done(field, &kind, text);
            return Ok(());
        }
        match name {
            "tig" | "ntig" | "termSec" => {
                if let (Some(term), Some(entry)) = (self.term.take(), self.entry.as_mut()) {
                    let Some(lang) = self.lang.clone() else {
                        return Err(syntax(
                            self.opts,
                            line,
                            format!("<{name}> outside a language section with xml:lang"),
                        ));
                    };
                    entry.terms.push((lang, term));
                }
            }
            "langSet" | "langSec" => self.lang = None,
            "transacGrp" => {
                if let (Some(t), Some(entry)) = (self.transac.take(), self.entry.as_mut()) {
                    if t.kind == "origination" && self.term.is_none() {
                        entry.created_by = entry.created_by.take().or(t.who);
                        entry.created_at = entry.created_at.take().or(t.date.and_then(|d| date::parse(&d).ok()));
                    }
                }
            }
            "termEntry" | "conceptEntry" => {
                if let Some(entry) = self.entry.take() {
                    self.finish(entry);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn field_done(&mut self, field: Field, kind: &str, text: String) {
        let trimmed = text.trim().to_string();
        match field {
            Field::Term => {
                if let Some(t) = &mut self.term {
                    t.text = text;
                }
            }
            Field::TermNote => {
                let slot = match kind {
                    "partOfSpeech" => 0,
                    "administrativeStatus" => 1,
                    _ => return,
                };
                if let Some(t) = &mut self.term {
                    if slot == 0 {
                        t.pos = Some(trimmed);
                    } else {
                        t.admin_status = Some(trimmed);
                    }
                } else if slot == 0 {
                    if let Some(e) = &mut self.entry {
                        e.pos = Some(trimmed);
                    }
                }
            }
            Field::Note => {
                if self.transac.is_some() || trimmed.is_empty() {
                    return;
                }
                if let Some(t) = &mut self.term {
                    t.notes.push(trimmed);
                } else if let Some(e) = &mut self.entry {
                    match trimmed.strip_prefix(STATUS_NOTE).and_then(|s| Status::parse(s.trim())) {
                        Some(s) => e.status = Some(s),
                        None => e.notes.push(trimmed),
                    }
                }
            }
            Field::Transac => {
                if let Some(t) = &mut self.transac {
                    t.kind = trimmed;
                }
            }
            Field::TransacNote => {
                if let Some(t) = &mut self.transac {
                    if kind == "responsibility" && !trimmed.is_empty() {
                        t.who = Some(trimmed);
                    }
                }
            }
            Field::Date => {
                if let Some(t) = &mut self.transac {
                    t.date = Some(trimmed);
                }
            }
        }
    }

    /// Turns a read entry into stored entries (one per source-language term), or a skip.
    fn finish(&mut self, entry: Entry) {
        let serves = |want: &LangTag, lang: &str| LangTag::parse(lang).is_ok_and(|l| want.serves(&l));
        let forbidden_status = |s: &Option<String>| {
            s.as_deref()
                .is_some_and(|s| s.starts_with("deprecatedTerm") || s.starts_with("supersededTerm"))
        };
        let mut targets = Vec::new();
        let mut forbidden = Vec::new();
        for (lang, t) in &entry.terms {
            if t.text.trim().is_empty() || !serves(&self.opts.target_lang, lang) {
                continue;
            }
            let item = TermTarget {
                lang: LangTag::parse(lang)
                    .map(|l| l.as_str().to_string())
                    .unwrap_or_else(|_| lang.clone()),
                text: t.text.clone(),
            };
            if forbidden_status(&t.admin_status) {
                forbidden.push(item);
            } else {
                targets.push(item);
            }
        }
        let sources: Vec<&(String, ReadTermSec)> = entry
            .terms
            .iter()
            .filter(|(lang, t)| {
                !t.text.trim().is_empty() && serves(&self.opts.source_lang, lang) && !forbidden_status(&t.admin_status)
            })
            .collect();
        if sources.is_empty() {
            self.report.skipped.push((
                entry.line,
                format!("no term in the source language ({})", self.opts.source_lang.as_str()),
            ));
            return;
        }
        if targets.is_empty() {
            self.report.skipped.push((
                entry.line,
                format!("no term in the target language ({})", self.opts.target_lang.as_str()),
            ));
            return;
        }
        for (lang, s) in sources {
            let mut notes = entry.notes.clone();
            notes.extend(s.notes.iter().cloned());
            let term = NewTerm {
                source_lang: LangTag::parse(lang)
                    .map(|l| l.as_str().to_string())
                    .unwrap_or_else(|_| lang.clone()),
                source: s.text.clone(),
                targets: targets.clone(),
                forbidden: forbidden.clone(),
                pos: s.pos.clone().or_else(|| entry.pos.clone()),
                note: (!notes.is_empty()).then(|| notes.join("\n")),
                status: entry.status.unwrap_or(Status::Reviewed),
                created_by: entry.created_by.clone().or_else(|| self.opts.author.clone()),
                created_at: entry.created_at.clone(),
                document: Some(self.opts.file.clone()),
            };
            self.report.terms.push(ReadTerm { line: entry.line, term });
        }
    }
}

/// Writes `terms` as a TBX-Basic v3 file (DCA style); returns how many characters XML 1.0
/// forbids were left out.
///
/// # Errors
/// The writer's.
pub fn write(out: &mut impl Write, terms: &[Term]) -> std::io::Result<u64> {
    let mut dropped = 0;
    let lang = terms.first().map(|t| t.term.source_lang.as_str()).unwrap_or("ar");
    let mut s = String::with_capacity(1 << 16);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<?xml-model href=\"https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng\" type=\"application/xml\" schematypens=\"http://relaxng.org/ns/structure/1.0\"?>\n");
    s.push_str("<?xml-model href=\"https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch\" type=\"application/xml\" schematypens=\"http://purl.oclc.org/dsdl/schematron\"?>\n");
    s.push_str("<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"");
    escape_into(&mut s, lang);
    s.push_str("\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n");
    s.push_str("  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n        <p>");
    s.push_str(concat!("exported by mizan ", env!("CARGO_PKG_VERSION")));
    s.push_str("</p>\n      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n  <text>\n    <body>\n");
    out.write_all(s.as_bytes())?;
    for t in terms {
        s.clear();
        let n = &t.term;
        s.push_str(&format!("      <conceptEntry id=\"t{}\">\n", t.id));
        // Entry level (auxInfo): origination, then notes.
        s.push_str(
            "        <transacGrp>\n          <transac type=\"transactionType\">origination</transac>\n          <date>",
        );
        dropped += escape_into(&mut s, &t.created_at);
        s.push_str("</date>\n");
        if let Some(who) = &n.created_by {
            s.push_str("          <transacNote type=\"responsibility\">");
            dropped += escape_into(&mut s, who);
            s.push_str("</transacNote>\n");
        }
        s.push_str("        </transacGrp>\n");
        if n.status == Status::Unreviewed {
            s.push_str(&format!("        <note>{STATUS_NOTE}unreviewed</note>\n"));
        }
        if let Some(note) = &n.note {
            s.push_str("        <note>");
            dropped += escape_into(&mut s, note);
            s.push_str("</note>\n");
        }
        s.push_str("        <langSec xml:lang=\"");
        escape_into(&mut s, &n.source_lang);
        s.push_str("\">\n");
        dropped += term_sec(&mut s, &n.source, n.pos.as_deref(), "preferredTerm-admn-sts");
        s.push_str("        </langSec>\n");
        // Targets grouped by language, in first-seen order; forbidden variants after them.
        let mut langs: Vec<&str> = Vec::new();
        for x in n.targets.iter().chain(&n.forbidden) {
            if !langs.contains(&x.lang.as_str()) {
                langs.push(&x.lang);
            }
        }
        for l in langs {
            s.push_str("        <langSec xml:lang=\"");
            escape_into(&mut s, l);
            s.push_str("\">\n");
            for x in n.targets.iter().filter(|x| x.lang == l) {
                dropped += term_sec(&mut s, &x.text, None, "preferredTerm-admn-sts");
            }
            for x in n.forbidden.iter().filter(|x| x.lang == l) {
                dropped += term_sec(&mut s, &x.text, None, "deprecatedTerm-admn-sts");
            }
            s.push_str("        </langSec>\n");
        }
        s.push_str("      </conceptEntry>\n");
        out.write_all(s.as_bytes())?;
    }
    out.write_all(b"    </body>\n  </text>\n</tbx>\n")?;
    Ok(dropped)
}

fn term_sec(s: &mut String, text: &str, pos: Option<&str>, admin: &str) -> u64 {
    s.push_str("          <termSec>\n            <term>");
    let mut dropped = escape_into(s, text);
    s.push_str("</term>\n");
    if let Some(pos) = pos {
        s.push_str("            <termNote type=\"partOfSpeech\">");
        dropped += escape_into(s, pos);
        s.push_str("</termNote>\n");
    }
    s.push_str("            <termNote type=\"administrativeStatus\">");
    s.push_str(admin);
    s.push_str("</termNote>\n          </termSec>\n");
    dropped
}
