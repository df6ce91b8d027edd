//! The numbers of one side of a segment, as exact decimal values: digits in any script
//! ([`crate::text::tokenize`] gives them in Western digits), a magnitude word after them
//! (`3.5 million`, `٦ ملايين`), and number words ([`crate::text::number_word`]), with the
//! Arabic teens (`ثلاثة عشر`) and compounds (`خمسة وعشرون`, `twenty-five`) put together.

use crate::text::{number_word, Token, TokenKind};

use super::Span;

/// An exact decimal: `digits × 10^exp`, `digits` without leading or trailing zeros (`"0"` for
/// zero). Two writings of one value are equal: `1,500` = `1500` = `1.5 thousand`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Value {
    digits: String,
    exp: i32,
}

impl Value {
    fn new(int: &str, frac: &str) -> Value {
        let all = format!("{int}{frac}");
        let lead = all.trim_start_matches('0');
        let trimmed = lead.trim_end_matches('0');
        if trimmed.is_empty() {
            return Value {
                digits: "0".into(),
                exp: 0,
            };
        }
        let zeros = (lead.len() - trimmed.len()) as i32;
        Value {
            digits: trimmed.to_string(),
            exp: zeros - frac.len() as i32,
        }
    }

    /// The value of a number token's matching form: Western digits with `.` and `,` between
    /// them. A comma followed by three digits groups thousands; a single comma followed by one
    /// or two digits (and no point) is a decimal comma (`3,5`); more than one point (a date
    /// such as `12.05.2024`) leaves the digits as they stand.
    pub(super) fn parse(norm: &str) -> Value {
        let groups: Vec<&str> = norm.split(',').collect();
        let decimal_comma = groups.len() == 2 && !norm.contains('.') && (1..=2).contains(&groups[1].len());
        if decimal_comma {
            return Value::new(groups[0], groups[1]);
        }
        let plain: String = norm.chars().filter(|&c| c != ',').collect();
        match plain.split_once('.') {
            Some((int, frac)) if !frac.contains('.') => Value::new(int, frac),
            _ => Value::new(&plain.replace('.', ""), ""),
        }
    }

    /// Every value a number token's matching form may stand for: [`Value::parse`], and, when
    /// points separate groups of three digits (`150.000`, as many Arabic texts write
    /// thousands), the grouped reading as well.
    pub(super) fn readings(norm: &str) -> Vec<Value> {
        let first = Value::parse(norm);
        let mut groups = norm.split('.');
        let head = groups.next().unwrap_or("");
        let grouped =
            !norm.contains(',') && norm.contains('.') && (1..=3).contains(&head.len()) && groups.all(|g| g.len() == 3);
        if grouped {
            let alt = Value::new(&norm.replace('.', ""), "");
            if alt != first {
                return vec![first, alt];
            }
        }
        vec![first]
    }

    fn of(n: u64) -> Value {
        Value::new(&n.to_string(), "")
    }

    /// The value times a magnitude (a power of ten).
    fn times(&self, magnitude: u64) -> Value {
        if self.digits == "0" {
            return self.clone();
        }
        let mut exp = self.exp;
        let mut m = magnitude;
        while m >= 10 {
            m /= 10;
            exp += 1;
        }
        Value {
            digits: self.digits.clone(),
            exp,
        }
    }
}

/// One number of a text.
#[derive(Debug, Clone)]
pub(super) struct Num {
    /// Where it is (the digits or words, with a magnitude word after them).
    pub span: Span,
    /// The values it may stand for: itself, and itself times the magnitude word after it.
    pub values: Vec<Value>,
    /// Written as words rather than digits.
    pub word: bool,
    /// The digits as written, without separators (digits only; empty for words): a phone
    /// number written `116 123` on one side is `116123` on the other.
    pub digits: String,
}

impl Num {
    /// Whether two numbers may be the same value.
    pub fn agrees(&self, other: &Num) -> bool {
        self.values.iter().any(|v| other.values.contains(v))
    }
}

/// The value of a word token, if it is a number word.
fn word_value(t: Option<&Token>) -> Option<u64> {
    t.filter(|t| t.kind == TokenKind::Word)
        .and_then(|t| number_word(&t.norm))
}

/// The numbers of a text, given its tokens, in text order.
pub(super) fn numbers(tokens: &[Token]) -> Vec<Num> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let t = &tokens[k];
        let (mut end, base, word) = match t.kind {
            TokenKind::Number => (k, Value::parse(&t.norm), false),
            TokenKind::Word => match number_word(&t.norm) {
                Some(v) => {
                    let (end, v) = compound(tokens, k, v);
                    (end, Value::of(v), true)
                }
                None => {
                    k += 1;
                    continue;
                }
            },
            _ => {
                k += 1;
                continue;
            }
        };
        let mut values = if word {
            vec![base.clone()]
        } else {
            Value::readings(&t.norm)
        };
        if !word {
            if let Some((time, last)) = clock(tokens, k) {
                // `5:30` is the `5.30` of the other language (and nothing else).
                values = vec![time];
                end = last;
            } else if let Some(year) = short_year(tokens, k) {
                values.push(year);
            }
        }
        if let Some(m) = word_value(tokens.get(end + 1)).filter(|&m| crate::text::is_magnitude(m)) {
            // `3.5 million`: both 3.5 and 3500000 (a translation may write either).
            if !(word && values[0] == Value::of(m)) {
                values.push(base.times(m));
                end += 1;
            }
        }
        out.push(Num {
            span: Span::new(t.start, tokens[end].end),
            values,
            word,
            digits: if word {
                String::new()
            } else {
                t.norm.chars().filter(char::is_ascii_digit).collect()
            },
        });
        k = end + 1;
    }
    out
}

/// A clock time at `k`: `H:MM` written without spaces, as the decimal `H.MM`, and the index of
/// its minutes.
fn clock(tokens: &[Token], k: usize) -> Option<(Value, usize)> {
    let (h, colon, m) = (&tokens[k], tokens.get(k + 1)?, tokens.get(k + 2)?);
    let adjacent = h.end == colon.start && colon.end == m.start;
    let is_time = colon.kind == TokenKind::Punct
        && colon.norm == ":"
        && m.kind == TokenKind::Number
        && h.norm.len() <= 2
        && m.norm.len() == 2
        && h.norm.bytes().chain(m.norm.bytes()).all(|b| b.is_ascii_digit());
    (adjacent && is_time).then(|| (Value::new(&h.norm, &m.norm), k + 2))
}

/// The full year of a two-digit year ending a range: `53` in `1950-53` is 1953.
fn short_year(tokens: &[Token], k: usize) -> Option<Value> {
    let t = &tokens[k];
    let dash = tokens.get(k.checked_sub(1)?)?;
    let year = tokens.get(k.checked_sub(2)?)?;
    let is_range = t.norm.len() == 2
        && t.norm.bytes().all(|b| b.is_ascii_digit())
        && matches!(dash.norm.as_str(), "-" | "–" | "/")
        && year.kind == TokenKind::Number
        && year.norm.len() == 4
        && year.norm.bytes().all(|b| b.is_ascii_digit());
    is_range.then(|| Value::new(&format!("{}{}", &year.norm[..2], t.norm), ""))
}

/// A number word at `k` (value `v`) with what completes it: an Arabic teen (`ثلاثة عشر`), a
/// unit and its tens (`خمسة وعشرون`), tens and a unit (`twenty-five`, `twenty five`). Returns
/// the index of the last token used and the value.
fn compound(tokens: &[Token], k: usize, v: u64) -> (usize, u64) {
    let next = word_value(tokens.get(k + 1));
    if (3..=9).contains(&v) && next == Some(10) {
        return (k + 1, v + 10);
    }
    if (1..=9).contains(&v) {
        if let Some(tens) = next.filter(|n| (20..=90).contains(n) && n.is_multiple_of(10)) {
            return (k + 1, v + tens);
        }
    }
    if (20..=90).contains(&v) && v.is_multiple_of(10) {
        let hyphen = tokens
            .get(k + 1)
            .is_some_and(|t| t.kind == TokenKind::Punct && t.norm == "-");
        let at = if hyphen { k + 2 } else { k + 1 };
        if let Some(unit) = word_value(tokens.get(at)).filter(|u| (1..=9).contains(u)) {
            return (at, v + unit);
        }
    }
    (k, v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn values(s: &str) -> Vec<Vec<Value>> {
        numbers(&tokenize(s)).into_iter().map(|n| n.values).collect()
    }

    #[test]
    fn one_value_in_every_writing() {
        assert_eq!(Value::parse("1,500"), Value::parse("1500"));
        assert_eq!(Value::parse("3.5"), Value::parse("3,5"));
        assert_eq!(Value::parse("007"), Value::parse("7"));
        assert_eq!(Value::parse("2.50"), Value::parse("2.5"));
        assert_ne!(Value::parse("2024"), Value::parse("2025"));
        assert_ne!(Value::parse("3.5"), Value::parse("35"));
        assert_eq!(Value::parse("0.0"), Value::parse("0"));
        assert_eq!(Value::parse("1.5").times(1_000_000), Value::parse("1,500,000"));
        assert_eq!(values("عام ٢٠٢٤"), values("in 2024"));
        assert_eq!(values("٣٫٥"), values("3.5"));
        assert_eq!(values("١٬٠٠٠"), values("1,000"));
    }

    #[test]
    fn magnitudes_and_words() {
        let n = numbers(&tokenize("٣٫٥ مليون دولار"));
        assert_eq!(n.len(), 1);
        assert!(n[0].values.contains(&Value::parse("3500000")));
        assert!(n[0].values.contains(&Value::parse("3.5")));
        let words = numbers(&tokenize("قتل ثلاثة عشر شخصا وخمسة وعشرون جريحا"));
        let got: Vec<(bool, &Vec<Value>)> = words.iter().map(|n| (n.word, &n.values)).collect();
        assert_eq!(got, vec![(true, &vec![Value::of(13)]), (true, &vec![Value::of(25)])]);
        let en = numbers(&tokenize("twenty-five people and six million dollars"));
        assert_eq!(en[0].values, vec![Value::of(25)]);
        assert!(en[1].values.contains(&Value::of(6_000_000)));
        assert!(numbers(&tokenize("no numbers here")).is_empty());
        let ordinal = numbers(&tokenize("اجتماعها السادس والثلاثين"));
        assert_eq!(ordinal[0].values, vec![Value::of(36)]);
    }

    #[test]
    fn writings_of_news_numbers() {
        // Points grouping thousands, as the Arabic of NTREX writes them.
        assert!(Value::readings("150.000").contains(&Value::parse("150,000")));
        assert_eq!(Value::readings("3.5"), vec![Value::parse("3.5")]);
        // A clock time, and a decimal that is one.
        let time = numbers(&tokenize("الساعة 5:30 مساء"));
        assert_eq!(time.len(), 1);
        assert_eq!(time[0].values, numbers(&tokenize("5.30pm"))[0].values);
        // The end of a range of years.
        let range = numbers(&tokenize("the 1950-53 Korean War"));
        assert!(range[1].values.contains(&Value::of(1953)));
    }
}
