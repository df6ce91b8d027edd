//! Translation of SRX (ICU / Java) regular expressions into the syntax of the linear-time `regex`
//! engine, and a small static analysis of the translated pattern (which characters can end or begin
//! a match) that lets the rule engine skip rules that cannot match at a position.
//!
//! Supported ICU/Java syntax: literals, `.`, classes (nested, negated, `&&` intersection),
//! `\d \D \s \S \w \W \b \B \t \n \r \f \e \a`, `\uXXXX`, `\xHH`, `\x{H..}`, octal `\0oo`,
//! `\Q…\E`, `\h \H \v \V \R`, `\A \z \Z`, `^ $`, greedy and lazy quantifiers, possessive
//! quantifiers (`*+ ++ ?+ {n,m}+`, run as greedy), groups, named groups, inline flags `i m s x`
//! (`u d U` are accepted and ignored: matching is always Unicode-aware), `\p{..}` / `\P{..}` with
//! general categories, scripts (`\p{Arabic}`, `\p{IsArabic}`, `\p{Script=Arabic}`), binary
//! properties (`\p{Alphabetic}`), Java's `javaLowerCase`-style names, POSIX names (`\p{Alpha}`,
//! `\p{Punct}`, … as ASCII, like Java) and the Unicode blocks most used in SRX files
//! (`\p{InArabic}`, `\p{InBasicLatin}`, …).
//!
//! Not supported, with an error that says so: look-ahead and look-behind (`(?=` `(?!` `(?<=`
//! `(?<!`), atomic groups `(?>`, back-references (`\1`, `\k<name>`), `\G`, `\X`, `\cX`, and other
//! Unicode blocks. Look-around is what keeps backtracking engines slow on hostile input; in SRX it is
//! rarely needed because every rule already has a before-break and an after-break pattern: move
//! the look-ahead part into `<afterbreak>`, the look-behind part into `<beforebreak>`.

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

/// Why a pattern could not be translated: the construct and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unsupported {
    /// The construct as written in the pattern.
    pub construct: String,
    /// What the user can write instead.
    pub hint: &'static str,
}

fn unsupported(construct: impl Into<String>, hint: &'static str) -> Unsupported {
    Unsupported {
        construct: construct.into(),
        hint,
    }
}

const LOOKAROUND_HINT: &str = "look-around is not supported by the linear-time regex engine; move a \
     look-ahead into <afterbreak> and a look-behind into <beforebreak>, or list the alternatives explicitly";

/// Translates one ICU/Java pattern into `regex` syntax.
pub(crate) fn translate(pattern: &str) -> Result<String, Unsupported> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0usize;
    let mut class_depth = 0usize;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&e) = chars.get(i + 1) else {
                    return Err(unsupported(
                        "\\",
                        "a pattern cannot end with a lone backslash; write \\\\ for a literal one",
                    ));
                };
                i += 2;
                match e {
                    'p' | 'P' => {
                        let (name, next) = if chars.get(i) == Some(&'{') {
                            let close = chars[i..]
                                .iter()
                                .position(|&x| x == '}')
                                .ok_or_else(|| unsupported(format!("\\{e}{{"), "close the property name with }"))?;
                            (chars[i + 1..i + close].iter().collect::<String>(), i + close + 1)
                        } else if let Some(&one) = chars.get(i) {
                            (one.to_string(), i + 1)
                        } else {
                            return Err(unsupported(format!("\\{e}"), "give a property name, e.g. \\p{L}"));
                        };
                        i = next;
                        out.push_str(&translate_property(&name, e == 'P')?);
                    }
                    'Q' => {
                        let mut j = i;
                        while j < chars.len() && !(chars[j] == '\\' && chars.get(j + 1) == Some(&'E')) {
                            push_literal(&mut out, chars[j]);
                            j += 1;
                        }
                        i = if j < chars.len() { j + 2 } else { j };
                    }
                    'u' => {
                        let hex: String = chars[i..].iter().take(4).collect();
                        if hex.len() != 4 || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                            return Err(unsupported(
                                format!("\\u{hex}"),
                                "write \\u followed by exactly four hex digits",
                            ));
                        }
                        i += 4;
                        out.push_str(&format!("\\x{{{hex}}}"));
                    }
                    'x' => {
                        if chars.get(i) == Some(&'{') {
                            let close = chars[i..]
                                .iter()
                                .position(|&x| x == '}')
                                .ok_or_else(|| unsupported("\\x{", "close the code point with }"))?;
                            out.push_str("\\x");
                            out.extend(&chars[i..=i + close]);
                            i += close + 1;
                        } else {
                            let hex: String = chars[i..].iter().take(2).collect();
                            if hex.len() != 2 || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                                return Err(unsupported(
                                    format!("\\x{hex}"),
                                    "write \\x followed by two hex digits or \\x{...}",
                                ));
                            }
                            i += 2;
                            out.push_str(&format!("\\x{{{hex}}}"));
                        }
                    }
                    '0' => {
                        let oct: String = chars[i..]
                            .iter()
                            .take(3)
                            .take_while(|d| ('0'..='7').contains(*d))
                            .collect();
                        let value = u32::from_str_radix(&oct, 8).map_err(|_| {
                            unsupported(
                                "\\0",
                                "write an octal escape as \\0 followed by one to three octal digits",
                            )
                        })?;
                        i += oct.len();
                        out.push_str(&format!("\\x{{{value:X}}}"));
                    }
                    '1'..='9' | 'k' => {
                        return Err(unsupported(format!("\\{e}"), "back-references are not supported by the linear-time regex engine; spell the repeated text out"));
                    }
                    'G' => {
                        return Err(unsupported(
                            "\\G",
                            "\\G is not supported; rules are always anchored at the break position already",
                        ))
                    }
                    'X' => {
                        return Err(unsupported(
                            "\\X",
                            "grapheme clusters (\\X) are not supported; use \\P{M}\\p{M}* instead",
                        ))
                    }
                    'c' => {
                        return Err(unsupported(
                            "\\c",
                            "control escapes are not supported; write \\x{..} instead",
                        ))
                    }
                    'R' if class_depth == 0 => out.push_str("(?:\\r\\n|[\\n\\x0B\\x0C\\r\\x{85}\\x{2028}\\x{2029}])"),
                    'h' => {
                        out.push_str("[\\t \\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}]")
                    }
                    'H' => {
                        out.push_str("[^\\t \\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}]")
                    }
                    'v' => out.push_str("[\\n\\x0B\\x0C\\r\\x{85}\\x{2028}\\x{2029}]"),
                    'V' => out.push_str("[^\\n\\x0B\\x0C\\r\\x{85}\\x{2028}\\x{2029}]"),
                    'Z' | 'z' if class_depth == 0 => out.push_str("\\z"),
                    'A' if class_depth == 0 => out.push_str("\\A"),
                    'e' => out.push_str("\\x{1B}"),
                    'a' => out.push_str("\\x{07}"),
                    'b' | 'B' if class_depth == 0 => {
                        if chars.get(i) == Some(&'{') {
                            return Err(unsupported(
                                format!("\\{e}{{"),
                                "only the plain word boundary \\b is supported",
                            ));
                        }
                        out.push('\\');
                        out.push(e);
                    }
                    'd' | 'D' | 's' | 'S' | 'w' | 'W' | 't' | 'n' | 'r' | 'f' => {
                        out.push('\\');
                        out.push(e);
                    }
                    other if other.is_ascii_alphanumeric() => {
                        return Err(unsupported(
                            format!("\\{other}"),
                            "unknown escape; escape only punctuation, or use \\x{..}",
                        ));
                    }
                    other => push_literal(&mut out, other),
                }
                continue;
            }
            '[' => {
                class_depth += 1;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(']');
            }
            '(' if class_depth == 0 && chars.get(i + 1) == Some(&'?') => {
                let rest: String = chars[i + 2..].iter().take(2).collect();
                if rest.starts_with('=') || rest.starts_with('!') || rest == "<=" || rest == "<!" {
                    let shown: String = chars[i..]
                        .iter()
                        .take(if rest.starts_with('<') { 4 } else { 3 })
                        .collect();
                    return Err(unsupported(shown, LOOKAROUND_HINT));
                }
                if rest.starts_with('>') {
                    return Err(unsupported(
                        "(?>",
                        "atomic groups are not supported; use a plain group (?:...)",
                    ));
                }
                if rest.starts_with('<') || rest.starts_with(':') || rest.starts_with('P') {
                    out.push_str("(?");
                    i += 2;
                    continue;
                }
                // Inline flags: (?imsx-imsx) or (?imsx-imsx: ...
                let mut j = i + 2;
                let mut flags = String::new();
                while let Some(&f) = chars.get(j) {
                    match f {
                        'i' | 'm' | 's' | 'x' | '-' => flags.push(f),
                        'u' | 'd' | 'U' => {}
                        ':' | ')' => break,
                        other => {
                            return Err(unsupported(
                                format!("(?{other}"),
                                "only the inline flags i, m, s, x (and u, d, U, which are ignored) are supported",
                            ));
                        }
                    }
                    j += 1;
                }
                let Some(&end) = chars.get(j) else {
                    return Err(unsupported("(?", "unclosed group"));
                };
                let flags = flags.trim_end_matches('-').to_string();
                if flags.is_empty() || flags == "-" {
                    // Only ignored flags: keep the group (or nothing) structurally intact.
                    out.push_str(if end == ':' { "(?:" } else { "" });
                } else {
                    out.push_str("(?");
                    out.push_str(&flags);
                    out.push(end);
                }
                i = j + 1;
                continue;
            }
            '*' | '+' | '?' | '}' if class_depth == 0 => {
                out.push(c);
                // Possessive quantifier: run as greedy.
                if chars.get(i + 1) == Some(&'+') {
                    i += 1;
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    Ok(out)
}

fn push_literal(out: &mut String, c: char) {
    if c.is_alphanumeric() || c == ' ' || !c.is_ascii() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    }
}

/// Ranges of the Unicode blocks that SRX files commonly use.
const BLOCKS: &[(&str, &str)] = &[
    ("basiclatin", "\\x{0}-\\x{7F}"),
    ("latin1supplement", "\\x{80}-\\x{FF}"),
    ("latinextendeda", "\\x{100}-\\x{17F}"),
    ("latinextendedb", "\\x{180}-\\x{24F}"),
    ("arabic", "\\x{600}-\\x{6FF}"),
    ("arabicsupplement", "\\x{750}-\\x{77F}"),
    ("arabicextendeda", "\\x{8A0}-\\x{8FF}"),
    ("arabicpresentationformsa", "\\x{FB50}-\\x{FDFF}"),
    ("arabicpresentationformsb", "\\x{FE70}-\\x{FEFF}"),
    ("generalpunctuation", "\\x{2000}-\\x{206F}"),
    ("cjksymbolsandpunctuation", "\\x{3000}-\\x{303F}"),
    ("halfwidthandfullwidthforms", "\\x{FF00}-\\x{FFEF}"),
    ("greek", "\\x{370}-\\x{3FF}"),
    ("greekandcoptic", "\\x{370}-\\x{3FF}"),
    ("cyrillic", "\\x{400}-\\x{4FF}"),
    ("hebrew", "\\x{590}-\\x{5FF}"),
];

/// Java's POSIX classes (ASCII-only in Java unless UNICODE_CHARACTER_CLASS is on).
const POSIX: &[(&str, &str)] = &[
    ("Lower", "a-z"),
    ("Upper", "A-Z"),
    ("ASCII", "\\x{0}-\\x{7F}"),
    ("Alpha", "a-zA-Z"),
    ("Digit", "0-9"),
    ("Alnum", "a-zA-Z0-9"),
    ("Punct", "!-/:-@\\[-`{-~"),
    ("Graph", "!-~"),
    ("Print", " -~"),
    ("Blank", " \\t"),
    ("Cntrl", "\\x{0}-\\x{1F}\\x{7F}"),
    ("XDigit", "0-9a-fA-F"),
    ("Space", " \\t\\n\\x0B\\f\\r"),
];

fn translate_property(name: &str, negated: bool) -> Result<String, Unsupported> {
    let wrap = |body: &str| {
        if negated {
            format!("[^{body}]")
        } else {
            format!("[{body}]")
        }
    };
    let simple = |p: &str| format!("\\{}{{{p}}}", if negated { 'P' } else { 'p' });
    let trimmed = name.trim();
    if let Some((_, body)) = POSIX.iter().find(|(n, _)| *n == trimmed) {
        return Ok(wrap(body));
    }
    let java = match trimmed {
        "javaLowerCase" => Some("Lowercase"),
        "javaUpperCase" => Some("Uppercase"),
        "javaWhitespace" | "javaSpaceChar" => Some("White_Space"),
        "javaLetter" | "javaAlphabetic" => Some("L"),
        "javaDigit" => Some("Nd"),
        "javaTitleCase" => Some("Lt"),
        _ => None,
    };
    if let Some(p) = java {
        return Ok(simple(p));
    }
    if trimmed == "javaLetterOrDigit" {
        return Ok(wrap("\\p{L}\\p{Nd}"));
    }
    let lower = trimmed.to_ascii_lowercase();
    let block = if let Some(b) = trimmed
        .strip_prefix("In")
        .filter(|b| b.starts_with(|c: char| c.is_ascii_uppercase()))
    {
        Some(b.to_string())
    } else if let Some((key, value)) = trimmed.split_once('=') {
        let key = key.trim().to_ascii_lowercase();
        if key == "block" || key == "blk" {
            Some(value.trim().to_string())
        } else {
            None
        }
    } else {
        None
    };
    if let Some(block) = block {
        let key: String = block
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        return match BLOCKS.iter().find(|(n, _)| *n == key) {
            Some((_, range)) => Ok(wrap(range)),
            None => Err(unsupported(
                format!("\\p{{{trimmed}}}"),
                "this Unicode block is not supported; use a script (\\p{Arabic}, \\p{Latin}) or an explicit range [\\x{600}-\\x{6FF}]",
            )),
        };
    }
    if lower.starts_with("is") && trimmed.len() > 2 && trimmed[2..].starts_with(|c: char| c.is_ascii_uppercase()) {
        return Ok(simple(&trimmed[2..]));
    }
    Ok(simple(trimmed))
}

/// A set of characters, or "any character".
#[derive(Debug, Clone)]
pub(crate) enum CharSet {
    /// Any character can occur here (the analysis gave up, or the pattern can match empty).
    Any,
    /// Only these characters.
    Some(Vec<(char, char)>),
}

impl CharSet {
    /// Whether `c` is in the set.
    pub fn contains(&self, c: char) -> bool {
        match self {
            CharSet::Any => true,
            CharSet::Some(ranges) => ranges
                .binary_search_by(|&(lo, hi)| {
                    if hi < c {
                        std::cmp::Ordering::Less
                    } else if lo > c {
                        std::cmp::Ordering::Greater
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .is_ok(),
        }
    }

    /// The union of several sets (`Any` absorbs everything).
    pub fn union<'a>(sets: impl IntoIterator<Item = &'a CharSet>) -> CharSet {
        let mut class = ClassUnicode::empty();
        for s in sets {
            match s {
                CharSet::Any => return CharSet::Any,
                CharSet::Some(r) => class.union(&to_class(r)),
            }
        }
        CharSet::Some(from_class(&class))
    }

    /// A regex that matches exactly one character of the set (`None` for `Any`).
    pub fn to_regex(&self) -> Option<String> {
        match self {
            CharSet::Any => None,
            CharSet::Some(r) => Some(Hir::class(Class::Unicode(to_class(r))).to_string()),
        }
    }
}

fn to_class(ranges: &[(char, char)]) -> ClassUnicode {
    ClassUnicode::new(ranges.iter().map(|&(a, b)| ClassUnicodeRange::new(a, b)))
}

fn from_class(class: &ClassUnicode) -> Vec<(char, char)> {
    class.ranges().iter().map(|r| (r.start(), r.end())).collect()
}

/// Which end of a match to analyse.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edge {
    /// The first character of a match.
    First,
    /// The last character of a match.
    Last,
}

/// The set of characters that a non-empty match of `pattern` (already translated) can begin or end
/// with; `Any` if the pattern can match the empty string or the analysis cannot tell.
pub(crate) fn edge_chars(pattern: &str, edge: Edge) -> CharSet {
    let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(pattern) else {
        return CharSet::Any;
    };
    match edge_of(&hir, edge) {
        Some((_, true)) | None => CharSet::Any,
        Some((class, false)) => CharSet::Some(from_class(&class)),
    }
}

/// The length in bytes of the longest match of `pattern` (already translated), `None` if unbounded
/// or unknown.
pub(crate) fn max_len(pattern: &str) -> Option<usize> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    hir.properties().maximum_len()
}

/// (characters, nullable) for one HIR node; `None` = unknown.
fn edge_of(hir: &Hir, edge: Edge) -> Option<(ClassUnicode, bool)> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some((ClassUnicode::empty(), true)),
        HirKind::Literal(lit) => {
            let s = std::str::from_utf8(&lit.0).ok()?;
            let c = if edge == Edge::Last {
                s.chars().next_back()?
            } else {
                s.chars().next()?
            };
            Some((ClassUnicode::new([ClassUnicodeRange::new(c, c)]), false))
        }
        HirKind::Class(Class::Unicode(cls)) => Some((cls.clone(), false)),
        HirKind::Class(Class::Bytes(_)) => None,
        HirKind::Repetition(rep) => {
            if rep.max == Some(0) {
                return Some((ClassUnicode::empty(), true));
            }
            let (cls, nullable) = edge_of(&rep.sub, edge)?;
            Some((cls, nullable || rep.min == 0))
        }
        HirKind::Capture(cap) => edge_of(&cap.sub, edge),
        HirKind::Concat(items) => {
            let mut acc = ClassUnicode::empty();
            let ordered: Box<dyn Iterator<Item = &Hir>> = if edge == Edge::Last {
                Box::new(items.iter().rev())
            } else {
                Box::new(items.iter())
            };
            for item in ordered {
                let (cls, nullable) = edge_of(item, edge)?;
                acc.union(&cls);
                if !nullable {
                    return Some((acc, false));
                }
            }
            Some((acc, true))
        }
        HirKind::Alternation(items) => {
            let mut acc = ClassUnicode::empty();
            let mut any_nullable = false;
            for item in items {
                let (cls, nullable) = edge_of(item, edge)?;
                acc.union(&cls);
                any_nullable |= nullable;
            }
            Some((acc, any_nullable))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_java_escapes_and_properties() {
        assert_eq!(translate(r"\u061F").unwrap(), r"\x{061F}");
        assert_eq!(translate(r"\p{IsArabic}").unwrap(), r"\p{Arabic}");
        assert_eq!(translate(r"\p{InArabic}+").unwrap(), r"[\x{600}-\x{6FF}]+");
        assert_eq!(translate(r"\p{Lu}\.").unwrap(), r"\p{Lu}\x{2E}");
        assert_eq!(translate(r"[\p{Pe}\p{Pf}]*+\s").unwrap(), r"[\p{Pe}\p{Pf}]*\s");
        assert_eq!(translate(r"\QU.S.\E").unwrap(), r"U\x{2E}S\x{2E}");
        assert_eq!(translate(r"(?iu)mr\.").unwrap(), r"(?i)mr\x{2E}");
        assert_eq!(translate(r"\p{Punct}").unwrap(), r"[!-/:-@\[-`{-~]");
    }

    #[test]
    fn rejects_lookaround_and_backreferences_with_a_hint() {
        let err = translate(r"\.(?=\s)").unwrap_err();
        assert_eq!(err.construct, "(?=");
        assert!(err.hint.contains("afterbreak"));
        assert_eq!(translate(r"(?<!Mr)\.").unwrap_err().construct, "(?<!");
        assert_eq!(translate(r"(a)\1").unwrap_err().construct, "\\1");
        assert_eq!(translate(r"(?>a+)").unwrap_err().construct, "(?>");
        assert!(translate(r"\p{InTibetan}").is_err());
    }

    #[test]
    fn edge_sets_follow_the_pattern() {
        let last = edge_chars(r"[.?!؟]+[”»]*", Edge::Last);
        for c in ['.', '؟', '”', '»'] {
            assert!(last.contains(c), "{c}");
        }
        assert!(!last.contains('a'));
        assert!(matches!(edge_chars(r"\s*", Edge::First), CharSet::Any));
        let first = edge_chars(r"\s+\p{Lu}", Edge::First);
        assert!(first.contains(' ') && !first.contains('A'));
        let lit = edge_chars(r"(?:Mr|Dr)\.", Edge::Last);
        assert!(lit.contains('.') && !lit.contains('r'));
    }
}
