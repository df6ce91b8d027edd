//! Glossaries as TSV and CSV rows: one entry per row, several targets or forbidden variants in one
//! field separated by `|`.
//!
//! Columns (named by a header line, which CSV must have and TSV may have; a TSV without one has
//! them in this order): `source`, `target`, `pos` (or `part_of_speech`), `note`, `forbidden`, then
//! by name only `status` (`reviewed`/`unreviewed`) and `author`. Fields are stored as written; only
//! the items of a `|` list lose the spaces around the bars.

use std::io::Write;

use super::{split_list, NewTerm, ReadOptions, ReadReport, ReadTerm, Term, TermError, TermTarget};
use crate::unit::Status;

/// Where each column is.
#[derive(Debug, Clone)]
struct Columns {
    source: usize,
    target: usize,
    pos: Option<usize>,
    note: Option<usize>,
    forbidden: Option<usize>,
    status: Option<usize>,
    author: Option<usize>,
}

impl Columns {
    /// The positional layout of a TSV without a header.
    fn positional() -> Columns {
        Columns {
            source: 0,
            target: 1,
            pos: Some(2),
            note: Some(3),
            forbidden: Some(4),
            status: None,
            author: None,
        }
    }

    /// The layout a header names; `None` when it names no `source` and `target`.
    fn from_header(names: &[&str]) -> Option<Columns> {
        let find = |want: &[&str]| {
            names.iter().position(|n| {
                want.iter()
                    .any(|w| n.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(w))
            })
        };
        Some(Columns {
            source: find(&["source", "term", "source_term"])?,
            target: find(&["target", "translation", "target_term"])?,
            pos: find(&["pos", "part_of_speech", "partofspeech"]),
            note: find(&["note", "notes", "definition"]),
            forbidden: find(&["forbidden", "deprecated", "do_not_use"]),
            status: find(&["status"]),
            author: find(&["author", "created_by"]),
        })
    }

    /// The entry of one row; `Err` with the reason to skip it.
    fn term(&self, fields: &[&str], opts: &ReadOptions) -> Result<NewTerm, String> {
        let get = |i: Option<usize>| i.and_then(|i| fields.get(i)).copied().filter(|s| !s.trim().is_empty());
        let source = get(Some(self.source)).ok_or("no source term")?;
        let target = get(Some(self.target)).ok_or("no target term")?;
        let tag = |text: String, lang: &str| TermTarget {
            lang: lang.to_string(),
            text,
        };
        let tgt = opts.target_lang.as_str();
        let status = match get(self.status) {
            None => Status::Reviewed,
            Some(s) => {
                Status::parse(s.trim()).ok_or_else(|| format!("status `{s}` is neither reviewed nor unreviewed"))?
            }
        };
        let term = NewTerm {
            source_lang: opts.source_lang.as_str().to_string(),
            source: source.to_string(),
            targets: list(target).into_iter().map(|t| tag(t, tgt)).collect(),
            forbidden: get(self.forbidden)
                .map(list)
                .unwrap_or_default()
                .into_iter()
                .map(|t| tag(t, tgt))
                .collect(),
            pos: get(self.pos).map(str::to_string),
            note: get(self.note).map(str::to_string),
            status,
            created_by: get(self.author).map(str::to_string).or_else(|| opts.author.clone()),
            created_at: None,
            document: Some(opts.file.clone()),
        };
        term.check().map_err(|e| e.to_string())?;
        Ok(term)
    }
}

/// A field that holds one term or a `|` list: a single term is kept as written.
fn list(field: &str) -> Vec<String> {
    if field.contains('|') {
        split_list(field)
    } else {
        vec![field.to_string()]
    }
}

/// Reads a TSV glossary. Blank lines and lines starting with `#` are skipped.
///
/// # Errors
/// [`TermError::Syntax`] for a line without a tab.
pub fn read_tsv(text: &str, opts: &ReadOptions) -> Result<ReadReport, TermError> {
    let mut report = ReadReport::default();
    let mut columns: Option<Columns> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if columns.is_none() {
            if let Some(c) = Columns::from_header(&fields) {
                columns = Some(c);
                continue;
            }
            columns = Some(Columns::positional());
        }
        if fields.len() < 2 {
            return Err(TermError::Syntax {
                file: opts.file.clone(),
                line: line_no,
                message: "no tab: a glossary row is `source<TAB>target` (then optionally pos, note, forbidden)"
                    .to_string(),
            });
        }
        let cols = columns.as_ref().expect("set above");
        match cols.term(&fields, opts) {
            Ok(term) => report.terms.push(ReadTerm { line: line_no, term }),
            Err(why) => report.skipped.push((line_no, why)),
        }
    }
    Ok(report)
}

/// Reads an RFC 4180 CSV glossary with a header line.
///
/// # Errors
/// [`TermError::Syntax`] for a header without `source` and `target`, or a malformed record.
pub fn read_csv(text: &str, opts: &ReadOptions) -> Result<ReadReport, TermError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let syntax = |line: u64, message: String| TermError::Syntax {
        file: opts.file.clone(),
        line,
        message,
    };
    let header = rdr.headers().map_err(|e| syntax(1, e.to_string()))?.clone();
    let names: Vec<&str> = header.iter().collect();
    let columns = Columns::from_header(&names).ok_or_else(|| {
        syntax(
            1,
            format!(
                "the header names no `source` and `target` columns (found: {})",
                names.join(", ")
            ),
        )
    })?;
    let mut report = ReadReport::default();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            syntax(line, e.to_string())
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let fields: Vec<&str> = rec.iter().collect();
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        match columns.term(&fields, opts) {
            Ok(term) => report.terms.push(ReadTerm { line, term }),
            Err(why) => report.skipped.push((line, why)),
        }
    }
    Ok(report)
}

/// The header [`write_tsv`] writes.
pub const TSV_HEADER: &str = "source\ttarget\tpos\tnote\tforbidden\tstatus\tauthor";

/// Writes `terms` as TSV with a header line ([`TSV_HEADER`]), in the layout [`read_tsv`] reads.
/// A tab or line break inside a field (which TSV cannot hold) is written as a space.
///
/// # Errors
/// The writer's.
pub fn write_tsv(out: &mut impl Write, terms: &[Term]) -> std::io::Result<()> {
    writeln!(out, "{TSV_HEADER}")?;
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let join = |v: &[TermTarget]| v.iter().map(|t| clean(&t.text)).collect::<Vec<_>>().join(" | ");
    for t in terms {
        let n = &t.term;
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            clean(&n.source),
            join(&n.targets),
            clean(n.pos.as_deref().unwrap_or("")),
            clean(n.note.as_deref().unwrap_or("")),
            join(&n.forbidden),
            n.status.as_str(),
            clean(n.created_by.as_deref().unwrap_or("")),
        )?;
    }
    Ok(())
}
