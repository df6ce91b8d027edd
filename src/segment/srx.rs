//! Reading SRX 2.0 (and the compatible parts of SRX 1.0) files: language rules, map rules,
//! cascade. The XML is parsed with `quick-xml`; every rule keeps the line it was written on so that
//! errors can point at it.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Errors from loading an SRX file. Each message says what to fix and, where it can, on which line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SrxError {
    /// The file is not well-formed XML.
    #[error("SRX line {line}: the XML is not well-formed ({message}); fix the markup there")]
    Xml {
        /// 1-based line of the error.
        line: usize,
        /// What the XML parser reported.
        message: String,
    },
    /// The file has no `<srx>` root element.
    #[error(
        "this is not an SRX file: no <srx> element found; a segmentation rules file starts with <srx version=\"2.0\">"
    )]
    NotSrx,
    /// A required attribute is missing.
    #[error("SRX line {line}: <{element}> needs a {attribute}=\"...\" attribute")]
    MissingAttribute {
        /// 1-based line of the element.
        line: usize,
        /// The element name.
        element: &'static str,
        /// The missing attribute.
        attribute: &'static str,
    },
    /// An attribute has a value that SRX does not allow.
    #[error("SRX line {line}: {attribute}=\"{value}\" is not valid; write \"yes\" or \"no\"")]
    BadYesNo {
        /// 1-based line of the element.
        line: usize,
        /// The attribute.
        attribute: &'static str,
        /// The value found.
        value: String,
    },
    /// A `<languagemap>` names a `<languagerule>` that does not exist.
    #[error(
        "SRX line {line}: <languagemap> refers to languagerulename=\"{name}\", but no <languagerule> has that name"
    )]
    UnknownLanguageRule {
        /// 1-based line of the map.
        line: usize,
        /// The missing rule set name.
        name: String,
    },
    /// A `languagepattern` is not a valid regular expression.
    #[error("SRX line {line}: languagepattern=\"{pattern}\" is not a valid regular expression: {message}")]
    BadLanguagePattern {
        /// 1-based line of the map.
        line: usize,
        /// The pattern.
        pattern: String,
        /// Why it does not compile.
        message: String,
    },
    /// A rule uses regular-expression syntax that the linear-time engine does not support.
    #[error("SRX line {line}: the pattern \"{pattern}\" uses {construct}, which mizan cannot run: {hint}")]
    UnsupportedRegex {
        /// 1-based line of the rule.
        line: usize,
        /// The pattern as written in the file.
        pattern: String,
        /// The offending construct.
        construct: String,
        /// What to write instead.
        hint: String,
    },
    /// A rule's pattern is not a valid regular expression.
    #[error("SRX line {line}: the pattern \"{pattern}\" is not a valid regular expression: {message}")]
    BadRegex {
        /// 1-based line of the rule.
        line: usize,
        /// The pattern as written in the file.
        pattern: String,
        /// The regex compiler's message.
        message: String,
    },
    /// No `<languagemap>` matches the requested language.
    #[error("no <languagemap> in the SRX file matches the language \"{lang}\"; add one, e.g. <languagemap languagepattern=\".*\" languagerulename=\"Default\"/>")]
    NoRulesForLanguage {
        /// The language tag asked for.
        lang: String,
    },
}

/// One rule as written in the file.
#[derive(Debug, Clone)]
pub(crate) struct RawRule {
    /// `true` for `break="yes"` (the default), `false` for `break="no"`.
    pub is_break: bool,
    /// The `<beforebreak>` pattern (empty if absent).
    pub before: String,
    /// The `<afterbreak>` pattern (empty if absent).
    pub after: String,
    /// 1-based line of `<rule>`.
    pub line: usize,
}

/// A parsed SRX document.
#[derive(Debug, Clone, Default)]
pub(crate) struct SrxDocument {
    /// `cascade="yes"` in the header.
    pub cascade: bool,
    /// Named rule sets, in file order.
    pub language_rules: Vec<(String, Vec<RawRule>)>,
    /// Map rules: (language pattern, rule set name, line).
    pub maps: Vec<(String, String, usize)>,
}

impl SrxDocument {
    /// The rules that apply to `lang`, in order: with cascade, the rules of every matching map in
    /// map order; without, those of the first matching map.
    pub fn rules_for(&self, lang: &str) -> Result<Vec<RawRule>, SrxError> {
        let mut rules = Vec::new();
        let mut matched = false;
        for (pattern, name, line) in &self.maps {
            let translated = super::pattern::translate(pattern).map_err(|u| SrxError::BadLanguagePattern {
                line: *line,
                pattern: pattern.clone(),
                message: format!("{}: {}", u.construct, u.hint),
            })?;
            let re =
                regex::Regex::new(&format!("(?i)^(?:{translated})$")).map_err(|e| SrxError::BadLanguagePattern {
                    line: *line,
                    pattern: pattern.clone(),
                    message: e.to_string(),
                })?;
            if !re.is_match(lang) {
                continue;
            }
            let Some((_, set)) = self.language_rules.iter().find(|(n, _)| n == name) else {
                return Err(SrxError::UnknownLanguageRule {
                    line: *line,
                    name: name.clone(),
                });
            };
            matched = true;
            rules.extend(set.iter().cloned());
            if !self.cascade {
                break;
            }
        }
        if matched {
            Ok(rules)
        } else {
            Err(SrxError::NoRulesForLanguage { lang: lang.to_string() })
        }
    }
}

fn line_of(text: &str, byte: u64) -> usize {
    let end = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Result<Option<String>, quick_xml::Error> {
    for a in e.attributes() {
        let a = a.map_err(quick_xml::Error::from)?;
        if a.key.local_name().as_ref() == name {
            return Ok(Some(a.unescape_value()?.into_owned()));
        }
    }
    Ok(None)
}

fn yes_no(value: Option<String>, default: bool, line: usize, attribute: &'static str) -> Result<bool, SrxError> {
    match value.as_deref().map(str::trim) {
        None => Ok(default),
        Some(v) if v.eq_ignore_ascii_case("yes") || v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("no") || v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(SrxError::BadYesNo {
            line,
            attribute,
            value: v.to_string(),
        }),
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Capture {
    None,
    Before,
    After,
}

/// Parses an SRX document.
pub(crate) fn parse(xml: &str) -> Result<SrxDocument, SrxError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut doc = SrxDocument::default();
    let mut seen_srx = false;
    let mut current_set: Option<(String, Vec<RawRule>)> = None;
    let mut current_rule: Option<RawRule> = None;
    let mut capture = Capture::None;
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| SrxError::Xml {
            line: line_of(xml, reader.error_position()),
            message: e.to_string(),
        })?;
        let line = line_of(xml, pos);
        let xml_err = |e: quick_xml::Error| SrxError::Xml {
            line,
            message: e.to_string(),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"srx" => seen_srx = true,
                    b"header" => {
                        doc.cascade = yes_no(attr(e, b"cascade").map_err(xml_err)?, false, line, "cascade")?;
                    }
                    b"languagerule" => {
                        let name =
                            attr(e, b"languagerulename")
                                .map_err(xml_err)?
                                .ok_or(SrxError::MissingAttribute {
                                    line,
                                    element: "languagerule",
                                    attribute: "languagerulename",
                                })?;
                        if empty {
                            doc.language_rules.push((name, Vec::new()));
                        } else {
                            current_set = Some((name, Vec::new()));
                        }
                    }
                    b"rule" => {
                        let is_break = yes_no(attr(e, b"break").map_err(xml_err)?, true, line, "break")?;
                        let rule = RawRule {
                            is_break,
                            before: String::new(),
                            after: String::new(),
                            line,
                        };
                        if empty {
                            if let Some((_, rules)) = current_set.as_mut() {
                                rules.push(rule);
                            }
                        } else {
                            current_rule = Some(rule);
                        }
                    }
                    b"beforebreak" if !empty => capture = Capture::Before,
                    b"afterbreak" if !empty => capture = Capture::After,
                    b"languagemap" => {
                        let pattern =
                            attr(e, b"languagepattern")
                                .map_err(xml_err)?
                                .ok_or(SrxError::MissingAttribute {
                                    line,
                                    element: "languagemap",
                                    attribute: "languagepattern",
                                })?;
                        let name =
                            attr(e, b"languagerulename")
                                .map_err(xml_err)?
                                .ok_or(SrxError::MissingAttribute {
                                    line,
                                    element: "languagemap",
                                    attribute: "languagerulename",
                                })?;
                        doc.maps.push((pattern, name, line));
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(rule) = current_rule.as_mut() {
                    let text = t.unescape().map_err(xml_err)?;
                    match capture {
                        Capture::Before => rule.before.push_str(&text),
                        Capture::After => rule.after.push_str(&text),
                        Capture::None => {}
                    }
                }
            }
            Event::CData(t) => {
                if let Some(rule) = current_rule.as_mut() {
                    let text = String::from_utf8_lossy(&t);
                    match capture {
                        Capture::Before => rule.before.push_str(&text),
                        Capture::After => rule.after.push_str(&text),
                        Capture::None => {}
                    }
                }
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                b"beforebreak" | b"afterbreak" => capture = Capture::None,
                b"rule" => {
                    if let (Some(rule), Some((_, rules))) = (current_rule.take(), current_set.as_mut()) {
                        rules.push(rule);
                    }
                }
                b"languagerule" => {
                    if let Some(set) = current_set.take() {
                        doc.language_rules.push(set);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_srx {
        return Err(SrxError::NotSrx);
    }
    Ok(doc)
}
