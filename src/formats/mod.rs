//! Exchange formats: readers of bilingual files (TSV, CSV, JSON Lines, TMX, translated XLIFF)
//! that stream units into the TM, the streaming TMX 1.4b writer, and the pre-translation writers
//! (TSV, TMX, XLIFF 1.2 and 2.1).
//!
//! Invariants: readers never change the text they read (no trimming inside a field, no
//! normalization; XML's own line-end rule aside, see [`tmx`]); a bad record is reported with its
//! line number and the reading goes on, while a file that cannot be read at all is a
//! [`FormatError`]; the TMX writer always produces well-formed XML (characters XML 1.0 forbids are
//! removed from the text and kept, escaped, in a `x-mizan-*-raw` property so that mizan reads them
//! back exactly).
//!
//! Encodings: every reader takes UTF-8, and UTF-16 with a byte-order mark (decoded on the fly;
//! TMX also takes the legacy encodings its XML declaration names). UTF-16 without a byte-order
//! mark — NUL bytes at every other offset — is refused as a whole ([`FormatError::Utf16WithoutBom`])
//! rather than read as UTF-8 mojibake; any other NUL byte in a TSV, CSV or JSON Lines file rejects
//! its line.

pub mod pretranslated;
pub mod tabular;
pub mod tmx;
pub mod xliff;

use std::path::Path;

use crate::unit::NewUnit;

/// A file-level error: the file cannot be read as the format at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// An I/O error while reading.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The CSV header does not name the needed columns.
    #[error("{file}:{line}: the CSV header has no `source` and `target` columns (found: {found})")]
    MissingColumns {
        /// The file.
        file: String,
        /// The header line.
        line: u64,
        /// The columns found.
        found: String,
    },
    /// XML that is not well formed.
    #[error("{file}:{line}:{column}: not well-formed XML: {message}")]
    Xml {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column (in characters).
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// Well-formed XML that is not what mizan reads there: not XLIFF, an XLIFF version mizan does
    /// not read, languages that are not the TM's.
    #[error("{file}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column (in characters).
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// A file whose format cannot be guessed.
    #[error("{0}: cannot tell the format from the name; give --format tsv|csv|jsonl|tmx|xliff")]
    UnknownFormat(String),
    /// A text encoding mizan does not read.
    #[error("{file}: unsupported encoding `{encoding}` (mizan reads UTF-8 and UTF-16)")]
    Encoding {
        /// The file.
        file: String,
        /// The declared encoding.
        encoding: String,
    },
    /// UTF-16 text without a byte-order mark: without one, mizan does not guess the encoding.
    #[error(
        "{file}: UTF-16{endian} without a byte-order mark (every other byte is NUL); convert it with \
         `iconv -f UTF-16{endian} -t UTF-8 {file}`, or save it as UTF-8 or as UTF-16 with a byte-order mark"
    )]
    Utf16WithoutBom {
        /// The file.
        file: String,
        /// `LE` or `BE`.
        endian: &'static str,
    },
    /// A TMX file with translation units, none of which has both languages of the pair.
    #[error(
        "{file}: no translation unit has both {wanted} (languages found: {found}); name the pair to \
         import with --src-lang and --tgt-lang"
    )]
    NoLanguagePair {
        /// The file.
        file: String,
        /// The pair looked for, in words: `ar and en`.
        wanted: String,
        /// The languages of the file's units, comma-separated.
        found: String,
    },
}

impl FormatError {
    /// Where in the file the error is, when it is at one place: (line, column), 1-based.
    pub fn location(&self) -> Option<(u64, Option<u64>)> {
        match self {
            FormatError::Xml { line, column, .. } | FormatError::Invalid { line, column, .. } => {
                Some((*line, Some(*column)))
            }
            FormatError::MissingColumns { line, .. } => Some((*line, None)),
            _ => None,
        }
    }
}

/// A format mizan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `source<TAB>target` lines (also mizan's own align and pretranslate TSV layouts).
    Tsv,
    /// RFC 4180 CSV with a header naming `source` and `target`.
    Csv,
    /// One JSON object per line: `{"source", "target"}` plus optional fields.
    Jsonl,
    /// TMX 1.1–1.4b.
    Tmx,
    /// A translated XLIFF file: 1.0–1.2 or 2.x (told apart by its version), Trados `.sdlxliff`,
    /// memoQ `.mqxliff` ([`xliff::XliffReader`]).
    Xliff,
}

impl Format {
    /// Parses a `--format` value.
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "tsv" | "tab" | "txt" => Format::Tsv,
            "csv" => Format::Csv,
            "jsonl" | "ndjson" | "json" => Format::Jsonl,
            "tmx" => Format::Tmx,
            "xliff" | "xlf" | "xliff2" | "xlf2" | "sdlxliff" | "mqxliff" => Format::Xliff,
            _ => return None,
        })
    }

    /// Guesses the format from a file name's extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        Format::parse(path.extension()?.to_str()?)
    }

    /// Guesses the format from the first bytes of a stream (for standard input, and a file named
    /// `.xml`), by its first character that is not white space: `<` is XLIFF when an `<xliff`
    /// element starts in the head, else TMX; `{` JSON Lines; anything else TSV (in UTF-8 or in
    /// UTF-16 with a byte-order mark).
    pub fn sniff(head: &[u8]) -> Format {
        match Format::sniff_first(head) {
            Format::Tmx if has_xliff_root(head) => Format::Xliff,
            f => f,
        }
    }

    fn sniff_first(head: &[u8]) -> Format {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let first = match (head.strip_prefix(b"\xFF\xFE"), head.strip_prefix(b"\xFE\xFF")) {
            (Some(le), _) => le
                .chunks_exact(2)
                .map(|u| u16::from_le_bytes([u[0], u[1]]))
                .find(|&u| !is_space(u)),
            (_, Some(be)) => be
                .chunks_exact(2)
                .map(|u| u16::from_be_bytes([u[0], u[1]]))
                .find(|&u| !is_space(u)),
            _ => head.iter().map(|&b| u16::from(b)).find(|&u| !is_space(u)),
        };
        match first {
            Some(0x3C) => Format::Tmx,
            Some(0x7B) => Format::Jsonl,
            _ => Format::Tsv,
        }
    }
}

/// Whether `<xliff` (or `:xliff` with a prefix) stands in `head`, in UTF-8 or UTF-16.
fn has_xliff_root(head: &[u8]) -> bool {
    let utf8 = |h: &[u8]| h.windows(6).any(|w| w == b"<xliff" || w == b":xliff");
    let narrowed: Vec<u8> = head.iter().copied().filter(|&b| b != 0).collect();
    utf8(head) || utf8(&narrowed)
}

/// ASCII white space, as a code unit.
fn is_space(unit: u16) -> bool {
    u8::try_from(unit).is_ok_and(|b| b.is_ascii_whitespace())
}

/// Whether the first bytes of a file look like UTF-16 without a byte-order mark, and in which byte
/// order: `Some("LE")` or `Some("BE")`.
///
/// UTF-16 writes every ASCII character (tab, line end, space, digit, Latin letter) with a NUL
/// byte, at odd offsets in little-endian and even ones in big-endian, and a TSV, CSV or JSON
/// Lines file has many of them; UTF-8 text has no NUL at all. So: NUL bytes make at least a
/// thirty-second of the head (a stray one or two in a text file do not count), and nine in ten
/// of them sit at offsets of one parity.
pub(crate) fn utf16_without_bom(head: &[u8]) -> Option<&'static str> {
    let head = &head[..head.len().min(4096)];
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, _) in head.iter().enumerate().filter(|&(_, &b)| b == 0) {
        if i % 2 == 0 {
            even += 1;
        } else {
            odd += 1;
        }
    }
    let nuls = even + odd;
    if nuls < 2 || nuls * 32 < head.len() {
        return None;
    }
    if odd * 10 >= nuls * 9 {
        Some("LE")
    } else if even * 10 >= nuls * 9 {
        Some("BE")
    } else {
        None
    }
}

/// The bytes of a text file (TSV, CSV, JSON Lines) as UTF-8: UTF-16 with a byte-order mark is
/// decoded on the fly (and the mark dropped), UTF-8 passes through untouched.
///
/// # Errors
/// [`FormatError::Utf16WithoutBom`]; an I/O error while looking at the first bytes.
fn text_input<'a, R: std::io::BufRead + Send + 'a>(
    mut input: R,
    file: &str,
) -> Result<Box<dyn std::io::BufRead + Send + 'a>, FormatError> {
    let head = input.fill_buf().map_err(|source| FormatError::Io {
        file: file.to_string(),
        source,
    })?;
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        let decoder = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .bom_sniffing(true)
            .strip_bom(true)
            .build(input);
        return Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, decoder)));
    }
    if let Some(endian) = utf16_without_bom(head) {
        return Err(FormatError::Utf16WithoutBom {
            file: file.to_string(),
            endian,
        });
    }
    Ok(Box::new(input))
}

/// One record as a reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A unit to store, with the line it starts on.
    Unit {
        /// 1-based line number.
        line: u64,
        /// The unit.
        unit: Box<NewUnit>,
    },
    /// A line of a pre-translation file whose suggestion a translator kept unchanged (or
    /// confirmed): if unit `unit_id` still holds this source and target (an exact match), only
    /// its usage count goes up (and it becomes reviewed when `unit` is); otherwise `unit` is
    /// stored like any other.
    Confirmed {
        /// 1-based line number.
        line: u64,
        /// The TM unit the suggestion came from.
        unit_id: i64,
        /// The line as a unit.
        unit: Box<NewUnit>,
    },
    /// A line of a pre-translation file whose fuzzy or exact suggestion nobody changed or
    /// confirmed: if unit `unit_id` still holds this source and target (an exact match), only its
    /// usage count goes up; otherwise nothing is stored — the suggestion was written for another
    /// source, so as a unit of this one it would be wrong in just the ways the match differs, and
    /// the unit it came from is still there to be found.
    Untouched {
        /// 1-based line number.
        line: u64,
        /// The TM unit the suggestion came from.
        unit_id: i64,
        /// The line as a unit.
        unit: Box<NewUnit>,
    },
    /// A `<prop>`, `<note>` or `<ude>` of a TMX file's header, kept for export.
    HeaderItem(tmx::HeaderItem),
    /// A record that was refused, with the reason.
    Rejected(Rejection),
    /// Something a reader decided about the whole file that a user should know (an XLIFF file
    /// without a declared target language, read as the TM's); stores nothing, rejects nothing.
    Notice(Rejection),
    /// A record that holds nothing to store (an unaligned sentence in an align TSV, a TU
    /// without one of the two languages), counted but not an error.
    Skipped {
        /// 1-based line number.
        line: u64,
        /// Why.
        reason: String,
    },
}

/// A refused record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// 1-based line number.
    pub line: u64,
    /// What is wrong, in words a user can act on.
    pub reason: String,
}

/// What readers need to know besides the bytes.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The file's name, for messages and as the default document.
    pub file: String,
    /// Language of the source column (TSV, CSV, JSON Lines) or the source to pick (TMX).
    pub source_lang: crate::unit::LangTag,
    /// Language of the target column, or the target to pick (TMX).
    pub target_lang: crate::unit::LangTag,
}

/// Opens a reader for `format` over `input`. The reader can be moved to another thread (an
/// import parses on one thread and writes on another).
///
/// # Errors
/// A [`FormatError`] when the file cannot be read as that format at all (e.g. a CSV header without
/// the needed columns, UTF-16 without a byte-order mark).
pub fn reader<'a, R: std::io::BufRead + Send + 'a>(
    format: Format,
    input: R,
    opts: ReadOptions,
) -> Result<Box<dyn Iterator<Item = Result<Record, FormatError>> + Send + 'a>, FormatError> {
    Ok(match format {
        Format::Tsv => Box::new(tabular::TsvReader::new(text_input(input, &opts.file)?, opts)),
        Format::Csv => Box::new(tabular::CsvReader::new(text_input(input, &opts.file)?, opts)?),
        Format::Jsonl => Box::new(tabular::JsonlReader::new(text_input(input, &opts.file)?, opts)),
        Format::Tmx => Box::new(tmx::TmxReader::new(input, opts)?),
        Format::Xliff => Box::new(xliff::XliffReader::new(input, opts)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| if little { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    }

    #[test]
    fn sniffing_reads_past_a_byte_order_mark() {
        for (text, want) in [
            ("\u{feff} <tmx>", Format::Tmx),
            ("\u{feff}\n{\"source\": 1}", Format::Jsonl),
            ("\u{feff}زيارة\tvisit", Format::Tsv),
            (
                "\u{feff}<?xml version=\"1.0\"?>\n<xliff version=\"2.1\">",
                Format::Xliff,
            ),
            (
                "\u{feff}<x:xliff xmlns:x=\"urn:oasis:names:tc:xliff:document:1.2\">",
                Format::Xliff,
            ),
        ] {
            assert_eq!(Format::sniff(&utf16(text, true)), want, "{text:?} LE");
            assert_eq!(Format::sniff(&utf16(text, false)), want, "{text:?} BE");
            assert_eq!(Format::sniff(text.as_bytes()), want, "{text:?} UTF-8");
        }
    }

    #[test]
    fn utf16_without_bom_is_told_from_text_with_a_stray_nul() {
        let tsv = "زيارة نادرة\tA rare visit\nقال\tsaid\n";
        assert_eq!(utf16_without_bom(&utf16(tsv, true)), Some("LE"));
        assert_eq!(utf16_without_bom(&utf16(tsv, false)), Some("BE"));
        assert_eq!(utf16_without_bom(tsv.as_bytes()), None);
        let mut stray = tsv.repeat(4).into_bytes();
        stray[10] = 0;
        stray[30] = 0;
        assert_eq!(
            utf16_without_bom(&stray),
            None,
            "two NULs in a text file are bad lines, not UTF-16"
        );
    }

    #[test]
    fn text_readers_decode_utf16_with_a_bom() {
        let opts = ReadOptions {
            file: "t".into(),
            source_lang: crate::unit::LangTag::parse("ar").unwrap(),
            target_lang: crate::unit::LangTag::parse("en").unwrap(),
        };
        for (format, text) in [
            (Format::Tsv, "\u{feff}أ\ta\n"),
            (Format::Csv, "\u{feff}source,target\nأ,a\n"),
            (Format::Jsonl, "\u{feff}{\"source\":\"أ\",\"target\":\"a\"}\n"),
        ] {
            for little in [true, false] {
                let bytes = utf16(text, little);
                let recs: Vec<Record> = reader(format, &bytes[..], opts.clone())
                    .unwrap()
                    .map(|r| r.unwrap())
                    .collect();
                assert!(
                    matches!(&recs[..], [Record::Unit { unit, .. }] if unit.source == "أ" && unit.target == "a"),
                    "{format:?}: {recs:?}"
                );
                let no_bom = utf16(&text[3..], little);
                assert!(matches!(
                    reader(format, &no_bom[..], opts.clone()).err(),
                    Some(FormatError::Utf16WithoutBom { .. })
                ));
            }
        }
    }
}
