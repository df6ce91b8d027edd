//! TSV, CSV and JSON Lines readers.
//!
//! TSV layouts, recognised line by line or by header:
//! - `source<TAB>target` (an optional first line `source<TAB>target` is a header);
//! - a header naming columns: `source` and `target` (or `suggestion`, the pre-translation layout:
//!   `index, source, suggestion, score, origin, unit_id`), plus optional `author` and `note`;
//! - mizan's align output: `ar_ids<TAB>en_ids<TAB>ar_text<TAB>en_text<TAB>confidence` — its 1-1, 2-1,
//!   1-2 and 2-2 lines are stored with origin `align`, its 1-0 and 0-1 lines are skipped.
//!
//! The readers see UTF-8 (a UTF-16 file is decoded before them, see [`super`]); a line that is not
//! UTF-8, or that holds a NUL byte (no text does; binary data and UTF-16 read as bytes do), is
//! rejected with its line number and the reading goes on.

use std::io::BufRead;

use serde::Deserialize;

use super::{FormatError, ReadOptions, Record, Rejection};
use crate::tm::{date, LangTag, NewUnit, Origin};

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
    score: Option<usize>,
    unit_id: Option<usize>,
    /// The pre-translation layout: targets are a translator's (origin human).
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
            score: find("score"),
            unit_id: find("unit_id"),
            pretranslate,
        })
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
            let get = |i: usize| fields.get(i).copied();
            let (Some(source), Some(target)) = (get(cols.source), get(cols.target)) else {
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
            };
            if cols.pretranslate && target.trim().is_empty() {
                return Some(Record::Skipped {
                    line,
                    reason: "no translation yet".into(),
                });
            }
            let origin = if cols.pretranslate {
                Origin::Human
            } else {
                Origin::Import
            };
            let mut unit = match make_unit(&self.opts, line, source, target, origin) {
                Ok(u) => u,
                Err(r) => return Some(r),
            };
            unit.created_by = cols.author.and_then(get).filter(|s| !s.is_empty()).map(str::to_string);
            unit.note = cols.note.and_then(get).filter(|s| !s.is_empty()).map(str::to_string);
            let exact = cols
                .score
                .and_then(get)
                .and_then(|s| s.trim().parse::<f64>().ok())
                .is_some_and(|s| s >= 100.0);
            let unit_id = cols.unit_id.and_then(get).and_then(|s| s.trim().parse::<i64>().ok());
            if let (true, true, Some(unit_id)) = (cols.pretranslate, exact, unit_id) {
                return Some(Record::Confirmed {
                    line,
                    unit_id,
                    unit: Box::new(unit),
                });
            }
            return Some(Record::Unit {
                line,
                unit: Box::new(unit),
            });
        }
        if is_align_line(&fields) {
            if fields[0].is_empty() || fields[1].is_empty() {
                return Some(Record::Skipped {
                    line,
                    reason: "unaligned sentence (1-0 or 0-1 link)".into(),
                });
            }
            return Some(match make_unit(&self.opts, line, fields[2], fields[3], Origin::Align) {
                Ok(u) => Record::Unit {
                    line,
                    unit: Box::new(u),
                },
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

fn is_align_line(fields: &[&str]) -> bool {
    let ids = |s: &str| s.chars().all(|c| c.is_ascii_digit() || c == ',');
    fields.len() == 5
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
        Ok(CsvReader {
            records: rdr.into_byte_records(),
            opts,
            columns,
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
        let get = |i| field(i);
        let result = (|| -> Result<NewUnit, Record> {
            let source = get(Some(self.columns.source))?.ok_or_else(|| reject(line, "no source field"))?;
            let target = get(Some(self.columns.target))?.ok_or_else(|| reject(line, "no target field"))?;
            let origin = if self.columns.pretranslate {
                Origin::Human
            } else {
                Origin::Import
            };
            let mut u = make_unit(&self.opts, line, &source, &target, origin)?;
            u.created_by = get(self.columns.author)?.filter(|s| !s.is_empty());
            u.note = get(self.columns.note)?.filter(|s| !s.is_empty());
            Ok(u)
        })();
        Some(Ok(match result {
            Ok(u) => Record::Unit {
                line,
                unit: Box::new(u),
            },
            Err(r) => r,
        }))
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
}

/// Reads JSON Lines: `{"source", "target"}` plus optional `author`, `note`, `created`,
/// `source_lang`, `target_lang`, `document`, `position`.
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
            let mut u = make_unit(&o, line, &j.source, &j.target, Origin::Import)?;
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
