//! Reading translated XLIFF (1.0–1.2, 2.x; Trados `.sdlxliff`, memoQ `.mqxliff`) back into the
//! TM: the rules are in the module doc of [`super`].

use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};

use super::super::pretranslated::returned_row;
use super::super::tabular::{CheckRow, CheckRows};
use super::super::tmx::{decoded_input, local, unescape_text, xml_line_ends, Position};
use super::super::{FormatError, ReadOptions, Record, Rejection};
use super::{MZ_POSITION, MZ_SUGGESTION, MZ_UNIT, MZ_WRITTEN_STATE, STATE_NONE};
use crate::unit::{LangTag, NewUnit, Origin, Status};

/// One element as read: its name as written, attributes (name as written, unescaped value), its
/// children, where it starts, and why its own text could not be read, if it could not.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    line: u64,
    column: u64,
    bad: Option<String>,
}

#[derive(Debug)]
enum Node {
    El(El),
    Text(String),
}

impl El {
    fn local(&self) -> &str {
        local(self.name.as_bytes())
    }
    /// An attribute by its name as written (`state`, `mq:status`, `xml:lang`).
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// An attribute of a namespace known by its usual prefix, under any prefix bound to `ns`.
    fn attr_ns(&self, ns: &str, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| {
                k.rsplit_once(':')
                    .is_some_and(|(p, l)| l == name && ns_of(p) == Some(ns))
            })
            .map(|(_, v)| v.as_str())
    }
    fn elements(&self) -> impl Iterator<Item = &El> {
        self.children.iter().filter_map(|n| match n {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }
    fn child(&self, name: &str) -> Option<&El> {
        self.elements().find(|e| e.local() == name)
    }
    /// The first reason some text in this element or below could not be read.
    fn first_bad(&self) -> Option<(&str, u64)> {
        if let Some(b) = &self.bad {
            return Some((b, self.line));
        }
        self.elements().find_map(El::first_bad)
    }
}

/// The namespace a conventional prefix stands for (tools write these prefixes; mizan does not
/// resolve other bindings of them).
fn ns_of(prefix: &str) -> Option<&'static str> {
    match prefix {
        "mz" => Some(super::MZ_NS),
        "sdl" => Some("sdl"),
        "mq" => Some("mq"),
        _ => None,
    }
}

/// Reads the whole document into elements. XLIFF job files are small (one article, one
/// document): the whole tree in memory is what lets a unit's status, which Trados keeps after
/// its text, be read with it.
fn parse<R: BufRead + Send>(input: R, file: &str) -> Result<El, FormatError> {
    let boxed = decoded_input(input, file)?;
    let mut xml = quick_xml::Reader::from_reader(Position {
        inner: boxed,
        line: 1,
        column: 1,
    });
    xml.config_mut().trim_text(false);
    xml.config_mut().check_end_names = true;
    let err = |xml: &quick_xml::Reader<Position<Box<dyn BufRead + Send + '_>>>, message: String| {
        let p = xml.get_ref();
        FormatError::Xml {
            file: file.to_string(),
            line: p.line,
            column: p.column.max(1),
            message,
        }
    };
    let mut stack: Vec<El> = Vec::new();
    let mut root: Option<El> = None;
    let mut buf = Vec::new();
    loop {
        let ev = match xml.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(e) => return Err(err(&xml, e.to_string())),
        };
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                if root.is_some() {
                    return Err(err(&xml, "content after the root element".into()));
                }
                let el = element(e).map_err(|m| err(&xml, m))?;
                let p = xml.get_ref();
                let el = El {
                    line: p.line,
                    column: p.column,
                    ..el
                };
                if empty {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(Node::El(el)),
                        None => root = Some(el),
                    }
                } else {
                    stack.push(el);
                }
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(err(&xml, "an end tag without its start".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::El(el)),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                if let Some(el) = stack.last_mut() {
                    let raw = xml_line_ends(&t);
                    match unescape_text(&raw) {
                        Ok(text) => el.children.push(Node::Text(text.into_owned())),
                        Err(m) => {
                            el.bad.get_or_insert(m);
                            el.children.push(Node::Text(String::from_utf8_lossy(&raw).into_owned()));
                        }
                    }
                }
            }
            Event::CData(c) => {
                if let Some(el) = stack.last_mut() {
                    let raw = xml_line_ends(&c);
                    match std::str::from_utf8(&raw) {
                        Ok(text) => el.children.push(Node::Text(text.to_string())),
                        Err(e) => el.bad = Some(format!("not UTF-8: {e}")),
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        return Err(err(
            &xml,
            format!(
                "the file ends with {} elements still open: it is truncated",
                stack.len()
            ),
        ));
    }
    root.ok_or_else(|| err(&xml, "no <xliff> element: the file is empty or not XML".into()))
}

fn element(e: &BytesStart<'_>) -> Result<El, String> {
    let name = std::str::from_utf8(e.name().as_ref())
        .map_err(|_| "an element name that is not UTF-8".to_string())?
        .to_string();
    let attrs = crate::formats::tmx::attributes(e)?;
    Ok(El {
        name,
        attrs,
        ..El::default()
    })
}

/// The plain text of inline content: codes (`bpt`, `ept`, `ph`, `it`, 2.x `ph`/`sc`/`ec`/`sm`/
/// `em`) leave out their native code, a space standing where a code stood between two word
/// characters (as in TMX, [`super::super::tmx`]); `g`, `pc`, `mrk` and `sub` give their text;
/// deleted revisions (Trados `mrk mtype="x-sdl-deleted"`, elements named `del` or `deleted`) and
/// memoQ history give nothing; `cp` gives its character.
fn plain_text(el: &El) -> String {
    let mut out = String::new();
    let mut code = false;
    collect(el, &mut out, &mut code);
    out
}

fn collect(el: &El, out: &mut String, code: &mut bool) {
    for n in &el.children {
        match n {
            Node::Text(t) => {
                if *code {
                    let before = out.chars().next_back().is_some_and(char::is_alphanumeric);
                    let after = t.chars().next().is_some_and(char::is_alphanumeric);
                    if before && after {
                        out.push(' ');
                    }
                    *code = false;
                }
                out.push_str(t);
            }
            Node::El(e) => match e.local() {
                "bpt" | "ept" | "ph" | "it" | "x" | "bx" | "ex" | "sc" | "ec" | "sm" | "em" | "ut" => {
                    *code = true;
                }
                "del" | "deleted" | "historical-unit" => {}
                "mrk" if e.attr("mtype").is_some_and(|t| t.contains("deleted")) => {}
                "cp" => {
                    if let Some(c) = e
                        .attr("hex")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                    {
                        out.push(c);
                    }
                }
                _ => collect(e, out, code),
            },
        }
    }
}

/// The inline content of a source or target as XML, for `mizan check`'s tag rule: codes (`g`,
/// `x`, `bpt`, `ph`, `pc`, `sc`, …) as written, text escaped, annotations (`mrk`, `sm`, `em`)
/// left out around their text, deleted revisions and history left out as [`plain_text`] does,
/// `cp` as its character. `None` when the element holds no element at all.
fn markup(el: &El) -> Option<String> {
    fn render(el: &El, out: &mut String) {
        for n in &el.children {
            match n {
                Node::Text(t) => {
                    super::super::tmx::escape_into(out, t);
                }
                Node::El(e) => match e.local() {
                    "del" | "deleted" | "historical-unit" => {}
                    "mrk" if e.attr("mtype").is_some_and(|t| t.contains("deleted")) => {}
                    "mrk" | "sm" | "em" => render(e, out),
                    "cp" => {
                        if let Some(c) = e
                            .attr("hex")
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .and_then(char::from_u32)
                        {
                            super::super::tmx::escape_into(out, c.encode_utf8(&mut [0; 4]));
                        }
                    }
                    _ => {
                        out.push('<');
                        out.push_str(&e.name);
                        for (k, v) in &e.attrs {
                            out.push(' ');
                            out.push_str(k);
                            out.push_str("=\"");
                            super::super::tmx::escape_into(out, v);
                            out.push('"');
                        }
                        if e.children.is_empty() {
                            out.push_str("/>");
                        } else {
                            out.push('>');
                            render(e, out);
                            out.push_str("</");
                            out.push_str(&e.name);
                            out.push('>');
                        }
                    }
                },
            }
        }
    }
    el.elements().next()?;
    let mut out = String::new();
    render(el, &mut out);
    Some(out)
}

/// Whether a translator finished a segment, as its file says.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    Finished,
    Unfinished(String),
}

/// XLIFF 1.2: the state of a target and the trans-unit's `approved`, with Trados' and memoQ's
/// own statuses first when the file has them.
fn verdict_12(state: Option<&str>, approved: Option<&str>, sdl_conf: Option<&str>, mq_status: Option<&str>) -> Verdict {
    if let Some(conf) = sdl_conf {
        return match conf {
            "Translated" | "ApprovedTranslation" | "ApprovedSignOff" => Verdict::Finished,
            other => Verdict::Unfinished(format!("Trados status {other}")),
        };
    }
    if let Some(status) = mq_status {
        return match status {
            "Confirmed" | "ManuallyConfirmed" | "Proofread" | "Reviewer1Confirmed" | "Reviewer2Confirmed" => {
                Verdict::Finished
            }
            other => Verdict::Unfinished(format!("memoQ status {other}")),
        };
    }
    let finished_state = matches!(state, Some("translated" | "signed-off" | "final"));
    let approved = approved == Some("yes");
    match (finished_state, approved, state) {
        (true, _, _) => Verdict::Finished,
        // Decision: `approved="yes"` with a state that says work remains is a conflict, and the
        // state (the more specific word, usually the later one) wins: not stored, reported.
        (false, true, Some(s)) => Verdict::Unfinished(format!("approved=\"yes\" but state=\"{s}\" (conflict)")),
        (false, true, None) => Verdict::Finished,
        (false, false, Some(s)) => Verdict::Unfinished(format!("state=\"{s}\"")),
        (false, false, None) => Verdict::Unfinished("no state and not approved".into()),
    }
}

/// XLIFF 2.x: a segment's `state` (default `initial`).
fn verdict_2(state: Option<&str>) -> Verdict {
    match state.unwrap_or("initial") {
        "translated" | "reviewed" | "final" => Verdict::Finished,
        other => Verdict::Unfinished(format!("state=\"{other}\"")),
    }
}

/// What mizan wrote on a unit of its own pre-translation file.
struct Written<'a> {
    state: &'a str,
    suggestion: Option<&'a str>,
    unit_id: Option<i64>,
}

fn written(unit: &El) -> Option<Written<'_>> {
    Some(Written {
        state: unit.attr_ns(super::MZ_NS, MZ_WRITTEN_STATE)?,
        suggestion: unit.attr_ns(super::MZ_NS, MZ_SUGGESTION),
        unit_id: unit.attr_ns(super::MZ_NS, MZ_UNIT).and_then(|v| v.parse().ok()),
    })
}

/// One segment found, before the trust rules.
struct Found<'a> {
    line: u64,
    source: String,
    target: Option<String>,
    /// The state now (1.2: the target's, 2.x: the segment's), `None` without one.
    state: Option<&'a str>,
    verdict: Verdict,
    /// Whether the status came from a tool's own field (Trados, memoQ), which mizan never writes.
    tool_status: bool,
    props: Vec<(String, String)>,
    note: Option<String>,
    changed_by: Option<String>,
    position: Option<i64>,
    /// 1.2: the target's `state-qualifier` and the `<alt-trans>` targets (for foreign files).
    qualifier: Option<&'a str>,
    alternatives: Vec<String>,
    /// The source and target elements (for `mizan check`'s inline codes).
    source_el: Option<&'a El>,
    target_el: Option<&'a El>,
}

/// Reads a translated XLIFF file (any version mizan reads) as records.
pub struct XliffReader {
    records: std::vec::IntoIter<Result<Record, FormatError>>,
}

impl XliffReader {
    /// Reads `input` whole and works out its records.
    ///
    /// # Errors
    /// [`FormatError::Xml`] for XML that is not well-formed or a truncated file;
    /// [`FormatError::Invalid`] for a file that is not XLIFF, a version mizan does not read, or
    /// languages that are not the TM's; the encoding errors of [`super::super::tmx::TmxReader`].
    /// Nothing is stored from such a file.
    pub fn new<R: BufRead + Send>(input: R, opts: ReadOptions) -> Result<Self, FormatError> {
        Self::read(input, opts, false)
    }

    /// Like [`XliffReader::new`], but the languages the file declares are not checked: the file
    /// is read as `opts`' source and target language. For files whose tool writes a placeholder
    /// (translate-toolkit's `po2xliff` declares `source-language="en-US"` and no target language,
    /// whatever the PO file holds); the caller asks for it by name (`import --assume-languages`).
    ///
    /// # Errors
    /// As [`XliffReader::new`], languages aside.
    pub fn assuming_languages<R: BufRead + Send>(input: R, opts: ReadOptions) -> Result<Self, FormatError> {
        Self::read(input, opts, true)
    }

    fn read<R: BufRead + Send>(input: R, opts: ReadOptions, assume_languages: bool) -> Result<Self, FormatError> {
        let records = Self::records(input, &opts, assume_languages, None)?;
        Ok(XliffReader {
            records: records.into_iter(),
        })
    }

    /// The records of a file; with `check`, every segment is put there as read instead (no
    /// trust rules: `mizan check` looks at unfinished segments too).
    fn records<R: BufRead + Send>(
        input: R,
        opts: &ReadOptions,
        assume_languages: bool,
        check: Option<&mut Vec<CheckRow>>,
    ) -> Result<Vec<Result<Record, FormatError>>, FormatError> {
        let root = parse(input, &opts.file)?;
        let invalid = |el: &El, message: String| FormatError::Invalid {
            file: opts.file.clone(),
            line: el.line,
            column: el.column.max(1),
            message,
        };
        if root.local() != "xliff" {
            return Err(invalid(
                &root,
                format!("the root element is <{}>, not <xliff>: not an XLIFF file", root.name),
            ));
        }
        let version = root.attr("version").unwrap_or("");
        let mut out = Vec::new();
        let mut reader = Ctx {
            opts,
            out: &mut out,
            assume_languages,
            check,
        };
        match version {
            "1.0" | "1.1" | "1.2" => {
                for file in root.elements().filter(|e| e.local() == "file") {
                    let src = file.attr("source-language");
                    let tgt = file.attr("target-language");
                    reader.check_langs(file, src, tgt, "source-language", "target-language")?;
                    reader.file_12(file)?;
                }
            }
            v if v.starts_with("2.") => {
                let (src, tgt) = (root.attr("srcLang"), root.attr("trgLang"));
                reader.check_langs(&root, src, tgt, "srcLang", "trgLang")?;
                for file in root.elements().filter(|e| e.local() == "file") {
                    reader.file_2(file)?;
                }
            }
            "" => return Err(invalid(&root, "<xliff> has no version attribute".into())),
            v => {
                return Err(invalid(
                    &root,
                    format!("XLIFF version {v} is not read (mizan reads 1.0–1.2 and 2.x)"),
                ))
            }
        }
        Ok(out)
    }
}

/// The segments of an XLIFF file for `mizan check` ([`crate::check`]): every segment, finished
/// or not, with its texts as read (an empty or missing target is an empty text) and its inline
/// codes as markup; a unit whose text cannot be read is a rejection. `assume_languages` as
/// [`XliffReader::assuming_languages`].
///
/// # Errors
/// As [`XliffReader::new`].
pub(crate) fn check_rows<R: BufRead + Send>(
    input: R,
    opts: &ReadOptions,
    assume_languages: bool,
) -> Result<CheckRows, FormatError> {
    let mut rows = Vec::new();
    let records = XliffReader::records(input, opts, assume_languages, Some(&mut rows))?;
    let mut out: CheckRows = rows.into_iter().map(Ok).collect();
    for r in records {
        if let Record::Rejected(r) = r? {
            out.push(Err(r));
        }
    }
    Ok(out)
}

impl Iterator for XliffReader {
    type Item = Result<Record, FormatError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.records.next()
    }
}

struct Ctx<'o> {
    opts: &'o ReadOptions,
    out: &'o mut Vec<Result<Record, FormatError>>,
    assume_languages: bool,
    /// `mizan check`: where every segment goes, as read.
    check: Option<&'o mut Vec<CheckRow>>,
}

impl Ctx<'_> {
    fn invalid(&self, el: &El, message: String) -> FormatError {
        FormatError::Invalid {
            file: self.opts.file.clone(),
            line: el.line,
            column: el.column.max(1),
            message,
        }
    }

    /// The file's languages must be the TM's (primary subtags: `en-US` is `en`). An undeclared
    /// target language is read as the TM's, with a notice: it is the one place XLIFF 1.2 allows
    /// it to be missing, and the file's own name (mizan wrote it, or a tool from it) ties it to
    /// this TM.
    fn check_langs(
        &mut self,
        el: &El,
        src: Option<&str>,
        tgt: Option<&str>,
        src_name: &str,
        tgt_name: &str,
    ) -> Result<(), FormatError> {
        if self.assume_languages {
            return Ok(());
        }
        for (declared, want, name) in [
            (src, &self.opts.source_lang, src_name),
            (tgt, &self.opts.target_lang, tgt_name),
        ] {
            match declared {
                Some(d) => {
                    let ok = LangTag::parse(d).is_ok_and(|d| d.language().eq_ignore_ascii_case(want.language()));
                    if !ok {
                        return Err(self.invalid(
                            el,
                            format!("{name}=\"{d}\" is not the TM's language {want} (give --src-lang/--tgt-lang for another pair, or --assume-languages to read the file as that pair whatever it declares)"),
                        ));
                    }
                }
                None if name == src_name => {
                    return Err(self.invalid(el, format!("no {name}: the source language must be declared")))
                }
                None => self.out.push(Ok(Record::Notice(Rejection {
                    line: el.line,
                    reason: format!("no {name} declared: read as the TM's target language {want}"),
                }))),
            }
        }
        Ok(())
    }

    fn file_12(&mut self, file: &El) -> Result<(), FormatError> {
        let document = file.attr("original").map(str::to_string);
        let mut position = 0i64;
        let mut units = Vec::new();
        trans_units(file, &mut units);
        for tu in units {
            // translate-toolkit's PO header entry is metadata, not a segment.
            if tu.attr("translate") == Some("no") || tu.attr("restype") == Some("x-gettext-domain-header") {
                continue;
            }
            if let Some((why, line)) = tu.first_bad() {
                self.out.push(Ok(Record::Rejected(Rejection {
                    line,
                    reason: format!("text that cannot be read ({why}): the trans-unit is not stored"),
                })));
                continue;
            }
            for found in segments_12(tu) {
                let position_now = found.position.unwrap_or(position);
                position += 1;
                self.decide(found, tu, document.as_deref(), position_now);
            }
        }
        Ok(())
    }

    fn file_2(&mut self, file: &El) -> Result<(), FormatError> {
        let document = file.attr("original").or(file.attr("id")).map(str::to_string);
        let mut position = 0i64;
        let mut units = Vec::new();
        units_2(file, &mut units);
        for unit in units {
            if unit.attr("translate") == Some("no") {
                continue;
            }
            if let Some((why, line)) = unit.first_bad() {
                self.out.push(Ok(Record::Rejected(Rejection {
                    line,
                    reason: format!("text that cannot be read ({why}): the unit is not stored"),
                })));
                continue;
            }
            let note = notes(
                unit.child("notes")
                    .map(|n| n.elements().filter(|e| e.local() == "note").collect())
                    .unwrap_or_default(),
            );
            let mz_position = unit.attr_ns(super::MZ_NS, MZ_POSITION).and_then(|p| p.parse().ok());
            for seg in unit.elements().filter(|e| e.local() == "segment") {
                let state = seg.attr("state");
                let mut props = vec![(
                    "x-xliff-id".to_string(),
                    format!("{}/{}", unit.attr("id").unwrap_or(""), seg.attr("id").unwrap_or("")),
                )];
                props.push(("x-xliff-state".into(), state.unwrap_or("initial").into()));
                if let Some(sub) = seg.attr("subState") {
                    props.push(("x-xliff-substate".into(), sub.into()));
                }
                if let Some(name) = unit.attr("name") {
                    props.push(("x-xliff-resname".into(), name.into()));
                }
                let found = Found {
                    line: seg.line,
                    source: seg.child("source").map(plain_text).unwrap_or_default(),
                    target: seg.child("target").map(plain_text),
                    state: Some(state.unwrap_or("initial")),
                    verdict: verdict_2(state),
                    tool_status: false,
                    props,
                    note: note.clone(),
                    changed_by: None,
                    position: mz_position,
                    qualifier: None,
                    alternatives: Vec::new(),
                    source_el: seg.child("source"),
                    target_el: seg.child("target"),
                };
                let position_now = found.position.unwrap_or(position);
                position += 1;
                self.decide(found, unit, document.as_deref(), position_now);
            }
        }
        Ok(())
    }

    /// Applies the trust rules to one segment and records what becomes of it.
    fn decide(&mut self, f: Found<'_>, unit_el: &El, document: Option<&str>, position: i64) {
        let line = f.line;
        if let Some(rows) = &mut self.check {
            return rows.push(CheckRow {
                line,
                id: f.props.first().map(|(_, id)| id.clone()).filter(|id| !id.is_empty()),
                source: f.source,
                target: f.target.unwrap_or_default(),
                source_markup: f.source_el.and_then(markup),
                target_markup: f.target_el.and_then(markup),
            });
        }
        let skip = |reason: String| Record::Skipped { line, reason };
        let target = match &f.target {
            Some(t) if !t.trim().is_empty() => t.clone(),
            _ => return self.out.push(Ok(skip("no translation".into()))),
        };
        if f.source.trim().is_empty() {
            return self.out.push(Ok(skip("empty source".into())));
        }
        let mut unit = match NewUnit::with_tags(
            self.opts.source_lang.clone(),
            self.opts.target_lang.clone(),
            f.source.clone(),
            target.clone(),
            Origin::Human,
        ) {
            Ok(u) => u,
            Err(e) => {
                return self.out.push(Ok(Record::Rejected(Rejection {
                    line,
                    reason: e.to_string(),
                })))
            }
        };
        unit.document = document.map(str::to_string).or_else(|| Some(self.opts.file.clone()));
        unit.position = Some(position);
        unit.props = f.props;
        unit.note = f.note;
        unit.changed_by = f.changed_by;
        let record = match written(unit_el) {
            Some(w) => {
                // mizan's own file: a state still as mizan wrote it says nothing about the
                // translator (OmegaT, for one, never changes it), so the edit rule of every
                // pre-translation file decides; a state or status the tool changed is the
                // translator's word.
                let edited = match w.suggestion {
                    Some(s) => target != s,
                    None => true,
                };
                let changed = f.tool_status || f.state.unwrap_or(STATE_NONE) != w.state;
                if changed {
                    match f.verdict {
                        Verdict::Finished if target == f.source && w.unit_id.is_none() && !edited => {
                            skip("the target is the copy of the source mizan wrote".into())
                        }
                        Verdict::Finished => returned_row(line, unit, w.unit_id, Some(edited), true),
                        Verdict::Unfinished(why) => skip(format!("not finished ({why})")),
                    }
                } else if w.unit_id.is_none() && !edited {
                    skip("not translated (the target is still the copy of the source)".into())
                } else {
                    returned_row(line, unit, w.unit_id, Some(edited), false)
                }
            }
            None => match f.verdict {
                Verdict::Finished => {
                    // A tool's own fuzzy or machine suggestion, marked translated by the tool
                    // and left as it was, is nobody's reviewed translation.
                    let machine = f.qualifier.is_some_and(|q| {
                        matches!(
                            q,
                            "fuzzy-match" | "mt-suggestion" | "leveraged-mt" | "leveraged-inherited" | "leveraged-tm"
                        )
                    });
                    if machine && f.alternatives.contains(&target) {
                        unit.origin = Origin::Tmx;
                        unit.status = Status::Unreviewed;
                    } else {
                        unit.status = Status::Reviewed;
                    }
                    Record::Unit {
                        line,
                        unit: Box::new(unit),
                    }
                }
                Verdict::Unfinished(why) => skip(format!("not finished ({why})")),
            },
        };
        self.out.push(Ok(record));
    }
}

/// The trans-units of a 1.2 `<file>`, in document order (inside `<group>`s too).
fn trans_units<'a>(el: &'a El, out: &mut Vec<&'a El>) {
    for e in el.elements() {
        match e.local() {
            "trans-unit" => out.push(e),
            "alt-trans" | "header" | "historical-unit" => {}
            _ => trans_units(e, out),
        }
    }
}

/// The units of a 2.x `<file>`, in document order.
fn units_2<'a>(el: &'a El, out: &mut Vec<&'a El>) {
    for e in el.elements() {
        match e.local() {
            "unit" => out.push(e),
            "group" => units_2(e, out),
            _ => {}
        }
    }
}

/// Notes as one text, one per line.
fn notes(list: Vec<&El>) -> Option<String> {
    let texts: Vec<String> = list
        .iter()
        .map(|n| plain_text(n))
        .filter(|t| !t.trim().is_empty())
        .collect();
    (!texts.is_empty()).then(|| texts.join("\n"))
}

/// The `<mrk mtype="seg">` segments of a 1.2 `<seg-source>` or `<target>`: (mid, element).
fn seg_marks(el: &El) -> Vec<(&str, &El)> {
    let mut out = Vec::new();
    fn walk<'a>(el: &'a El, out: &mut Vec<(&'a str, &'a El)>) {
        for e in el.elements() {
            if e.local() == "mrk" && e.attr("mtype") == Some("seg") {
                out.push((e.attr("mid").unwrap_or(""), e));
            } else {
                walk(e, out);
            }
        }
    }
    walk(el, &mut out);
    out
}

/// The segments of a 1.2 trans-unit: one per `<mrk mtype="seg">` of its `<seg-source>`, else
/// the whole `<source>`/`<target>`.
fn segments_12<'a>(tu: &'a El) -> Vec<Found<'a>> {
    let target_el = tu.child("target");
    let state = target_el.and_then(|t| t.attr("state"));
    let qualifier = target_el.and_then(|t| t.attr("state-qualifier"));
    let approved = tu.attr("approved");
    let mq_status = tu.attr_ns("mq", "status");
    let changed_by = tu.attr_ns("mq", "lastchangedby").map(str::to_string);
    let note = notes(
        tu.elements()
            .filter(|e| e.local() == "note" && e.attr("from") != Some(super::write::TERMS_NOTE_FROM))
            .collect(),
    );
    let alternatives: Vec<String> = tu
        .elements()
        .filter(|e| e.local() == "alt-trans")
        .filter_map(|a| a.child("target").map(plain_text))
        .collect();
    let mz_position = tu.attr_ns(super::MZ_NS, MZ_POSITION).and_then(|p| p.parse().ok());
    let mut base = vec![("x-xliff-id".to_string(), tu.attr("id").unwrap_or("").to_string())];
    if let Some(r) = tu.attr("resname") {
        base.push(("x-xliff-resname".into(), r.into()));
    }
    if let Some(s) = state {
        base.push(("x-xliff-state".into(), s.into()));
    }
    if let Some(q) = qualifier {
        base.push(("x-xliff-state-qualifier".into(), q.into()));
    }
    if let Some(a) = approved {
        base.push(("x-xliff-approved".into(), a.into()));
    }
    if let Some(s) = mq_status {
        base.push(("x-mq-status".into(), s.into()));
    }
    let sdl_defs: Vec<&El> = tu
        .elements()
        .filter(|e| e.local() == "seg-defs")
        .flat_map(|d| d.elements().filter(|e| e.local() == "seg"))
        .collect();
    let sdl = |mid: &str| sdl_defs.iter().find(|s| s.attr("id") == Some(mid)).copied();
    let make = |line, source_el: Option<&'a El>, target_el: Option<&'a El>, mid: Option<&str>| {
        let seg_def = mid.and_then(sdl);
        let conf = seg_def.and_then(|s| s.attr("conf"));
        let mut props = base.clone();
        if let Some(mid) = mid {
            props[0].1 = format!("{}/{mid}", props[0].1);
        }
        if let Some(c) = conf {
            props.push(("x-sdl-conf".into(), c.into()));
        }
        let by = seg_def
            .and_then(|s| {
                s.elements()
                    .find(|v| v.local() == "value" && v.attr("key") == Some("last_modified_by"))
            })
            .map(plain_text);
        Found {
            line,
            source: source_el.map(plain_text).unwrap_or_default(),
            target: target_el.map(plain_text),
            state,
            verdict: verdict_12(state, approved, conf, mq_status),
            tool_status: conf.is_some() || mq_status.is_some(),
            props,
            note: note.clone(),
            changed_by: by.or_else(|| changed_by.clone()),
            position: mz_position,
            qualifier,
            alternatives: alternatives.clone(),
            source_el,
            target_el,
        }
    };
    match tu.child("seg-source") {
        Some(seg_source) if !seg_marks(seg_source).is_empty() => {
            let targets = target_el.map(seg_marks).unwrap_or_default();
            seg_marks(seg_source)
                .into_iter()
                .map(|(mid, src)| {
                    let target = targets.iter().find(|(m, _)| *m == mid).map(|(_, t)| *t);
                    let mut f = make(src.line, Some(src), target, Some(mid));
                    // A position per segment: the trans-unit's marks count as segments.
                    f.position = None;
                    f
                })
                .collect()
        }
        _ => vec![make(tu.line, tu.child("source"), target_el, None)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> ReadOptions {
        ReadOptions {
            file: "t.xlf".into(),
            source_lang: LangTag::parse("ar").unwrap(),
            target_lang: LangTag::parse("en").unwrap(),
        }
    }

    fn read(xml: &str) -> Vec<Record> {
        XliffReader::new(xml.as_bytes(), opts())
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    fn stored(recs: &[Record]) -> Vec<(&str, &str, Status)> {
        recs.iter()
            .filter_map(|r| match r {
                Record::Unit { unit, .. } => Some((unit.source.as_str(), unit.target.as_str(), unit.status)),
                _ => None,
            })
            .collect()
    }

    fn v12(units: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n<file original=\"doc.txt\" source-language=\"ar\" target-language=\"en-US\" datatype=\"plaintext\"><body>\n{units}\n</body></file></xliff>"
        )
    }

    #[test]
    fn xliff_12_stores_only_finished_segments() {
        let recs = read(&v12(
            "<trans-unit id=\"a\"><source>واحد</source><target state=\"translated\">one</target></trans-unit>\n\
             <trans-unit id=\"b\"><source>اثنان</source><target state=\"needs-review-translation\">two</target></trans-unit>\n\
             <trans-unit id=\"c\" approved=\"yes\"><source>ثلاثة</source><target>three</target></trans-unit>\n\
             <trans-unit id=\"d\" approved=\"yes\"><source>أربعة</source><target state=\"needs-translation\">four</target></trans-unit>\n\
             <trans-unit id=\"e\"><source>خمسة</source><target state=\"final\">fi<bpt id=\"1\">&lt;b&gt;</bpt>ve<ept id=\"1\">&lt;/b&gt;</ept></target><note>checked</note></trans-unit>\n\
             <trans-unit id=\"f\"><source>ستة</source></trans-unit>",
        ));
        assert_eq!(
            stored(&recs),
            vec![
                ("واحد", "one", Status::Reviewed),
                ("ثلاثة", "three", Status::Reviewed),
                ("خمسة", "fi ve", Status::Reviewed)
            ]
        );
        let skipped: Vec<&str> = recs
            .iter()
            .filter_map(|r| match r {
                Record::Skipped { reason, .. } => Some(reason.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(skipped.len(), 3, "{skipped:?}");
        assert!(skipped[1].contains("conflict"), "{skipped:?}");
        let Record::Unit { unit, .. } = &recs[4] else {
            panic!("{:?}", recs[4])
        };
        assert_eq!(unit.document.as_deref(), Some("doc.txt"));
        assert_eq!(unit.position, Some(4));
        assert_eq!(unit.note.as_deref(), Some("checked"));
        assert!(unit.props.contains(&("x-xliff-state".into(), "final".into())));
    }

    #[test]
    fn the_glossary_note_of_a_pretranslation_is_not_read_back() {
        let recs = read(&v12(
            "<trans-unit id=\"a\"><source>قال بوتين</source><target state=\"final\">Putin said</target>\
             <note from=\"mizan-terms\" annotates=\"source\">بوتين = Putin</note><note>checked by lina</note></trans-unit>",
        ));
        let Record::Unit { unit, .. } = &recs[0] else {
            panic!("{:?}", recs[0])
        };
        assert_eq!(unit.note.as_deref(), Some("checked by lina"));
    }

    #[test]
    fn a_foreign_fuzzy_suggestion_marked_translated_and_untouched_stays_unreviewed() {
        let recs = read(&v12(
            "<trans-unit id=\"a\"><source>واحد</source><target state=\"translated\" state-qualifier=\"fuzzy-match\">one</target>\
             <alt-trans match-quality=\"80\"><source>واحدة</source><target>one</target></alt-trans></trans-unit>",
        ));
        assert_eq!(stored(&recs), vec![("واحد", "one", Status::Unreviewed)]);
    }

    #[test]
    fn trados_status_is_read_per_mrk_and_revisions_are_left_out() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xliff xmlns:sdl=\"http://sdl.com/FileTypes/SdlXliff/1.0\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" version=\"1.2\" sdl:version=\"1.0\">\n\
            <file original=\"a.docx\" datatype=\"x-sdlfilterframework2\" source-language=\"ar-SA\" target-language=\"en-US\"><body>\n\
            <trans-unit id=\"u1\"><source>واحد. اثنان.</source>\n\
            <seg-source><mrk mtype=\"seg\" mid=\"1\">واحد.</mrk> <mrk mtype=\"seg\" mid=\"2\">اثنان.</mrk></seg-source>\n\
            <target><mrk mtype=\"seg\" mid=\"1\">One<mrk mtype=\"x-sdl-deleted\" sdl:revid=\"r1\"> single</mrk>.</mrk> <mrk mtype=\"seg\" mid=\"2\">Two.</mrk></target>\n\
            <sdl:seg-defs><sdl:seg id=\"1\" conf=\"ApprovedTranslation\"><sdl:value key=\"last_modified_by\">lina</sdl:value></sdl:seg><sdl:seg id=\"2\" conf=\"Draft\"/></sdl:seg-defs>\n\
            </trans-unit></body></file></xliff>";
        let recs = read(xml);
        assert_eq!(stored(&recs), vec![("واحد.", "One.", Status::Reviewed)]);
        let Record::Unit { unit, .. } = &recs[0] else { panic!() };
        assert_eq!(unit.changed_by.as_deref(), Some("lina"));
        assert!(matches!(&recs[1], Record::Skipped { reason, .. } if reason.contains("Draft")));
    }

    #[test]
    fn memoq_status_wins_and_history_is_left_out() {
        let xml = "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" xmlns:mq=\"MQXliff\"><file original=\"b.txt\" source-language=\"ar\" target-language=\"en\" datatype=\"plaintext\"><body>\n\
            <trans-unit id=\"1\" mq:status=\"ManuallyConfirmed\" mq:lastchangedby=\"omar\"><source>واحد</source><target>one</target>\
            <mq:historical-unit><source>واحد</source><target>uno</target></mq:historical-unit></trans-unit>\n\
            <trans-unit id=\"2\" mq:status=\"PartiallyEdited\"><source>اثنان</source><target state=\"translated\">two</target></trans-unit>\n\
            </body></file></xliff>";
        let recs = read(xml);
        assert_eq!(stored(&recs), vec![("واحد", "one", Status::Reviewed)]);
        let Record::Unit { unit, .. } = &recs[0] else { panic!() };
        assert_eq!(unit.changed_by.as_deref(), Some("omar"));
        assert_eq!(recs.len(), 2);
    }

    #[test]
    fn xliff_2_reads_every_segment_of_a_unit_with_its_state() {
        let xml = "<xliff version=\"2.1\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" xmlns:mtc=\"urn:oasis:names:tc:xliff:matches:2.0\" srcLang=\"ar\" trgLang=\"en\">\n\
            <file id=\"f1\" original=\"c.txt\"><unit id=\"u1\">\n\
            <mtc:matches><mtc:match ref=\"#s1\"><source>واحدة</source><target>a one</target></mtc:match></mtc:matches>\n\
            <segment id=\"s1\" state=\"reviewed\"><source>واحد<ph id=\"1\"/>.</source><target><pc id=\"2\">One</pc>.</target></segment>\n\
            <ignorable><source> </source></ignorable>\n\
            <segment id=\"s2\"><source>اثنان.</source><target>Two.</target></segment>\n\
            <segment id=\"s3\" state=\"final\"><source>ثلاثة<cp hex=\"0007\"/>.</source><target>Three.</target></segment>\n\
            </unit></file></xliff>";
        let recs = read(xml);
        assert_eq!(
            stored(&recs),
            vec![
                ("واحد.", "One.", Status::Reviewed),
                ("ثلاثة\u{7}.", "Three.", Status::Reviewed)
            ]
        );
        let Record::Unit { unit, .. } = &recs[2] else { panic!() };
        assert_eq!((unit.document.as_deref(), unit.position), (Some("c.txt"), Some(2)));
    }

    #[test]
    fn bad_files_are_refused_with_their_place() {
        let err = |xml: &str| XliffReader::new(xml.as_bytes(), opts()).err().unwrap();
        assert!(matches!(
            err("<xliff version=\"1.2\"><file>\n<body></file>"),
            FormatError::Xml { line: 2, .. }
        ));
        assert!(matches!(
            err("<xliff version=\"3.0\"/>"),
            FormatError::Invalid { line: 1, ref message, .. } if message.contains("version 3.0")
        ));
        assert!(matches!(err("<tmx version=\"1.4\"/>"), FormatError::Invalid { .. }));
        let fr = "<xliff version=\"1.2\">\n<file original=\"x\" source-language=\"ar\" target-language=\"fr\" datatype=\"plaintext\"><body/></file></xliff>";
        assert!(matches!(
            err(fr),
            FormatError::Invalid { line: 2, ref message, .. } if message.contains("fr")
        ));
    }

    #[test]
    fn undeclared_target_language_is_a_notice_and_invalid_bytes_reject_their_unit() {
        let mut xml = b"<xliff version=\"1.2\"><file original=\"x\" source-language=\"ar\" datatype=\"plaintext\"><body>\n<trans-unit id=\"1\"><source>".to_vec();
        xml.extend_from_slice(b"\xff\xfe bad</source><target state=\"final\">x</target></trans-unit>\n");
        xml.extend_from_slice("<trans-unit id=\"2\"><source>جيد</source><target state=\"final\">good</target></trans-unit></body></file></xliff>".as_bytes());
        let recs: Vec<Record> = XliffReader::new(&xml[..], opts())
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert!(
            matches!(&recs[0], Record::Notice(n) if n.reason.contains("target-language")),
            "{recs:?}"
        );
        assert!(
            matches!(&recs[1], Record::Rejected(r) if r.line == 2 && r.reason.contains("UTF-8")),
            "{recs:?}"
        );
        assert_eq!(stored(&recs), vec![("جيد", "good", Status::Reviewed)]);
    }

    #[test]
    fn mizans_own_file_follows_the_pre_translation_rules() {
        let tu = |id: u32, attrs: &str, source: &str, target: &str| {
            format!("<trans-unit id=\"{id}\" {attrs}><source>{source}</source>{target}</trans-unit>\n")
        };
        let fuzzy = "mz:unit-id=\"7\" mz:suggestion=\"Two.\" mz:written-state=\"needs-review-translation\"";
        let xml = format!(
            "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" xmlns:mz=\"urn:mizan:xliff\"><file original=\"n.txt\" source-language=\"ar\" target-language=\"en\" datatype=\"plaintext\"><body>\n{}{}{}{}{}{}{}</body></file></xliff>",
            tu(1, "mz:position=\"0\" mz:unit-id=\"3\" mz:suggestion=\"One.\" mz:written-state=\"translated\"", "واحد.", "<target state=\"translated\">One.</target>"),
            tu(2, fuzzy, "اثنان.", "<target state=\"needs-review-translation\">Two, edited.</target>"),
            tu(3, fuzzy, "اثنان!", "<target state=\"needs-review-translation\">Two.</target>"),
            tu(4, fuzzy, "اثنان؟", "<target state=\"translated\">Two.</target>"),
            tu(5, fuzzy, "اثنان،", "<target state=\"needs-translation\">Two, edited.</target>"),
            tu(6, "mz:suggestion=\"ثلاثة.\" mz:written-state=\"new\"", "ثلاثة.", "<target state=\"new\">ثلاثة.</target>"),
            tu(7, "mz:suggestion=\"أربعة.\" mz:written-state=\"new\"", "أربعة.", "<target state=\"new\">Four.</target>"),
        );
        let recs = read(&xml);
        assert_eq!(recs.len(), 7, "{recs:?}");
        assert!(matches!(&recs[0], Record::Untouched { unit_id: 3, unit, .. } if unit.position == Some(0)));
        assert!(
            matches!(&recs[1], Record::Unit { unit, .. } if unit.target == "Two, edited." && unit.status == Status::Reviewed && unit.origin == Origin::Human)
        );
        assert!(matches!(&recs[2], Record::Untouched { unit_id: 7, .. }));
        assert!(matches!(&recs[3], Record::Confirmed { unit_id: 7, unit, .. } if unit.status == Status::Reviewed));
        assert!(matches!(&recs[4], Record::Skipped { reason, .. } if reason.contains("needs-translation")));
        assert!(matches!(&recs[5], Record::Skipped { reason, .. } if reason.contains("copy of the source")));
        assert!(
            matches!(&recs[6], Record::Unit { unit, .. } if unit.target == "Four." && unit.status == Status::Reviewed && unit.document.as_deref() == Some("n.txt"))
        );
    }
}
