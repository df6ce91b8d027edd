//! Sentence segmentation: an SRX 2.0 rule engine and the built-in Arabic and English rule sets.
//!
//! A text is first cut into lines; each non-empty line is then cut at the positions where the SRX
//! rules say "break". At a position between two characters the rules are tried in order and the
//! first rule whose `<beforebreak>` pattern matches the text ending there and whose `<afterbreak>`
//! pattern matches the text starting there decides (break or no break); where no rule matches there
//! is no break. Language rule sets are chosen through the file's `<maprules>` (language patterns
//! matched against the whole tag, case-insensitively); with `cascade="yes"` the rules of every
//! matching map apply in map order, otherwise those of the first. The built-in rules live in
//! `schemas/segmentation/mizan.srx` (embedded at build time, [`BUILTIN_SRX`]);
//! [`Segmenter::from_srx`] loads a translator's own SRX file (OmegaT, Okapi) instead.
//!
//! ```
//! use mizan::segment::segment;
//! let text = "قال د. أحمد إن عدد القتلى ارتفع إلى 17. وأضاف: «الوضع صعب».\n\nالمصدر : رويترز";
//! let segs = segment(text, "ar");
//! let texts: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
//! assert_eq!(texts, ["قال د. أحمد إن عدد القتلى ارتفع إلى 17.", "وأضاف: «الوضع صعب».", "المصدر : رويترز"]);
//! assert_eq!((segs[2].paragraph, segs[2].start), (1, 61));
//! ```
//!
//! # Regular expressions in SRX files
//! SRX patterns are ICU/Java regular expressions. mizan runs them on a linear-time engine (the
//! `regex` crate family), so no input can make segmentation slow; patterns are translated:
//! - supported: literals, `.`, classes (nested, negated, `&&` intersection), `\d \D \s \S \w \W
//!   \b \B \t \n \r \f \e \a`, `\uXXXX`, `\xHH`, `\x{H…}`, octal `\0oo`, `\Q…\E`, `\h \H \v
//!   \V \R`, `\A \z \Z`, `^ $` (start and end of the line), greedy and lazy quantifiers,
//!   possessive quantifiers (run as greedy), groups and named groups, inline flags `i m s x`
//!   (`u d U` are accepted and ignored: matching is always Unicode-aware), `\p{..}` / `\P{..}`
//!   with general categories (`\p{Lu}`, `\p{IsLu}`), scripts (`\p{Arabic}`, `\p{IsArabic}`,
//!   `\p{Script=Arabic}`), binary properties (`\p{Alphabetic}`), Java names (`\p{javaLowerCase}`,
//!   …), POSIX names (`\p{Alpha}`, `\p{Punct}`, … ASCII as in Java) and the common blocks
//!   (`\p{InArabic}`, `\p{InBasicLatin}`, `\p{InGeneralPunctuation}`, …);
//! - not supported, rejected with [`SrxError::UnsupportedRegex`] naming the rule's line and what to
//!   write instead: look-ahead and look-behind (`(?=` `(?!` `(?<=` `(?<!`; move the look-ahead part
//!   into `<afterbreak>`, the look-behind part into `<beforebreak>`), atomic groups `(?>`,
//!   back-references (`\1`, `\k<name>`), `\G`, `\X`, `\cX`, other Unicode blocks.
//!
//! Differences from a Java engine that a rule author may notice: a `<beforebreak>` match may start
//! at most [`BEFORE_WINDOW`] bytes before the position and an `<afterbreak>` match may reach at
//! most [`AFTER_WINDOW`] bytes after it; `\b` at the very end of a `<beforebreak>` pattern does not
//! see the character after the position (write the condition into `<afterbreak>`); rules never see
//! across a line break.
//!
//! # Invariants
//! - paragraph and line breaks (`\n`, `\r\n`, `\r`, U+2028, U+2029, U+0085, VT, FF) always end
//!   a segment; blank lines produce nothing;
//! - leading and trailing white space (and invisible marks such as the right-to-left mark,
//!   zero-width space and bidi controls, see [`is_trimmable`]) is not part of a segment; nothing
//!   else is ever dropped, so the segments with the dropped characters put back between them give
//!   the input;
//! - the rules never see invisible marks ([`crate::text::is_invisible_mark`]): they run on the
//!   line with its marks taken out, and each break is put back right after the visible character
//!   it follows. A mark inside an abbreviation (`د` U+202A `.` U+202C) or a word changes no
//!   break, and rules need not allow for marks (the classes of `mizan.srx` that list them never
//!   meet one);
//! - `start`/`end` are character (Unicode scalar value) offsets with
//!   `text == input.chars().skip(start).take(end - start)`;
//! - `paragraph` is the 0-based index of the block of non-empty lines (blank lines separate blocks);
//! - segmentation time is linear in the input: rules are only tried where a break rule can end,
//!   and each pattern only looks at a bounded window around the position.

mod pattern;
mod srx;

use std::sync::{Arc, OnceLock};

use regex_automata::{meta, Anchored, Input};
use serde::Serialize;

use pattern::{CharSet, Edge};
pub use srx::SrxError;

/// The built-in SRX rules (Arabic, English and a generic default), embedded at build time.
pub const BUILTIN_SRX: &str = include_str!("../../schemas/segmentation/mizan.srx");

/// How far back (in bytes of UTF-8) a `<beforebreak>` pattern can look from the break position.
pub const BEFORE_WINDOW: usize = 1024;
/// How far ahead (in bytes of UTF-8) an `<afterbreak>` pattern can look from the break position.
pub const AFTER_WINDOW: usize = 512;

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

/// One compiled rule.
#[derive(Debug)]
struct Rule {
    is_break: bool,
    /// `(?:before)$`, searched in the text ending at the position; `None` for an empty pattern.
    before: Option<meta::Regex>,
    /// `(?:after)`, searched anchored at the position; `None` for an empty pattern.
    after: Option<meta::Regex>,
    /// Characters a match of `before` can end with.
    before_last: CharSet,
    /// Characters a match of `after` can begin with.
    after_first: CharSet,
    /// Whether `after` can match the empty string (then `after_first` does not constrain).
    after_nullable: bool,
    /// How far back `before` can reach, in bytes (its longest match, capped at [`BEFORE_WINDOW`]).
    before_reach: usize,
    /// How far ahead `after` can reach, in bytes (its longest match, capped at [`AFTER_WINDOW`]).
    after_reach: usize,
}

impl Rule {
    /// Whether both patterns match at byte `pos` of `line`, whose neighbouring characters are
    /// `prev` and `next`.
    fn matches(&self, line: &str, pos: usize, prev: char, next: char) -> bool {
        if !self.before_last.contains(prev) || (!self.after_nullable && !self.after_first.contains(next)) {
            return false;
        }
        if let Some(after) = &self.after {
            // The span bounds the work; look-around assertions (`$`, `\b`) still see the whole line.
            let end = ceil_boundary(line, pos.saturating_add(self.after_reach).min(line.len()));
            if !after.is_match(Input::new(line).span(pos..end).anchored(Anchored::Yes)) {
                return false;
            }
        }
        if let Some(before) = &self.before {
            let start = floor_boundary(line, pos.saturating_sub(self.before_reach));
            if !before.is_match(Input::new(&line[..pos]).span(start..pos)) {
                return false;
            }
        }
        true
    }
}

/// The compiled rules of one language.
#[derive(Debug)]
struct RuleSet {
    rules: Vec<Rule>,
    /// Indexes of the break rules in `rules`, ascending.
    breaking: Vec<usize>,
    /// Where a break rule can apply (`None`: every position).
    candidate: Option<Candidates>,
}

/// The positions a break rule can apply at, found by searching for one character next to them.
///
/// Each break rule is indexed by the narrower side of its position: the characters its
/// before-part can end with (positions right after one of them), or, when those include white
/// space (a rule such as "a bullet after a space starts a segment") and its after-part cannot
/// match empty, the characters that part begins with (positions right before one). Every position
/// where any break rule matches is found either way; the rules themselves decide.
#[derive(Debug)]
struct Candidates {
    /// Positions right after a match.
    after: Option<regex::Regex>,
    /// Positions right before a match.
    before: Option<regex::Regex>,
}

impl Candidates {
    /// `None` when some break rule can apply anywhere.
    fn new(rules: &[Rule]) -> Option<Candidates> {
        let mut by_prev = Vec::new();
        let mut by_next = Vec::new();
        for r in rules.iter().filter(|r| r.is_break) {
            if r.before_last.contains(' ') && !r.after_nullable && !matches!(r.after_first, CharSet::Any) {
                by_next.push(&r.after_first);
            } else {
                by_prev.push(&r.before_last);
            }
        }
        let compile = |sets: Vec<&CharSet>| -> Result<Option<regex::Regex>, ()> {
            if sets.is_empty() {
                return Ok(None);
            }
            let re = CharSet::union(sets).to_regex().ok_or(())?;
            regex::Regex::new(&re).map(Some).map_err(|_| ())
        };
        Some(Candidates {
            after: compile(by_prev).ok()?,
            before: compile(by_next).ok()?,
        })
    }

    /// Candidate byte positions inside `line` (0 < pos < len), ascending, without repeats.
    fn positions(&self, line: &str, out: &mut Vec<usize>) {
        out.clear();
        if let Some(re) = &self.after {
            out.extend(re.find_iter(line).map(|m| m.end()).filter(|&p| p < line.len()));
        }
        if let Some(re) = &self.before {
            let first = out.len();
            out.extend(re.find_iter(line).map(|m| m.start()).filter(|&p| p > 0));
            if first > 0 && first < out.len() {
                out.sort_unstable();
                out.dedup();
            }
        }
    }
}

/// A segmenter for one language: compiled SRX rules. Cheap to clone (the rules are shared).
#[derive(Debug, Clone)]
pub struct Segmenter {
    lang: String,
    rules: Arc<RuleSet>,
}

/// Characters dropped at the edges of a segment: white space and invisible marks
/// ([`crate::text::is_invisible_mark`]).
pub fn is_trimmable(c: char) -> bool {
    c.is_whitespace() || crate::text::is_invisible_mark(c)
}

/// A line as the rules see it: without its invisible marks, and where each of its bytes came from.
struct Unmarked {
    text: String,
    /// `origin[i]`: the byte offset in the line of byte `i` of `text`.
    origin: Vec<usize>,
}

impl Unmarked {
    /// `None` when the line has no invisible mark (the rules then see the line itself).
    fn of(line: &str) -> Option<Unmarked> {
        if !line.chars().any(crate::text::is_invisible_mark) {
            return None;
        }
        let mut text = String::with_capacity(line.len());
        let mut origin = Vec::with_capacity(line.len());
        for (i, c) in line.char_indices().filter(|&(_, c)| !crate::text::is_invisible_mark(c)) {
            text.push(c);
            origin.extend(i..i + c.len_utf8());
        }
        Some(Unmarked { text, origin })
    }

    /// The line offset of a break at byte `pos` (0 < pos < len) of `text`: right after the
    /// visible character before it (marks after it open the next piece, whose edges are trimmed).
    fn line_offset(&self, pos: usize) -> usize {
        self.origin[pos - 1] + 1
    }
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn compile_part(
    raw: &str,
    wrap: impl Fn(&str) -> String,
    line: usize,
) -> Result<(Option<meta::Regex>, String), SrxError> {
    if raw.is_empty() {
        return Ok((None, String::new()));
    }
    let translated = pattern::translate(raw).map_err(|u| SrxError::UnsupportedRegex {
        line,
        pattern: raw.to_string(),
        construct: u.construct,
        hint: u.hint.to_string(),
    })?;
    let re = meta::Builder::new()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(50 << 20))
                .hybrid_cache_capacity(4 << 20),
        )
        .build(&wrap(&translated))
        .map_err(|e| SrxError::BadRegex {
            line,
            pattern: raw.to_string(),
            message: e.to_string(),
        })?;
    Ok((Some(re), translated))
}

impl RuleSet {
    fn compile(raw: &[srx::RawRule]) -> Result<RuleSet, SrxError> {
        let mut rules = Vec::with_capacity(raw.len());
        let mut breaking = Vec::new();
        for r in raw {
            let (before, before_src) = compile_part(&r.before, |p| format!("(?:{p})$"), r.line)?;
            let (after, after_src) = compile_part(&r.after, |p| format!("(?:{p})"), r.line)?;
            let before_last = if before.is_some() {
                pattern::edge_chars(&before_src, Edge::Last)
            } else {
                CharSet::Any
            };
            let after_first = if after.is_some() {
                pattern::edge_chars(&after_src, Edge::First)
            } else {
                CharSet::Any
            };
            let after_nullable = matches!(after_first, CharSet::Any);
            // A few bytes more than the longest match, for the first character's UTF-8 boundary.
            let reach = |src: &str, cap: usize| pattern::max_len(src).map_or(cap, |n| n.saturating_add(4).min(cap));
            if r.is_break {
                breaking.push(rules.len());
            }
            rules.push(Rule {
                is_break: r.is_break,
                before,
                after,
                before_last,
                after_first,
                after_nullable,
                before_reach: reach(&before_src, BEFORE_WINDOW),
                after_reach: reach(&after_src, AFTER_WINDOW),
            });
        }
        let candidate = Candidates::new(&rules);
        Ok(RuleSet {
            rules,
            breaking,
            candidate,
        })
    }

    /// Whether the rules say "break" at byte `pos` of `line` (0 < pos < line.len()).
    ///
    /// SRX: the first rule that matches decides, no match = no break. Evaluated in an equivalent
    /// order that is much cheaper on rule sets with long abbreviation lists: find the first
    /// matching break rule (none: no break), then look for a matching no-break rule before it.
    fn breaks_at(&self, line: &str, pos: usize) -> bool {
        let (Some(prev), Some(next)) = (line[..pos].chars().next_back(), line[pos..].chars().next()) else {
            return false;
        };
        let Some(&first_break) = self
            .breaking
            .iter()
            .find(|&&i| self.rules[i].matches(line, pos, prev, next))
        else {
            return false;
        };
        !self.rules[..first_break]
            .iter()
            .any(|r| !r.is_break && r.matches(line, pos, prev, next))
    }

    /// Byte offsets inside `line` where it breaks, ascending.
    fn breaks(&self, line: &str, out: &mut Vec<usize>) {
        out.clear();
        match &self.candidate {
            Some(candidates) => {
                let mut positions = Vec::new();
                candidates.positions(line, &mut positions);
                out.extend(positions.into_iter().filter(|&pos| self.breaks_at(line, pos)));
            }
            None => {
                for (pos, _) in line.char_indices().skip(1) {
                    if self.breaks_at(line, pos) {
                        out.push(pos);
                    }
                }
            }
        }
    }
}

fn builtin(lang_key: &str) -> Segmenter {
    static ARABIC: OnceLock<Segmenter> = OnceLock::new();
    static ENGLISH: OnceLock<Segmenter> = OnceLock::new();
    static DEFAULT: OnceLock<Segmenter> = OnceLock::new();
    let (cell, tag) = match lang_key {
        "ar" => (&ARABIC, "ar"),
        "en" => (&ENGLISH, "en"),
        _ => (&DEFAULT, "und"),
    };
    cell.get_or_init(|| match Segmenter::from_srx(BUILTIN_SRX, tag) {
        Ok(s) => s,
        // The built-in file is tested (`builtin_rules_compile`); if it were ever broken, fall back
        // to line segmentation rather than failing every caller.
        Err(_) => Segmenter {
            lang: tag.to_string(),
            rules: Arc::new(RuleSet {
                rules: Vec::new(),
                breaking: Vec::new(),
                candidate: None,
            }),
        },
    })
    .clone()
}

impl Segmenter {
    /// The built-in rules for a BCP 47 language tag: `ar`, `ar-SA`, `AR` → Arabic; `en`, `en-US` →
    /// English; anything else → a generic default (breaks after `.` `!` `?` and their Arabic and
    /// CJK forms followed by white space). Compiled once per process and shared.
    ///
    /// ```
    /// use mizan::segment::Segmenter;
    /// let s = Segmenter::for_language("ar-SA");
    /// let segs = s.segment("وصل د. أحمد إلى بيروت. وقال إن الوضع صعب.");
    /// assert_eq!(segs.len(), 2);
    /// assert_eq!(segs[0].text, "وصل د. أحمد إلى بيروت.");
    /// ```
    pub fn for_language(lang: &str) -> Segmenter {
        let primary = lang.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        let key = match primary.as_str() {
            "ar" | "ara" | "arb" => "ar",
            "en" | "eng" => "en",
            _ => "",
        };
        builtin(key)
    }

    /// Loads the rules of an SRX 1.0/2.0 file (as OmegaT and Okapi users have them) for the
    /// language tag `lang`, chosen through the file's `<maprules>` (with `cascade="yes"` the rules of
    /// every matching map apply, in order).
    ///
    /// # Errors
    /// [`SrxError`] if the XML is malformed, a rule uses regex syntax the linear-time engine cannot
    /// run (look-around, back-references; the message names the rule's line and what to write
    /// instead), a pattern does not compile, or no map matches `lang`.
    ///
    /// ```
    /// use mizan::segment::Segmenter;
    /// let srx = r#"<srx version="2.0"><header cascade="no"/><body><languagerules>
    ///   <languagerule languagerulename="Any">
    ///     <rule break="no"><beforebreak>\bDr\.</beforebreak><afterbreak>\s</afterbreak></rule>
    ///     <rule><beforebreak>[.!?]</beforebreak><afterbreak>\s</afterbreak></rule>
    ///   </languagerule></languagerules>
    ///   <maprules><languagemap languagepattern=".*" languagerulename="Any"/></maprules></body></srx>"#;
    /// let s = Segmenter::from_srx(srx, "en").unwrap();
    /// assert_eq!(s.segment("Dr. Who came. He left.").len(), 2);
    /// ```
    pub fn from_srx(srx_xml: &str, lang: &str) -> Result<Segmenter, SrxError> {
        let doc = srx::parse(srx_xml)?;
        let raw = doc.rules_for(lang)?;
        Ok(Segmenter {
            lang: lang.to_string(),
            rules: Arc::new(RuleSet::compile(&raw)?),
        })
    }

    /// The language tag this segmenter was made for.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// Splits `text` into segments (see the module invariants).
    pub fn segment(&self, text: &str) -> Vec<Segment> {
        let mut out = Vec::new();
        let mut breaks = Vec::new();
        let mut paragraph = 0usize;
        let mut seen_in_para = false;
        let mut char_pos = 0usize; // character offset of `rest`
        let mut rest = text;
        while !rest.is_empty() {
            // (line, terminator length in bytes, terminator length in characters)
            let (line, term_len, term_chars) = match rest.char_indices().find(|&(_, c)| is_line_break(c)) {
                Some((i, '\r')) if rest[i + 1..].starts_with('\n') => (&rest[..i], 2, 2),
                Some((i, c)) => (&rest[..i], c.len_utf8(), 1),
                None => (rest, 0, 0),
            };
            let line_chars;
            if line.chars().all(is_trimmable) {
                line_chars = line.chars().count();
                if seen_in_para {
                    paragraph += 1;
                    seen_in_para = false;
                }
            } else {
                seen_in_para = true;
                // The rules never see invisible marks: `د` U+202A `.` U+202C (a full stop between
                // embedding marks) is the abbreviation `د.` to them, as it is to a reader.
                match Unmarked::of(line) {
                    None => self.rules.breaks(line, &mut breaks),
                    Some(view) => {
                        self.rules.breaks(&view.text, &mut breaks);
                        breaks.iter_mut().for_each(|b| *b = view.line_offset(*b));
                    }
                }
                let mut piece_start = 0usize;
                let mut piece_char = char_pos;
                for &end in breaks.iter().chain(std::iter::once(&line.len())) {
                    let piece = &line[piece_start..end];
                    let piece_len = piece.chars().count();
                    let lead = piece.len() - piece.trim_start_matches(is_trimmable).len();
                    let body = piece.trim_matches(is_trimmable);
                    if !body.is_empty() {
                        let start = piece_char + piece[..lead].chars().count();
                        let end_char = start + body.chars().count();
                        out.push(Segment {
                            index: out.len(),
                            text: body.to_string(),
                            paragraph,
                            start,
                            end: end_char,
                        });
                    }
                    piece_char += piece_len;
                    piece_start = end;
                }
                line_chars = piece_char - char_pos;
            }
            char_pos += line_chars + term_chars;
            rest = &rest[line.len() + term_len..];
        }
        out
    }
}

/// Segments `text` with the built-in rules for `lang` (see [`Segmenter::for_language`]).
///
/// ```
/// let segs = mizan::segment::segment("قال: «سنعود.» وغادر.\n\nسطر ثان", "ar");
/// let texts: Vec<_> = segs.iter().map(|s| s.text.as_str()).collect();
/// assert_eq!(texts, ["قال: «سنعود.»", "وغادر.", "سطر ثان"]);
/// assert_eq!(segs[2].paragraph, 1);
/// ```
pub fn segment(text: &str, lang: &str) -> Vec<Segment> {
    Segmenter::for_language(lang).segment(text)
}

#[cfg(test)]
mod tests;
