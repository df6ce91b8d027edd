//! The rules, one function each, over one segment's tokens.

use crate::text::{self, Token, TokenKind};

use super::numbers::{numbers, Num};
use super::{CheckOptions, Finding, Rule, Segment, Span, TermLookup};

/// Runs the rules of `opts` on one segment.
pub(super) fn check(seg: &Segment, opts: &CheckOptions, terms: Option<&dyn TermLookup>) -> Vec<Finding> {
    let mut out = Vec::new();
    let source = seg.source.as_str();
    let target = seg.target.as_str();
    // An empty or copied target gets that one finding: every other rule would repeat it.
    if target.trim().is_empty() {
        if opts.runs(Rule::Empty) {
            out.push(Finding::new(
                Rule::Empty,
                "the target is empty".into(),
                trimmed(source),
                None,
            ));
        }
        return out;
    }
    if !opts.target_arabic_script && target.trim() == source.trim() && source.chars().any(text::is_arabic_letter) {
        if opts.runs(Rule::Untranslated) {
            out.push(Finding::new(
                Rule::Untranslated,
                "the target is a copy of the Arabic source".into(),
                trimmed(source),
                trimmed(target),
            ));
        }
        return out;
    }
    if !opts.target_arabic_script && opts.runs(Rule::Untranslated) && mostly_arabic(target) {
        out.push(Finding::new(
            Rule::Untranslated,
            "the target is mostly in Arabic script (left partly untranslated?)".into(),
            None,
            trimmed(target),
        ));
    }
    let src_tokens = text::tokenize(source);
    let tgt_tokens = text::tokenize(target);
    if opts.runs(Rule::Numbers) || opts.runs(Rule::NumberWords) {
        number_rules(seg, &src_tokens, &tgt_tokens, opts, &mut out);
    }
    if let Some(terms) = terms.filter(|_| opts.runs(Rule::Terms) || opts.runs(Rule::ForbiddenTerms)) {
        term_rules(seg, &tgt_tokens, terms, opts, &mut out);
    }
    if opts.runs(Rule::Tags) {
        tag_rule(seg, &src_tokens, &tgt_tokens, &mut out);
    }
    if opts.runs(Rule::DoubleSpace) {
        double_space(target, &mut out);
    }
    if opts.runs(Rule::EdgeSpace) {
        edge_space(source, target, &mut out);
    }
    if opts.runs(Rule::EndPunctuation) {
        end_punctuation(source, target, &mut out);
    }
    if opts.runs(Rule::ArabicPunctuation) && !opts.target_arabic_script {
        arabic_punctuation(target, &mut out);
    }
    if opts.runs(Rule::Unbalanced) {
        unbalanced(source, &src_tokens, target, &tgt_tokens, &mut out);
    }
    out
}

/// Whether most letters of `s` are Arabic letters.
fn mostly_arabic(s: &str) -> bool {
    let (mut arabic, mut other) = (0usize, 0usize);
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        if text::is_arabic_letter(c) {
            arabic += 1;
        } else {
            other += 1;
        }
    }
    arabic > other
}

/// The span of `s` without its leading and trailing white space (`None` when nothing is left).
fn trimmed(s: &str) -> Option<Span> {
    let start = s.len() - s.trim_start().len();
    let end = s.trim_end().len();
    (start < end).then(|| Span::new(start, end))
}

/// `s` quoted for a message.
fn q(s: &str) -> String {
    format!("“{s}”")
}

// ---------------------------------------------------------------------------------------------
// Numbers

fn number_rules(seg: &Segment, src: &[Token], tgt: &[Token], opts: &CheckOptions, out: &mut Vec<Finding>) {
    let (s_nums, t_nums) = (numbers(src), numbers(tgt));
    let (mut s_used, mut t_used) = (vec![false; s_nums.len()], vec![false; t_nums.len()]);
    let text_of = |n: &Num, side: &str| n.span.text(side).to_string();
    // Digits against digits first: the strongest evidence.
    for (i, s) in s_nums.iter().enumerate().filter(|(_, s)| !s.word) {
        if let Some(j) = (0..t_nums.len()).find(|&j| !t_used[j] && !t_nums[j].word && s.agrees(&t_nums[j])) {
            s_used[i] = true;
            t_used[j] = true;
        }
    }
    // Digits on one side, a word on the other: noted.
    let mut notes = Vec::new();
    for (i, s) in s_nums.iter().enumerate().filter(|(_, s)| !s.word) {
        if s_used[i] {
            continue;
        }
        if let Some(j) = (0..t_nums.len()).find(|&j| !t_used[j] && t_nums[j].word && s.agrees(&t_nums[j])) {
            s_used[i] = true;
            t_used[j] = true;
            notes.push((i, j));
        }
    }
    for (j, t) in t_nums.iter().enumerate().filter(|(_, t)| !t.word) {
        if t_used[j] {
            continue;
        }
        if let Some(i) = (0..s_nums.len()).find(|&i| !s_used[i] && s_nums[i].word && s_nums[i].agrees(t)) {
            s_used[i] = true;
            t_used[j] = true;
            notes.push((i, j));
        }
    }
    // A number split by spaces on one side (`116 123`) and written whole on the other.
    join_split_numbers(&s_nums, &mut s_used, &t_nums, &mut t_used, &seg.target);
    join_split_numbers(&t_nums, &mut t_used, &s_nums, &mut s_used, &seg.source);
    if opts.runs(Rule::NumberWords) {
        notes.sort_unstable();
        for (i, j) in notes {
            let (s, t) = (&s_nums[i], &t_nums[j]);
            out.push(Finding::new(
                Rule::NumberWords,
                format!(
                    "{} in the source is written {} in the target",
                    q(&text_of(s, &seg.source)),
                    q(&text_of(t, &seg.target))
                ),
                Some(s.span),
                Some(t.span),
            ));
        }
    }
    if !opts.runs(Rule::Numbers) {
        return;
    }
    // What is left: digits with no counterpart. Words left over say nothing (idioms, `one of`).
    let missing: Vec<&Num> = s_nums
        .iter()
        .zip(&s_used)
        .filter(|(n, used)| !n.word && !**used)
        .map(|(n, _)| n)
        .collect();
    let extra: Vec<&Num> = t_nums
        .iter()
        .zip(&t_used)
        .filter(|(n, used)| !n.word && !**used)
        .map(|(n, _)| n)
        .collect();
    if let ([s], [t]) = (&missing[..], &extra[..]) {
        out.push(Finding::new(
            Rule::Numbers,
            format!(
                "{} in the source is {} in the target",
                q(&text_of(s, &seg.source)),
                q(&text_of(t, &seg.target))
            ),
            Some(s.span),
            Some(t.span),
        ));
        return;
    }
    for s in missing {
        out.push(Finding::new(
            Rule::Numbers,
            format!("{} of the source is not in the target", q(&text_of(s, &seg.source))),
            Some(s.span),
            None,
        ));
    }
    for t in extra {
        out.push(Finding::new(
            Rule::Numbers,
            format!("{} in the target is not in the source", q(&text_of(t, &seg.target))),
            None,
            Some(t.span),
        ));
    }
}

/// Matches each unused number of `whole` with a run of two or three unused numbers of `split`
/// that stand apart by white space only and whose digits, put together, are its digits.
fn join_split_numbers(
    whole: &[Num],
    whole_used: &mut [bool],
    split: &[Num],
    split_used: &mut [bool],
    split_text: &str,
) {
    for (i, w) in whole.iter().enumerate() {
        if whole_used[i] || w.word {
            continue;
        }
        'start: for j in 0..split.len() {
            let mut digits = String::new();
            for k in j..split.len().min(j + 3) {
                let n = &split[k];
                let apart = k == j || split_text[split[k - 1].span.end..n.span.start].trim().is_empty();
                if split_used[k] || n.word || !apart {
                    continue 'start;
                }
                digits.push_str(&n.digits);
                if k > j && digits == w.digits {
                    whole_used[i] = true;
                    split_used[j..=k].iter_mut().for_each(|u| *u = true);
                    break 'start;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Glossary terms

/// The comparison key of a word of a target: Arabic words by their clitic stem
/// ([`text::stem_key`]), others by an English stem that drops a plural or possessive ending, so
/// that `Councils` and `council's` find `Council`.
fn word_key(norm: &str) -> String {
    if norm.chars().any(text::is_arabic_letter) {
        return text::stem_key(norm).0;
    }
    let w = norm
        .strip_suffix("'s")
        .or_else(|| norm.strip_suffix('\''))
        .unwrap_or(norm);
    if let Some(b) = w.strip_suffix("ies").filter(|b| b.chars().count() >= 2) {
        return format!("{b}y");
    }
    if let Some(b) = w
        .strip_suffix("es")
        .filter(|b| b.ends_with(['s', 'x', 'z']) || b.ends_with("ch") || b.ends_with("sh"))
    {
        return b.to_string();
    }
    if let Some(b) = w
        .strip_suffix('s')
        .filter(|b| b.chars().count() >= 3 && !b.ends_with('s'))
    {
        return b.to_string();
    }
    w.to_string()
}

/// The words and numbers of a text with their keys.
fn keyed(tokens: &[Token]) -> Vec<(String, Span)> {
    tokens
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .map(|t| (word_key(&t.norm), Span::new(t.start, t.end)))
        .collect()
}

/// Where `phrase` occurs in a text (given keyed), letter case and inflection aside.
fn find_phrase(text: &[(String, Span)], phrase: &str) -> Option<Span> {
    let want: Vec<String> = keyed(&text::tokenize(phrase)).into_iter().map(|(k, _)| k).collect();
    if want.is_empty() || want.len() > text.len() {
        return None;
    }
    text.windows(want.len())
        .find(|w| w.iter().zip(&want).all(|((k, _), want)| k == want))
        .map(|w| Span::new(w[0].1.start, w[w.len() - 1].1.end))
}

fn term_rules(seg: &Segment, tgt: &[Token], terms: &dyn TermLookup, opts: &CheckOptions, out: &mut Vec<Finding>) {
    let target = keyed(tgt);
    for hit in terms.hits(&seg.source) {
        let span = (hit.start < hit.end && seg.source.get(hit.start..hit.end).is_some())
            .then(|| Span::new(hit.start, hit.end));
        let term = span.map_or(hit.source.as_str(), |s| s.text(&seg.source));
        if opts.runs(Rule::Terms)
            && !hit.targets.is_empty()
            && hit.targets.iter().all(|t| find_phrase(&target, t).is_none())
        {
            let wanted: Vec<String> = hit.targets.iter().map(|t| q(t)).collect();
            out.push(Finding::new(
                Rule::Terms,
                format!(
                    "the term {} is not translated as the glossary says ({})",
                    q(term),
                    wanted.join(" or ")
                ),
                span,
                None,
            ));
        }
        if opts.runs(Rule::ForbiddenTerms) {
            for bad in &hit.forbidden {
                if let Some(at) = find_phrase(&target, bad) {
                    let instead = hit
                        .targets
                        .first()
                        .map(|t| format!("; the glossary says {}", q(t)))
                        .unwrap_or_default();
                    out.push(Finding::new(
                        Rule::ForbiddenTerms,
                        format!(
                            "{} is a forbidden translation of the term {}{instead}",
                            q(at.text(&seg.target)),
                            q(term)
                        ),
                        span,
                        Some(at),
                    ));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Inline tags

/// What a tag does in the nesting.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    Open(String),
    Close(String),
    Alone,
}

#[derive(Debug, Clone)]
struct Tag {
    /// The tag as written, white space folded (what source and target must share).
    text: String,
    role: Role,
    /// Where in the text (`None` for a tag of the markup, which is not the text).
    span: Option<Span>,
}

/// An attribute's value in a start tag as written.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let head = &tag[..tag.find('>').unwrap_or(tag.len())];
    let mut from = 0;
    while let Some(at) = head[from..].find(name) {
        let at = from + at;
        from = at + name.len();
        let before = head[..at].chars().next_back();
        let rest = head[from..].trim_start();
        if !before.is_some_and(char::is_whitespace) || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = &rest[1..];
        return value.find(quote).map(|end| &value[..end]);
    }
    None
}

/// The role of a tag token: TMX/XLIFF `bpt`/`ept` pair by `rid`, `i` or `id`; codes that stand
/// alone (`ph`, `x`, `it`, `sc`/`ec`, …) or self-closing tags nest nothing; `</name>` closes the
/// innermost `<name …>` (OmegaT `<b0>`, XLIFF `<g>`, `<pc>`, HTML).
fn role(raw: &str) -> Role {
    let closing = raw.starts_with("</");
    let name_start = if closing { 2 } else { 1 };
    let name: String = raw[name_start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '/' && *c != '>')
        .collect();
    let local = name.rsplit(':').next().unwrap_or(&name).to_string();
    if closing {
        return Role::Close(local);
    }
    let head = &raw[..raw.find('>').map_or(raw.len(), |i| i + 1)];
    let pair_id = || {
        attr(raw, "rid")
            .or_else(|| attr(raw, "i"))
            .or_else(|| attr(raw, "id"))
            .unwrap_or("")
            .to_string()
    };
    match local.as_str() {
        "bpt" => Role::Open(format!("bpt#{}", pair_id())),
        "ept" => Role::Close(format!("bpt#{}", pair_id())),
        "ph" | "it" | "ut" | "x" | "bx" | "ex" | "sc" | "ec" | "sm" | "em" => Role::Alone,
        _ if head.ends_with("/>") => Role::Alone,
        _ => Role::Open(local),
    }
}

/// The tags of one side: those written in the text (with their spans) and those of its markup.
fn tags(text: &str, tokens: &[Token], markup: Option<&str>) -> Vec<Tag> {
    let mut out: Vec<Tag> = tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Tag)
        .map(|t| Tag {
            text: t.norm.clone(),
            role: role(t.raw(text)),
            span: Some(Span::new(t.start, t.end)),
        })
        .collect();
    if let Some(m) = markup {
        out.extend(
            text::tokenize(m)
                .into_iter()
                .filter(|t| t.kind == TokenKind::Tag)
                .map(|t| Tag {
                    text: t.norm.clone(),
                    role: role(t.raw(m)),
                    span: None,
                }),
        );
    }
    out
}

/// Nesting faults: (what is wrong, the tag).
fn nesting(tags: &[Tag]) -> Vec<(String, &Tag)> {
    let mut open: Vec<&Tag> = Vec::new();
    let mut faults = Vec::new();
    for t in tags {
        match &t.role {
            Role::Open(_) => open.push(t),
            Role::Close(name) => match open.iter().rposition(|o| o.role == Role::Open(name.clone())) {
                Some(at) if at + 1 == open.len() => {
                    open.pop();
                }
                Some(at) => {
                    faults.push((
                        format!(
                            "{} closes {} before {}",
                            q(&t.text),
                            q(&open[at].text),
                            q(&open[at + 1].text)
                        ),
                        t,
                    ));
                    open.remove(at);
                }
                None => faults.push((format!("{} closes no open tag", q(&t.text)), t)),
            },
            Role::Alone => {}
        }
    }
    faults.extend(open.into_iter().map(|o| (format!("{} is never closed", q(&o.text)), o)));
    faults
}

fn tag_rule(seg: &Segment, src: &[Token], tgt: &[Token], out: &mut Vec<Finding>) {
    let s_tags = tags(&seg.source, src, seg.source_markup.as_deref());
    let t_tags = tags(&seg.target, tgt, seg.target_markup.as_deref());
    if s_tags.is_empty() && t_tags.is_empty() {
        return;
    }
    let mut used = vec![false; t_tags.len()];
    for s in &s_tags {
        match (0..t_tags.len()).find(|&j| !used[j] && t_tags[j].text == s.text) {
            Some(j) => used[j] = true,
            None => out.push(Finding::new(
                Rule::Tags,
                format!("the tag {} of the source is missing from the target", q(&s.text)),
                s.span,
                None,
            )),
        }
    }
    for (t, _) in t_tags.iter().zip(&used).filter(|(_, u)| !**u) {
        out.push(Finding::new(
            Rule::Tags,
            format!("the tag {} in the target is not in the source", q(&t.text)),
            None,
            t.span,
        ));
    }
    // A target can only be held to nesting its source has.
    if nesting(&s_tags).is_empty() {
        for (why, t) in nesting(&t_tags) {
            out.push(Finding::new(
                Rule::Tags,
                format!("tags badly nested: {why}"),
                None,
                t.span,
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// White space and punctuation

fn double_space(target: &str, out: &mut Vec<Finding>) {
    let inner_start = target.len() - target.trim_start().len();
    let inner_end = target.trim_end().len();
    let is_space = |c: char| c == ' ' || c == '\u{00A0}';
    let mut run: Option<usize> = None;
    let mut count = 0;
    for (i, c) in target[..inner_end].char_indices().skip_while(|(i, _)| *i < inner_start) {
        if is_space(c) {
            run.get_or_insert(i);
            count += 1;
            continue;
        }
        if let Some(start) = run.take() {
            if count >= 2 {
                out.push(Finding::new(
                    Rule::DoubleSpace,
                    format!("{count} spaces in a row in the target"),
                    None,
                    Some(Span::new(start, i)),
                ));
            }
        }
        count = 0;
    }
}

fn edge_space(source: &str, target: &str, out: &mut Vec<Finding>) {
    let lead = |s: &str| Span::new(0, s.len() - s.trim_start().len());
    let trail = |s: &str| Span::new(s.trim_end().len(), s.len());
    for (which, s, t) in [
        ("leading", lead(source), lead(target)),
        ("trailing", trail(source), trail(target)),
    ] {
        if (s.start == s.end) == (t.start == t.end) {
            continue;
        }
        let (message, source_span, target_span) = if s.start == s.end {
            (
                format!("the target has {which} white space, the source has none"),
                None,
                Some(t),
            )
        } else {
            (
                format!("the source has {which} white space, the target has none"),
                Some(s),
                None,
            )
        };
        out.push(Finding::new(Rule::EdgeSpace, message, source_span, target_span));
    }
}

/// Final punctuation, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Question,
    Stop,
    Exclamation,
    Colon,
    Semicolon,
    Other,
}

/// The kind of a text's final punctuation and where it is, past closing quotes and brackets and
/// trailing white space.
fn end_of(s: &str) -> (End, Option<Span>) {
    let trimmed = s.trim_end_matches(|c: char| c.is_whitespace() || text::is_invisible_mark(c));
    let closers = ['"', '\'', '»', '”', '’', ')', ']', '›', '》'];
    let body = trimmed.trim_end_matches(closers);
    let Some((i, c)) = body.char_indices().next_back() else {
        return (End::Other, None);
    };
    let kind = match c {
        '?' | '؟' => End::Question,
        '.' | '۔' | '…' | '。' => End::Stop,
        '!' => End::Exclamation,
        ':' => End::Colon,
        ';' | '؛' => End::Semicolon,
        _ => End::Other,
    };
    (kind, Some(Span::new(i, i + c.len_utf8())))
}

fn end_punctuation(source: &str, target: &str, out: &mut Vec<Finding>) {
    let (s_end, s_span) = end_of(source);
    let (t_end, t_span) = end_of(target);
    if s_end == t_end {
        return;
    }
    let describe = |end: End, span: Option<Span>, text: &str| match end {
        End::Other => "no final punctuation".to_string(),
        _ => q(span.map_or("", |s| s.text(text))),
    };
    out.push(Finding::new(
        Rule::EndPunctuation,
        format!(
            "the source ends with {}, the target with {}",
            describe(s_end, s_span, source),
            describe(t_end, t_span, target)
        ),
        s_span.filter(|_| s_end != End::Other),
        t_span.filter(|_| t_end != End::Other),
    ));
}

fn arabic_punctuation(target: &str, out: &mut Vec<Finding>) {
    for (i, c) in target.char_indices() {
        let instead = match c {
            '،' => ",",
            '؛' => ";",
            '؟' => "?",
            '٪' => "%",
            _ => continue,
        };
        out.push(Finding::new(
            Rule::ArabicPunctuation,
            format!("Arabic {} in the target (write {})", q(&c.to_string()), q(instead)),
            None,
            Some(Span::new(i, i + c.len_utf8())),
        ));
    }
}

/// Pairs of marks that must balance.
const PAIRS: [(char, char); 5] = [('(', ')'), ('[', ']'), ('{', '}'), ('«', '»'), ('“', '”')];

/// The unbalanced marks of a text outside its tags: for each kind of pair (and `"` last), the
/// span of the first mark left unmatched.
fn unmatched(s: &str, tokens: &[Token]) -> [Option<Span>; 6] {
    let in_tag = |i: usize| {
        tokens
            .iter()
            .any(|t| t.kind == TokenKind::Tag && t.start <= i && i < t.end)
    };
    let mut out = [None; 6];
    let mut stacks: [Vec<Span>; 5] = Default::default();
    let mut quotes: Vec<Span> = Vec::new();
    for (i, c) in s.char_indices() {
        let span = Span::new(i, i + c.len_utf8());
        if c == '"' {
            if !in_tag(i) {
                quotes.push(span);
            }
            continue;
        }
        let Some(k) = PAIRS.iter().position(|&(o, cl)| c == o || c == cl) else {
            continue;
        };
        if in_tag(i) {
            continue;
        }
        if c == PAIRS[k].0 {
            stacks[k].push(span);
        } else if stacks[k].pop().is_none() && out[k].is_none() {
            out[k] = Some(span);
        }
    }
    for (k, stack) in stacks.iter().enumerate() {
        if out[k].is_none() {
            out[k] = stack.first().copied();
        }
    }
    if quotes.len() % 2 == 1 {
        out[5] = quotes.last().copied();
    }
    out
}

fn unbalanced(source: &str, src: &[Token], target: &str, tgt: &[Token], out: &mut Vec<Finding>) {
    let s = unmatched(source, src);
    let t = unmatched(target, tgt);
    // Quotation marks are one family: Arabic writes « » where English writes " or “ ”.
    let quotes_open_in_source = s[3..].iter().any(Option::is_some);
    for k in 0..6 {
        // A quotation that runs on past the segment does so in both languages.
        let excused = if k >= 3 { quotes_open_in_source } else { s[k].is_some() };
        if let (false, Some(at)) = (excused, t[k]) {
            out.push(Finding::new(
                Rule::Unbalanced,
                format!("{} has no partner in the target", q(at.text(target))),
                None,
                Some(at),
            ));
        }
    }
}

#[cfg(test)]
mod tests;
