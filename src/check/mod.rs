//! Quality checks of bilingual segments before delivery: numbers, glossary terms, inline tags,
//! empty or untranslated targets, white space and punctuation.
//!
//! Input is a list of [`Segment`]s (a source, its target, where they stand in their file), read
//! from a filled pretranslate TSV, a CSV/TSV/JSON Lines file with source and target, TMX or XLIFF
//! by [`read_bilingual`]. Each [`Rule`] looks at one segment at a time and reports [`Finding`]s.
//!
//! Invariants:
//! - the checks never change the text: spans are byte ranges into [`Segment::source`] and
//!   [`Segment::target`] exactly as read (always on character boundaries), and comparisons use
//!   the matching forms of [`crate::text`] (digit scripts, quote styles, letter case folded);
//! - every finding names its rule, and a rule has one severity ([`Rule::severity`]): an
//!   `error` is something a delivery must not contain (a number changed, a tag dropped, a
//!   forbidden term, an empty or untranslated target), a `warning` something a reviewer should
//!   look at, an `info` a note (a number written as a word on one side);
//! - a segment whose target is empty or a copy of its Arabic source gets that one finding and no
//!   other (the other rules would only repeat it);
//! - the checks read no TM and no glossary of their own: glossary terms come through the
//!   [`TermLookup`] trait, so any glossary (or none) can be plugged in.
//!
//! ```
//! use mizan::check::{check_segment, CheckOptions, Rule, Segment, Severity};
//! let seg = Segment::new(1, "وصل الوفد عام ٢٠٢٤.", "The delegation arrived in 2025.");
//! let findings = check_segment(&seg, &CheckOptions::default(), None);
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].rule, Rule::Numbers);
//! assert_eq!(findings[0].severity, Severity::Error);
//! assert_eq!(findings[0].target_span.map(|s| s.text(&seg.target)), Some("2025"));
//! ```

mod numbers;
mod read;
mod rules;

use serde::Serialize;

pub use read::{read_bilingual, Bilingual, Input};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A note; nothing to fix necessarily.
    Info,
    /// Something a reviewer should look at.
    Warning,
    /// Something a delivery must not contain: `mizan check` exits 1.
    Error,
}

impl Severity {
    /// The name used in reports: `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A quality rule. Its id ([`Rule::id`]) is what reports print and `--rules` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Rule {
    /// The target is empty (or white space only).
    Empty,
    /// The target is the Arabic source, copied, or mostly in Arabic script (into a language that
    /// is not written in it).
    Untranslated,
    /// A number of the source is missing from the target, or the target has one the source has
    /// not (any digit script; `1,500` = `1500`; `3.5 million` = `3,500,000`).
    Numbers,
    /// A number written in digits on one side and as a word on the other (`ستة` / `6`).
    NumberWords,
    /// A glossary term of the source whose target (none of them) is in the target.
    Terms,
    /// A forbidden variant of a glossary term is in the target.
    ForbiddenTerms,
    /// Inline tags dropped, added, or not well nested in the target.
    Tags,
    /// Two or more spaces in a row in the target.
    DoubleSpace,
    /// White space at the start or end of one side and not of the other.
    EdgeSpace,
    /// The final punctuation differs (`؟` against `.`, a full stop against none).
    EndPunctuation,
    /// Arabic punctuation (`،` `؛` `؟`) in a target that is not in Arabic script.
    ArabicPunctuation,
    /// Parentheses, brackets or quotation marks unbalanced in the target (and balanced in the
    /// source).
    Unbalanced,
    /// A row of the file that could not be read as a pair (reported by [`read_bilingual`]).
    Unreadable,
}

impl Rule {
    /// Every rule, in report order.
    pub const ALL: [Rule; 13] = [
        Rule::Empty,
        Rule::Untranslated,
        Rule::Numbers,
        Rule::NumberWords,
        Rule::Terms,
        Rule::ForbiddenTerms,
        Rule::Tags,
        Rule::DoubleSpace,
        Rule::EdgeSpace,
        Rule::EndPunctuation,
        Rule::ArabicPunctuation,
        Rule::Unbalanced,
        Rule::Unreadable,
    ];

    /// The rule's id: `empty`, `untranslated`, `numbers`, `number-words`, `terms`,
    /// `forbidden-terms`, `tags`, `double-space`, `edge-space`, `end-punctuation`,
    /// `arabic-punctuation`, `unbalanced`, `unreadable`.
    pub fn id(self) -> &'static str {
        match self {
            Rule::Empty => "empty",
            Rule::Untranslated => "untranslated",
            Rule::Numbers => "numbers",
            Rule::NumberWords => "number-words",
            Rule::Terms => "terms",
            Rule::ForbiddenTerms => "forbidden-terms",
            Rule::Tags => "tags",
            Rule::DoubleSpace => "double-space",
            Rule::EdgeSpace => "edge-space",
            Rule::EndPunctuation => "end-punctuation",
            Rule::ArabicPunctuation => "arabic-punctuation",
            Rule::Unbalanced => "unbalanced",
            Rule::Unreadable => "unreadable",
        }
    }

    /// The rule with this id.
    pub fn parse(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id.trim())
    }

    /// The severity of the rule's findings.
    pub fn severity(self) -> Severity {
        match self {
            Rule::Empty | Rule::Untranslated | Rule::Numbers | Rule::ForbiddenTerms | Rule::Tags | Rule::Unreadable => {
                Severity::Error
            }
            Rule::Terms
            | Rule::DoubleSpace
            | Rule::EdgeSpace
            | Rule::EndPunctuation
            | Rule::ArabicPunctuation
            | Rule::Unbalanced => Severity::Warning,
            Rule::NumberWords => Severity::Info,
        }
    }

    /// What the rule looks for, in a few words (for `--help` and the README).
    pub fn description(self) -> &'static str {
        match self {
            Rule::Empty => "the target is empty",
            Rule::Untranslated => "the target is a copy of the Arabic source, or mostly Arabic",
            Rule::Numbers => "a number differs between source and target (any digit script)",
            Rule::NumberWords => "a number is digits on one side and a word on the other",
            Rule::Terms => "a glossary term of the source has none of its targets in the target",
            Rule::ForbiddenTerms => "a forbidden variant of a glossary term is in the target",
            Rule::Tags => "inline tags dropped, added or badly nested in the target",
            Rule::DoubleSpace => "two spaces in a row in the target",
            Rule::EdgeSpace => "leading or trailing white space differs",
            Rule::EndPunctuation => "the final punctuation differs (؟ / ?, . / ۔, !)",
            Rule::ArabicPunctuation => "Arabic punctuation (، ؛ ؟) in a non-Arabic target",
            Rule::Unbalanced => "parentheses or quotes unbalanced in the target",
            Rule::Unreadable => "a row of the file that cannot be read as a pair",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// A byte range of a source or target text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The span of `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The text under the span (empty when it does not fit `text`).
    pub fn text(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// One bilingual segment to check, with where it stands in its file (the struct the format
/// readers' check hooks produce).
pub use crate::formats::tabular::CheckRow as Segment;

/// What a check found in one segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// The rule's severity.
    pub severity: Severity,
    /// What is wrong, in words (texts quoted).
    pub message: String,
    /// Where in the source, when at one place.
    pub source_span: Option<Span>,
    /// Where in the target, when at one place.
    pub target_span: Option<Span>,
}

impl Finding {
    fn new(rule: Rule, message: String, source_span: Option<Span>, target_span: Option<Span>) -> Finding {
        Finding {
            rule,
            severity: rule.severity(),
            message,
            source_span,
            target_span,
        }
    }
}

/// A glossary term found in a source, as the checks need it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckTerm {
    /// Byte offset of the occurrence in the source.
    pub start: usize,
    /// Byte offset one past it.
    pub end: usize,
    /// The glossary's source term.
    pub source: String,
    /// Its allowed targets: one of them must be in the target (none listed: not checked).
    pub targets: Vec<String>,
    /// Variants that must not be in the target.
    pub forbidden: Vec<String>,
}

/// A glossary as the checks see it: the terms found in a source text.
pub trait TermLookup {
    /// The terms occurring in `source`, with where they occur.
    fn hits(&self, source: &str) -> Vec<CheckTerm>;
}

/// The TM's glossary ([`crate::terms::Glossary`], recognition that survives clitics, the
/// article and spelling variants) as the checks' term lookup.
impl TermLookup for crate::terms::Glossary {
    fn hits(&self, source: &str) -> Vec<CheckTerm> {
        crate::terms::Glossary::hits(self, source)
            .into_iter()
            .map(|h| CheckTerm {
                start: h.start,
                end: h.end,
                source: h.source,
                targets: h.targets,
                forbidden: h.forbidden,
            })
            .collect()
    }
}

/// Which rules run, and facts about the language pair.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The rules that run (default: all).
    pub rules: Vec<Rule>,
    /// Whether the target language is written in Arabic script (then `arabic-punctuation` does
    /// not apply and an identical target is not "untranslated").
    pub target_arabic_script: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            rules: Rule::ALL.to_vec(),
            target_arabic_script: false,
        }
    }
}

impl CheckOptions {
    /// Whether `rule` runs.
    pub fn runs(&self, rule: Rule) -> bool {
        self.rules.contains(&rule)
    }

    /// Options for a target language given by its BCP 47 tag: Arabic, Persian, Urdu, Pashto,
    /// Sindhi, Uyghur and Kurdish (Sorani) targets are in Arabic script.
    pub fn for_target_language(tag: &str) -> CheckOptions {
        let lang = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        CheckOptions {
            target_arabic_script: matches!(lang.as_str(), "ar" | "fa" | "ur" | "ps" | "sd" | "ug" | "ckb"),
            ..CheckOptions::default()
        }
    }
}

/// Checks one segment: the findings of every rule that runs, in rule order.
///
/// `terms` is the glossary (`None`: the term rules find nothing).
pub fn check_segment(seg: &Segment, opts: &CheckOptions, terms: Option<&dyn TermLookup>) -> Vec<Finding> {
    rules::check(seg, opts, terms)
}

/// Counts of a check run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Segments checked.
    pub segments: u64,
    /// Error findings.
    pub errors: u64,
    /// Warning findings.
    pub warnings: u64,
    /// Info findings.
    pub infos: u64,
}

impl Summary {
    /// Counts one segment's findings.
    pub fn add(&mut self, findings: &[Finding]) {
        self.segments += 1;
        self.count(findings);
    }

    /// Counts findings that belong to no segment (unreadable rows).
    pub fn count(&mut self, findings: &[Finding]) {
        for f in findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}

/// The finding of a row that [`read_bilingual`] could not read as a pair.
pub fn unreadable(reason: &str) -> Finding {
    Finding::new(Rule::Unreadable, format!("cannot be checked: {reason}"), None, None)
}
