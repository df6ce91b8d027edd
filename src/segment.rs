//! Sentence segmentation (provisional splitter; the SRX rule engine replaces its internals).
//!
//! Invariants: paragraph and line breaks always end a segment; leading and trailing white space is
//! not part of a segment; `start`/`end` are character offsets with `text == input[start..end]`.

use serde::Serialize;

/// One segment of a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// 0-based position of the segment in the text.
    pub index: usize,
    /// The segment's text, exactly as in the input.
    pub text: String,
    /// 0-based index of the paragraph (block of non-empty lines) the segment belongs to.
    pub paragraph: usize,
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset one past the last character.
    pub end: usize,
}

/// A segmenter for one language.
#[derive(Debug, Clone)]
pub struct Segmenter {
    _lang: String,
}

impl Segmenter {
    /// The built-in rules for a BCP 47 language tag (`ar`, `ar-SA`, `en`, …).
    pub fn for_language(lang: &str) -> Self {
        Segmenter {
            _lang: lang.to_ascii_lowercase(),
        }
    }

    /// Splits `text` into segments.
    pub fn segment(&self, text: &str) -> Vec<Segment> {
        let mut out = Vec::new();
        let mut paragraph = 0usize;
        let mut seen_in_para = false;
        let mut char_pos = 0usize;
        for line in text.split_inclusive('\n') {
            let n = line.chars().count();
            let body = line.trim_end_matches(['\n', '\r']);
            if body.trim().is_empty() {
                if seen_in_para {
                    paragraph += 1;
                    seen_in_para = false;
                }
            } else {
                let lead = body.chars().take_while(|c| c.is_whitespace()).count();
                let trimmed = body.trim();
                let len = trimmed.chars().count();
                out.push(Segment {
                    index: out.len(),
                    text: trimmed.to_string(),
                    paragraph,
                    start: char_pos + lead,
                    end: char_pos + lead + len,
                });
                seen_in_para = true;
            }
            char_pos += n;
        }
        out
    }
}

/// Segments `text` with the built-in rules for `lang`.
pub fn segment(text: &str, lang: &str) -> Vec<Segment> {
    Segmenter::for_language(lang).segment(text)
}
