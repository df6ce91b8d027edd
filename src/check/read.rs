//! Reading the bilingual files a team delivers into [`Segment`]s, through the format readers'
//! check hooks: the same parsing as `mizan import`, without its trust rules (every segment with
//! a source is kept, an empty or unfinished target included).

use std::io::BufRead;

use super::Segment;
use crate::formats::{self, Format, FormatError, ReadOptions, Rejection};

/// How to read one file.
#[derive(Debug, Clone)]
pub struct Input {
    /// The format.
    pub format: Format,
    /// The file's name (for messages) and the language pair (TMX picks its variants by it,
    /// XLIFF checks the file's declared languages against it).
    pub options: ReadOptions,
    /// XLIFF: read the file as the pair of `options` whatever languages it declares.
    pub assume_languages: bool,
}

/// A file's segments, and the rows that could not be read as a pair.
#[derive(Debug, Clone, Default)]
pub struct Bilingual {
    /// The segments, in file order.
    pub segments: Vec<Segment>,
    /// Rows that are not a pair (a TSV line without a tab, XML text that cannot be read), with
    /// their lines.
    pub rejected: Vec<Rejection>,
}

/// Reads a bilingual file: a filled pretranslate TSV (its `suggestion` column is the target),
/// TSV / CSV / JSON Lines with source and target, TMX (the variants of the language pair), or
/// XLIFF 1.2 / 2.x (every segment, finished or not).
///
/// # Errors
/// [`FormatError`] when the file cannot be read as that format at all.
pub fn read_bilingual<R: BufRead + Send>(input: R, how: &Input) -> Result<Bilingual, FormatError> {
    let rows = match how.format {
        Format::Tsv | Format::Csv | Format::Jsonl => formats::tabular::check_rows(how.format, input, &how.options)?,
        Format::Tmx => formats::tmx::check_rows(input, how.options.clone())?,
        Format::Xliff => formats::xliff::check_rows(input, &how.options, how.assume_languages)?,
    };
    let mut out = Bilingual::default();
    for row in rows {
        match row {
            Ok(r) => out.segments.push(r),
            Err(rejection) => out.rejected.push(rejection),
        }
    }
    Ok(out)
}
