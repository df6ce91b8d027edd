//! TSV, CSV and JSON Lines readers.
//!
//! TSV layouts, recognised line by line or by header:
//! - `source<TAB>target` (an optional first line `source<TAB>target` is a header);
//! - a header naming columns: `source` and `target`, plus optional `author`, `note`, `status`
//!   and `confirmed` (CSV: the same header);
//! - the pre-translation layout, a header with `suggestion` instead of `target` (see
//!   [`super::pretranslated`]);
//! - mizan's align output: `ar_ids<TAB>en_ids<TAB>ar_text<TAB>en_text<TAB>confidence` — its 1-1, 2-1,
//!   1-2 and 2-2 lines are stored with origin `align`, its 1-0 and 0-1 lines are skipped. A sixth
//!   field is a confirmation mark.
//!
//! The readers see UTF-8 (a UTF-16 file is decoded before them, see [`super`]); a line that is not
//! UTF-8, or that holds a NUL byte (no text does; binary data and UTF-16 read as bytes do), is
//! rejected with its line number and the reading goes on.
//!
//! Review status of what is read (the README's table): a `status` column or JSON field
//! ([`Status::from_label`]) wins; else a `confirmed` column or field says reviewed when marked
//! ([`confirm_mark`]) and unreviewed when not; else the origin's default — `reviewed` for
//! `source`/`target` files, `unreviewed` for align lines. A value that is neither rejects the
//! record, so that a typo never decides what is trusted.

use std::io::BufRead;

use serde::Deserialize;

use super::pretranslated::{confirm_mark, returned_row};
use super::{FormatError, ReadOptions, Record, Rejection};
use crate::unit::{date, LangTag, NewUnit, Origin, Status};

fn reject(line: u64, reason: impl Into<String>) -> Record {
    Record::Rejected(Rejection {
        line,
        reason: reason.into(),
    })
}

/// Why a NUL byte rejects its line.
const NUL_IS_NOT_TEXT: &str = "not text (binary data, or UTF-16 without a byte-order mark)";

/// The rejection of a line holding a NUL byte, naming its column; `None` for a line without.
fn reject_nul(line: u64, bytes: &[u8]) -> Option<Record> {
    let at = bytes.iter().position(|&b| b == 0)?;
    let column = String::from_utf8_lossy(&bytes[..at]).chars().count() + 1;
    Some(reject(
        line,
        format!("a NUL byte at column {column}: {NUL_IS_NOT_TEXT}"),
    ))
}

fn make_unit(opts: &ReadOptions, line: u64, source: &str, target: &str, origin: Origin) -> Result<NewUnit, Record> {
    if source.trim().is_empty() {
        return Err(reject(line, "empty source"));
    }
    if target.trim().is_empty() {
        return Err(reject(line, "empty target"));
    }
    NewUnit::with_tags(
        opts.source_lang.clone(),
        opts.target_lang.clone(),
        source.to_string(),
        target.to_string(),
        origin,
    )
    .map_err(|e| reject(line, e.to_string()))
}

/// The status of a record: its `status` field when given (not empty), else its `confirmed` mark
/// when the file has one (marked: reviewed, not: unreviewed), else `default`. The error says what
/// is wrong with a field.
fn status_of(status: Option<&str>, confirmed: Option<&str>, default: Status) -> Result<Status, String> {
    if let Some(s) = status.filter(|s| !s.trim().is_empty()) {
        return Status::from_label(s)
            .ok_or_else(|| format!("status `{s}`: expected reviewed or unreviewed (or confirmed, approved, draft)"));
    }
    Ok(match confirmation(confirmed)? {
        None => default,
        Some(true) => Status::Reviewed,
        Some(false) => Status::Unreviewed,
    })
}

/// A `confirmed` field: `None` when the record has none, else whether it is marked; the error
/// says what is wrong with it.
fn confirmation(confirmed: Option<&str>) -> Result<Option<bool>, String> {
    confirmed
        .map(|c| confirm_mark(c).ok_or_else(|| format!("confirmed `{c}`: expected yes or no (or empty)")))
        .transpose()
}

/// Field `i` of a line, when the header names it and the line has it.
fn field<'f>(fields: &[&'f str], i: Option<usize>) -> Option<&'f str> {
    i.and_then(|i| fields.get(i).copied())
}

/// Reads a byte stream line by line, counting lines; strips a UTF-8 byte-order mark from the first
/// line and the line ending (`\n` or `\r\n`). Memory holds one line.
struct Lines<R> {
    input: R,
    file: String,
    line: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    fn new(input: R, file: &str) -> Self {
        Lines {
            input,
            file: file.to_string(),
            line: 0,
            buf: Vec::new(),
        }
    }

    /// The next line's number and bytes, `None` at the end.
    fn next_line(&mut self) -> Option<Result<(u64, &[u8]), FormatError>> {
        self.buf.clear();
        match self.input.read_until(b'\n', &mut self.buf) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(source) => {
                return Some(Err(FormatError::Io {
                    file: self.file.clone(),
                    source,
                }))
            }
        }
        self.line += 1;
        let mut bytes: &[u8] = &self.buf;
        if self.line == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        Some(Ok((self.line, bytes)))
    }
}

/// Column positions named by a header line.
#[derive(Debug, Clone, Default)]
struct Columns {
    source: usize,
    target: usize,
    author: Option<usize>,
    note: Option<usize>,
    unit_id: Option<usize>,
    status: Option<usize>,
    confirmed: Option<usize>,
    /// The pre-translation layout's copy of the suggestion as written, to tell edits.
    original: Option<usize>,
    /// The pre-translation layout (`suggestion` instead of `target`).
    pretranslate: bool,
}

impl Columns {
    fn from_header(names: &[String]) -> Option<Columns> {
        let find = |want: &str| names.iter().position(|n| n.trim().eq_ignore_ascii_case(want));
        let source = find("source")?;
        let (target, pretranslate) = match find("target") {
            Some(t) => (t, false),
            None => (find("suggestion")?, true),
        };
        Some(Columns {
            source,
            target,
            author: find("author"),
            note: find("note"),
            unit_id: find("unit_id"),
            status: find("status"),
            confirmed: find("confirmed"),
            original: find("original"),
            pretranslate,
        })
    }

    /// The record of one line of a file with this header, once its `source` and `target` fields
    /// are known to be there. Shared by TSV and CSV.
    fn record(&self, opts: &ReadOptions, line: u64, fields: &[&str]) -> Record {
        let get = |i| field(fields, i);
        let (Some(source), Some(target)) = (get(Some(self.source)), get(Some(self.target))) else {
            return reject(line, "no source or target field");
        };
        if self.pretranslate {
            return self.pretranslated(opts, line, fields, source, target);
        }
        let status = match status_of(get(self.status), get(self.confirmed), Status::Reviewed) {
            Ok(s) => s,
            Err(why) => return reject(line, why),
        };
        let mut unit = match make_unit(opts, line, source, target, Origin::Import) {
            Ok(u) => u,
            Err(r) => return r,
        };
        unit.status = status;
        self.provenance(&mut unit, fields);
        Record::Unit {
            line,
            unit: Box::new(unit),
        }
    }

    /// A line of the pre-translation layout ([`returned_row`] decides).
    fn pretranslated(&self, opts: &ReadOptions, line: u64, fields: &[&str], source: &str, target: &str) -> Record {
        let get = |i| field(fields, i);
        if target.trim().is_empty() {
            return Record::Skipped {
                line,
                reason: "no translation yet".into(),
            };
        }
        let unit_id = get(self.unit_id).and_then(|s| s.trim().parse::<i64>().ok());
        // Without the `original` column (an older file) an edit cannot be told.
        let edited = self.original.map(|_| get(self.original) != Some(target));
        let confirmed = match confirmation(get(self.confirmed)) {
            Ok(c) => c == Some(true),
            Err(why) => return reject(line, why),
        };
        let mut unit = match make_unit(opts, line, source, target, Origin::Import) {
            Ok(u) => u,
            Err(r) => return r,
        };
        self.provenance(&mut unit, fields);
        returned_row(line, unit, unit_id, edited, confirmed)
    }

    /// The optional `author` and `note` columns.
    fn provenance(&self, unit: &mut NewUnit, fields: &[&str]) {
        let get = |i| field(fields, i).filter(|s| !s.is_empty());
        unit.created_by = get(self.author).map(str::to_string);
        unit.note = get(self.note).map(str::to_string);
    }
}

/// Reads TSV line by line (streaming; memory does not grow with the file).
pub struct TsvReader<R> {
    lines: Lines<R>,
    opts: ReadOptions,
    columns: Option<Columns>,
}

impl<R: BufRead> TsvReader<R> {
    /// A reader over `input`.
    pub fn new(input: R, opts: ReadOptions) -> Self {
        TsvReader {
            lines: Lines::new(input, &opts.file),
            opts,
            columns: None,
        }
    }

    fn record(&mut self, line: u64, text: &str) -> Option<Record> {
        if text.trim().is_empty() {
            return None;
        }
        let fields: Vec<&str> = text.split('\t').collect();
        if line == 1 {
            let names: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
            if let Some(cols) = Columns::from_header(&names) {
                self.columns = Some(cols);
                return None;
            }
        }
        if let Some(cols) = &self.columns {
            if fields.len() <= cols.source.max(cols.target) {
                if fields.len() == 1 {
                    return Some(reject(line, "no tab: expected `source<TAB>target`"));
                }
                return Some(reject(
                    line,
                    format!(
                        "expected {} tab-separated fields as the header says, found {}",
                        cols.source.max(cols.target) + 1,
                        fields.len()
                    ),
                ));
            }
            return Some(cols.record(&self.opts, line, &fields));
        }
        if is_align_line(&fields) {
            if fields[0].is_empty() || fields[1].is_empty() {
                return Some(Record::Skipped {
                    line,
                    reason: "unaligned sentence (1-0 or 0-1 link)".into(),
                });
            }
            // Aligned pairs are machine output: unreviewed unless the sixth field confirms them.
            let status = match status_of(None, fields.get(5).copied(), Status::Unreviewed) {
                Ok(s) => s,
                Err(why) => return Some(reject(line, why)),
            };
            return Some(match make_unit(&self.opts, line, fields[2], fields[3], Origin::Align) {
                Ok(mut u) => {
                    u.status = status;
                    Record::Unit {
                        line,
                        unit: Box::new(u),
                    }
                }
                Err(r) => r,
            });
        }
        match fields.len() {
            1 => Some(reject(line, "no tab: expected `source<TAB>target`")),
            2 => Some(
                match make_unit(&self.opts, line, fields[0], fields[1], Origin::Import) {
                    Ok(u) => Record::Unit {
                        line,
                        unit: Box::new(u),
                    },
                    Err(r) => r,
                },
            ),
            n => Some(reject(
                line,
                format!("{n} tab-separated fields: expected 2 (`source<TAB>target`)"),
            )),
        }
    }
}

/// Whether the fields are a line of `mizan align`'s TSV: five fields, or six with a confirmation
/// mark added by the person who checked it.
fn is_align_line(fields: &[&str]) -> bool {
    let ids = |s: &str| s.chars().all(|c| c.is_ascii_digit() || c == ',');
    (fields.len() == 5 || (fields.len() == 6 && confirm_mark(fields[5]).is_some()))
        && ids(fields[0])
        && ids(fields[1])
        && !(fields[0].is_empty() && fields[1].is_empty())
        && fields[4].trim().parse::<f64>().is_ok_and(|c| (0.0..=1.0).contains(&c))
}

impl<R: BufRead> Iterator for TsvReader<R> {
    type Item = Result<Record, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (line, text) = match self.lines.next_line()? {
                Ok((line, bytes)) => {
                    if let Some(rejected) = reject_nul(line, bytes) {
                        return Some(Ok(rejected));
                    }
                    match std::str::from_utf8(bytes) {
                        Ok(t) => (line, t.to_string()),
                        Err(e) => {
                            let reason = format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1);
                            return Some(Ok(reject(line, reason)));
                        }
                    }
                }
                Err(e) => return Some(Err(e)),
            };
            if let Some(rec) = self.record(line, &text) {
                return Some(Ok(rec));
            }
        }
    }
}

/// Reads RFC 4180 CSV with a header naming `source` and `target` (and optionally `author`, `note`).
pub struct CsvReader<R> {
    records: csv::ByteRecordsIntoIter<R>,
    opts: ReadOptions,
    columns: Columns,
    /// An `index` or `id` column ([`check_rows`] names pairs by it).
    id_column: Option<usize>,
}

impl<R: BufRead> CsvReader<R> {
    /// A reader over `input`; reads the header at once.
    ///
    /// # Errors
    /// [`FormatError::MissingColumns`] when the header lacks `source` or `target`.
    pub fn new(input: R, opts: ReadOptions) -> Result<Self, FormatError> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(input);
        let header = rdr.byte_headers().map_err(|e| csv_io(&opts.file, e))?.clone();
        let names: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let s = String::from_utf8_lossy(h).to_string();
                if i == 0 {
                    s.trim_start_matches('\u{feff}').to_string()
                } else {
                    s
                }
            })
            .collect();
        let columns = Columns::from_header(&names).ok_or_else(|| FormatError::MissingColumns {
            file: opts.file.clone(),
            line: 1,
            found: names.join(", "),
        })?;
        let id_column = ["index", "id"]
            .iter()
            .find_map(|want| names.iter().position(|n| n.trim().eq_ignore_ascii_case(want)));
        Ok(CsvReader {
            records: rdr.into_byte_records(),
            opts,
            columns,
            id_column,
        })
    }
}

fn csv_io(file: &str, e: csv::Error) -> FormatError {
    FormatError::Io {
        file: file.to_string(),
        source: std::io::Error::other(e.to_string()),
    }
}

impl<R: BufRead> Iterator for CsvReader<R> {
    type Item = Result<Record, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rec = match self.records.next()? {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Some(match e.kind() {
                    csv::ErrorKind::Io(_) => Err(csv_io(&self.opts.file, e)),
                    _ => Ok(reject(line, e.to_string())),
                });
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if let Some(i) = rec.iter().position(|f| f.contains(&0)) {
            return Some(Ok(reject(
                line,
                format!("a NUL byte in field {}: {NUL_IS_NOT_TEXT}", i + 1),
            )));
        }
        let field = |i: Option<usize>| -> Result<Option<String>, Record> {
            match i.and_then(|i| rec.get(i)) {
                None => Ok(None),
                Some(b) => std::str::from_utf8(b).map(|s| Some(s.to_string())).map_err(|e| {
                    reject(
                        line,
                        format!("not UTF-8 (invalid byte at offset {} of a field)", e.valid_up_to()),
                    )
                }),
            }
        };
        let mut fields = Vec::with_capacity(rec.len());
        for i in 0..rec.len() {
            match field(Some(i)) {
                Ok(f) => fields.push(f.unwrap_or_default()),
                Err(r) => return Some(Ok(r)),
            }
        }
        if fields.len() <= self.columns.source {
            return Some(Ok(reject(line, "no source field")));
        }
        if fields.len() <= self.columns.target {
            return Some(Ok(reject(line, "no target field")));
        }
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        Some(Ok(self.columns.record(&self.opts, line, &fields)))
    }
}

#[derive(Deserialize)]
struct JsonUnit {
    source: String,
    target: String,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    source_lang: Option<String>,
    #[serde(default)]
    target_lang: Option<String>,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    position: Option<i64>,
    #[serde(default)]
    status: Option<String>,
    /// `true`/`false`, or a mark as in a `confirmed` column.
    #[serde(default)]
    confirmed: Option<serde_json::Value>,
}

/// Reads JSON Lines: `{"source", "target"}` plus optional `author`, `note`, `created`,
/// `source_lang`, `target_lang`, `document`, `position`, `status`, `confirmed` (a boolean or a
/// mark).
pub struct JsonlReader<R> {
    lines: Lines<R>,
    opts: ReadOptions,
}

impl<R: BufRead> JsonlReader<R> {
    /// A reader over `input`.
    pub fn new(input: R, opts: ReadOptions) -> Self {
        JsonlReader {
            lines: Lines::new(input, &opts.file),
            opts,
        }
    }

    fn record(opts: &ReadOptions, line: u64, bytes: &[u8]) -> Record {
        let j: JsonUnit = match serde_json::from_slice(bytes) {
            Ok(j) => j,
            Err(e) => return reject(line, format!("JSON: {e}")),
        };
        let lang = |given: &Option<String>, default: &LangTag| -> Result<LangTag, Record> {
            match given {
                None => Ok(default.clone()),
                Some(t) => LangTag::parse(t).map_err(|e| reject(line, e.to_string())),
            }
        };
        let built = (|| -> Result<NewUnit, Record> {
            let mut o = opts.clone();
            o.source_lang = lang(&j.source_lang, &opts.source_lang)?;
            o.target_lang = lang(&j.target_lang, &opts.target_lang)?;
            let confirmed = match &j.confirmed {
                None | Some(serde_json::Value::Null) => None,
                Some(serde_json::Value::Bool(true)) => Some("yes".to_string()),
                Some(serde_json::Value::Bool(false)) => Some("no".to_string()),
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(other) => Some(other.to_string()),
            };
            let status = status_of(j.status.as_deref(), confirmed.as_deref(), Status::Reviewed)
                .map_err(|why| reject(line, why))?;
            let mut u = make_unit(&o, line, &j.source, &j.target, Origin::Import)?;
            u.status = status;
            if let Some(c) = &j.created {
                u.created_at = Some(date::parse(c).map_err(|e| reject(line, e.to_string()))?);
            }
            u.created_by = j.author.clone();
            u.note = j.note.clone();
            u.document = j.document.clone();
            u.position = j.position;
            Ok(u)
        })();
        match built {
            Ok(u) => Record::Unit {
                line,
                unit: Box::new(u),
            },
            Err(r) => r,
        }
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<Record, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (line, bytes) = match self.lines.next_line()? {
                Ok(x) => x,
                Err(e) => return Some(Err(e)),
            };
            if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            if let Some(rejected) = reject_nul(line, bytes) {
                return Some(Ok(rejected));
            }
            return Some(Ok(Self::record(&self.opts, line, bytes)));
        }
    }
}

/// One bilingual segment of a file as `mizan check` reads it ([`crate::check`], which knows it
/// as `check::Segment`): the texts as written, an empty target included — the import rules,
/// which leave such rows out or keep only finished ones, do not apply. Produced by the check
/// hooks of the TSV/CSV, TMX and XLIFF readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRow {
    /// 1-based line of the file where the segment starts (0 when it has none).
    pub line: u64,
    /// Its id in the file, when the file gives one (pretranslate `index`, TMX `tuid`, XLIFF id).
    pub id: Option<String>,
    /// The source text as read.
    pub source: String,
    /// The target text as read (may be empty).
    pub target: String,
    /// The source's inline markup, for formats that keep codes apart from the text (TMX `<seg>`
    /// content, XLIFF codes rendered as XML); tags are taken from it as well as from the text.
    pub source_markup: Option<String>,
    /// The target's inline markup (see `source_markup`).
    pub target_markup: Option<String>,
}

impl CheckRow {
    /// A segment of plain text (tags, if any, written in the text itself).
    pub fn new(line: u64, source: impl Into<String>, target: impl Into<String>) -> CheckRow {
        CheckRow {
            line,
            id: None,
            source: source.into(),
            target: target.into(),
            source_markup: None,
            target_markup: None,
        }
    }

    fn plain(line: u64, id: Option<&str>, source: &str, target: &str) -> CheckRow {
        CheckRow {
            line,
            id: id.map(|i| i.trim().to_string()).filter(|i| !i.is_empty()),
            source: source.to_string(),
            target: target.to_string(),
            source_markup: None,
            target_markup: None,
        }
    }
}

/// What a check hook returns: every pair, and the lines that cannot be read as one.
pub(crate) type CheckRows = Vec<Result<CheckRow, Rejection>>;

/// The pairs of a TSV, CSV or JSON Lines file for `mizan check`: the layouts [`TsvReader`],
/// [`CsvReader`] and [`JsonlReader`] read (the pre-translation TSV's `suggestion` is the target),
/// every row kept whatever its target or confirmation.
///
/// # Errors
/// As the readers: a file that cannot be read at all.
pub(crate) fn check_rows<R: BufRead + Send>(
    format: super::Format,
    input: R,
    opts: &ReadOptions,
) -> Result<CheckRows, FormatError> {
    let rejection = |line: u64, reason: String| Rejection { line, reason };
    let input = super::text_input(input, &opts.file)?;
    let mut out = Vec::new();
    if format == super::Format::Csv {
        let mut rdr = CsvReader::new(input, opts.clone())?;
        let id = rdr.id_column;
        let (s, t) = (rdr.columns.source, rdr.columns.target);
        for rec in rdr.records.by_ref() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => return Err(csv_io(&opts.file, e)),
                Err(e) => {
                    out.push(Err(rejection(
                        e.position().map(|p| p.line()).unwrap_or(0),
                        e.to_string(),
                    )));
                    continue;
                }
            };
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            let text = |i: usize| std::str::from_utf8(rec.get(i).unwrap_or_default());
            match (text(s), text(t), id.map(text).transpose()) {
                (Ok(source), Ok(target), Ok(id)) if rec.get(s).is_some() => {
                    out.push(Ok(CheckRow::plain(line, id, source, target)))
                }
                (Ok(_), Ok(_), Ok(_)) => out.push(Err(rejection(line, "no source field".into()))),
                _ => out.push(Err(rejection(line, "not UTF-8".into()))),
            }
        }
        return Ok(out);
    }
    let mut lines = Lines::new(input, &opts.file);
    let mut columns: Option<(Columns, Option<usize>)> = None;
    while let Some(next) = lines.next_line() {
        let (line, bytes) = next?;
        if let Some(Record::Rejected(r)) = reject_nul(line, bytes) {
            out.push(Err(r));
            continue;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            out.push(Err(rejection(line, "not UTF-8".into())));
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        if format == super::Format::Jsonl {
            let row = serde_json::from_str::<serde_json::Value>(text)
                .map_err(|e| e.to_string())
                .and_then(|v| {
                    let field = |k: &str| v.get(k).and_then(|f| f.as_str());
                    match (field("source"), field("target")) {
                        (Some(s), t) => Ok(CheckRow::plain(line, field("id"), s, t.unwrap_or(""))),
                        (None, _) => Err("no \"source\" string".to_string()),
                    }
                });
            out.push(row.map_err(|why| rejection(line, format!("JSON: {why}"))));
            continue;
        }
        let fields: Vec<&str> = text.split('\t').collect();
        if line == 1 {
            let names: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
            if let Some(cols) = Columns::from_header(&names) {
                let id = ["index", "id"]
                    .iter()
                    .find_map(|want| names.iter().position(|n| n.trim().eq_ignore_ascii_case(want)));
                columns = Some((cols, id));
                continue;
            }
        }
        let row = match &columns {
            Some(_) if fields.len() == 1 => Err("no tab: expected the fields the header names".to_string()),
            // A spreadsheet may drop trailing empty fields: a missing target is an empty one.
            Some((cols, id)) => match fields.get(cols.source) {
                Some(source) => Ok(CheckRow::plain(
                    line,
                    field(&fields, *id),
                    source,
                    fields.get(cols.target).copied().unwrap_or(""),
                )),
                None => Err("no source field".to_string()),
            },
            None if is_align_line(&fields) => {
                if fields[0].is_empty() || fields[1].is_empty() {
                    continue;
                }
                Ok(CheckRow::plain(line, None, fields[2], fields[3]))
            }
            None if fields.len() == 2 => Ok(CheckRow::plain(line, None, fields[0], fields[1])),
            None if fields.len() == 1 => Err("no tab: expected `source<TAB>target`".to_string()),
            None => Err(format!(
                "{} tab-separated fields: expected 2 (`source<TAB>target`)",
                fields.len()
            )),
        };
        out.push(row.map_err(|why| rejection(line, why)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> ReadOptions {
        ReadOptions {
            file: "t".into(),
            source_lang: LangTag::parse("ar").unwrap(),
            target_lang: LangTag::parse("en").unwrap(),
        }
    }

    fn read_tsv(s: &[u8]) -> Vec<Record> {
        TsvReader::new(s, opts()).map(|r| r.unwrap()).collect()
    }

    #[test]
    fn tsv_header_crlf_bom_and_bad_lines() {
        let recs = read_tsv("\u{feff}source\ttarget\r\nزيارة نادرة\tA rare visit\r\nبلا تبويب\n\n\tx\n".as_bytes());
        assert_eq!(recs.len(), 3);
        match &recs[0] {
            Record::Unit { line, unit } => {
                assert_eq!(*line, 2);
                assert_eq!(unit.source, "زيارة نادرة");
                assert_eq!(unit.target, "A rare visit");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            recs[1],
            Record::Rejected(Rejection {
                line: 3,
                reason: "no tab: expected `source<TAB>target`".into()
            })
        );
        assert!(matches!(&recs[2], Record::Rejected(Rejection { line: 5, .. })));
    }

    #[test]
    fn tsv_rejects_invalid_utf8_but_goes_on() {
        let recs = read_tsv(b"\xff\xfe\tx\nok\tfine\n");
        assert!(matches!(&recs[0], Record::Rejected(r) if r.reason.starts_with("not UTF-8")));
        assert!(matches!(&recs[1], Record::Unit { line: 2, .. }));
    }

    #[test]
    fn a_nul_byte_rejects_its_line_in_every_text_format() {
        let why = |r: &Record| match r {
            Record::Rejected(r) => format!("{}: {}", r.line, r.reason),
            other => format!("{other:?}"),
        };
        let tsv = read_tsv("أ\ta\nب\0\tb\nج\tc\n".as_bytes());
        assert_eq!(tsv.len(), 3);
        assert!(
            why(&tsv[1]).starts_with("2: a NUL byte at column 2: not text"),
            "{tsv:?}"
        );
        let csv: Vec<_> = CsvReader::new("source,target\nب,b\0\nج,c\n".as_bytes(), opts())
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert!(why(&csv[0]).starts_with("2: a NUL byte in field 2"), "{csv:?}");
        assert!(matches!(&csv[1], Record::Unit { line: 3, .. }));
        let jsonl: Vec<_> = JsonlReader::new("{\"source\":\"ب\0\",\"target\":\"b\"}\n".as_bytes(), opts())
            .map(|r| r.unwrap())
            .collect();
        assert!(why(&jsonl[0]).starts_with("1: a NUL byte at column 13"), "{jsonl:?}");
    }

    #[test]
    fn tsv_reads_align_output_and_skips_unaligned() {
        let recs = read_tsv("0\t0\tجملة\tA sentence\t0.93\n1\t\tمحذوفة\t\t0.20\n2,3\t1\tأ ب\tAB\t0.8\n".as_bytes());
        assert!(matches!(&recs[0], Record::Unit { unit, .. } if unit.origin == Origin::Align));
        assert!(matches!(&recs[1], Record::Skipped { line: 2, .. }));
        assert!(matches!(&recs[2], Record::Unit { unit, .. } if unit.source == "أ ب"));
    }

    #[test]
    fn tsv_keeps_white_space_inside_fields() {
        let recs = read_tsv(" نص \t text \n".as_bytes());
        assert!(matches!(&recs[0], Record::Unit { unit, .. } if unit.source == " نص " && unit.target == " text "));
    }

    fn status_of_record(r: &Record) -> Option<Status> {
        match r {
            Record::Unit { unit, .. } | Record::Confirmed { unit, .. } | Record::Untouched { unit, .. } => {
                Some(unit.status)
            }
            _ => None,
        }
    }

    #[test]
    fn status_and_confirmed_columns_decide_the_status() {
        use Status::{Reviewed as R, Unreviewed as U};
        let input = "source\ttarget\tstatus\tconfirmed\nأ\ta\t\t\nب\tb\tunreviewed\tyes\nت\tt\t\tyes\nث\tth\tDRAFT\t\nج\tj\tmaybe\t\nح\th\t\tlater\n";
        let recs = read_tsv(input.as_bytes());
        let got: Vec<Option<Status>> = recs.iter().map(status_of_record).collect();
        // An empty confirmed mark in a file that has the column: nobody vouched.
        assert_eq!(got, [Some(U), Some(U), Some(R), Some(U), None, None]);
        assert!(matches!(&recs[4], Record::Rejected(r) if r.line == 6 && r.reason.contains("status `maybe`")));
        assert!(matches!(&recs[5], Record::Rejected(r) if r.reason.contains("confirmed `later`")));
        // Without either column: reviewed, as before.
        assert_eq!(
            status_of_record(&read_tsv("source\ttarget\nأ\ta\n".as_bytes())[0]),
            Some(R)
        );
        assert_eq!(status_of_record(&read_tsv("أ\ta\n".as_bytes())[0]), Some(R));
    }

    #[test]
    fn pretranslation_rows_are_reviewed_only_when_edited_or_confirmed() {
        let head = "index\tsource\tsuggestion\tscore\torigin\tunit_id\tstatus\tconfirmed\toriginal\n";
        let rows = [
            "0\tيوم الخميس\ton Wednesday\t96.1\timport\t2\treviewed\t\ton Wednesday",
            "1\tيوم الخميس\ton Thursday\t96.1\timport\t2\treviewed\t\ton Wednesday",
            "2\tيوم الخميس\ton Wednesday\t96.1\timport\t2\treviewed\tyes\ton Wednesday",
            "3\tجديد\tnew\t\t\t\t\t\t",
            "4\tجديد\t\t\t\t\t\t\t",
        ];
        let recs = read_tsv((head.to_string() + &rows.join("\n") + "\n").as_bytes());
        assert!(matches!(&recs[0], Record::Untouched { unit_id: 2, .. }));
        assert!(
            matches!(&recs[1], Record::Unit { unit, .. } if unit.origin == Origin::Human && unit.status == Status::Reviewed)
        );
        assert!(matches!(&recs[2], Record::Confirmed { unit_id: 2, unit, .. } if unit.status == Status::Reviewed));
        assert!(matches!(&recs[3], Record::Unit { unit, .. } if unit.status == Status::Reviewed));
        assert!(matches!(&recs[4], Record::Skipped { .. }));
        // The layout mizan wrote before the original column: edits cannot be told, so a row with a
        // suggestion is stored unreviewed unless it is an exact match or confirmed.
        let old = "index\tsource\tsuggestion\tscore\torigin\tunit_id\n0\tيوم الخميس\ton Thursday\t96.1\timport\t2\n";
        assert!(
            matches!(&read_tsv(old.as_bytes())[0], Record::Confirmed { unit, .. } if unit.status == Status::Unreviewed)
        );
        // The same rules in CSV (a spreadsheet may save the TSV as CSV).
        let csv = "index,source,suggestion,score,origin,unit_id,status,confirmed,original\n0,يوم الخميس,on Wednesday,96.1,import,2,reviewed,,on Wednesday\n";
        let recs: Vec<_> = CsvReader::new(csv.as_bytes(), opts())
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert!(matches!(&recs[0], Record::Untouched { unit_id: 2, .. }));
    }

    #[test]
    fn align_lines_are_unreviewed_unless_a_sixth_field_confirms_them() {
        let recs = read_tsv(
            "0\t0\tجملة\tA sentence\t0.93\n1\t1\tجملة ثانية\tAnother\t0.41\tyes\n2\t2\tثالثة\tThird\t0.5\tno\n"
                .as_bytes(),
        );
        let got: Vec<Option<Status>> = recs.iter().map(status_of_record).collect();
        assert_eq!(
            got,
            [
                Some(Status::Unreviewed),
                Some(Status::Reviewed),
                Some(Status::Unreviewed)
            ]
        );
    }

    #[test]
    fn jsonl_status_and_confirmed() {
        let input = "{\"source\":\"أ\",\"target\":\"a\",\"confirmed\":false}\n{\"source\":\"ب\",\"target\":\"b\",\"status\":\"unreviewed\"}\n{\"source\":\"ت\",\"target\":\"t\",\"confirmed\":true}\n{\"source\":\"ث\",\"target\":\"th\"}\n{\"source\":\"ج\",\"target\":\"j\",\"status\":\"half\"}\n";
        let recs: Vec<_> = JsonlReader::new(input.as_bytes(), opts()).map(|r| r.unwrap()).collect();
        let got: Vec<Option<Status>> = recs.iter().map(status_of_record).collect();
        use Status::{Reviewed as R, Unreviewed as U};
        assert_eq!(got, [Some(U), Some(U), Some(R), Some(R), None]);
    }

    #[test]
    fn csv_needs_source_and_target_columns() {
        let err = CsvReader::new(&b"ar,en\nx,y\n"[..], opts()).err().unwrap();
        assert!(err.to_string().contains("no `source` and `target` columns"), "{err}");
        let recs: Vec<_> = CsvReader::new(
            "note,Target,Source\n\"a, b\",\"say \"\"hi\"\"\",قال\n,,\n".as_bytes(),
            opts(),
        )
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
        match &recs[0] {
            Record::Unit { unit, line } => {
                assert_eq!(*line, 2);
                assert_eq!(unit.source, "قال");
                assert_eq!(unit.target, "say \"hi\"");
                assert_eq!(unit.note.as_deref(), Some("a, b"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&recs[1], Record::Rejected(Rejection { line: 3, .. })));
    }

    #[test]
    fn jsonl_fields_and_errors() {
        let input =
            "{\"source\":\"س\",\"target\":\"s\",\"author\":\"lina\",\"created\":\"2024-06-19\"}\n{\"source\": \"x\"\n";
        let recs: Vec<_> = JsonlReader::new(input.as_bytes(), opts()).map(|r| r.unwrap()).collect();
        match &recs[0] {
            Record::Unit { unit, .. } => {
                assert_eq!(unit.created_by.as_deref(), Some("lina"));
                assert_eq!(unit.created_at.as_deref(), Some("2024-06-19T00:00:00Z"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&recs[1], Record::Rejected(r) if r.line == 2 && r.reason.starts_with("JSON:")));
    }
}
