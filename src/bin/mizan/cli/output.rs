//! Output helpers: what goes to a terminal is sanitized and bidi-isolated, what goes to a pipe is
//! the raw text; JSON Lines records are one `serde_json` write plus a newline; progress bars only
//! appear when stderr is a terminal.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

/// Whether stdout is a terminal.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Whether to colour stdout: a terminal, and `NO_COLOR` unset.
pub fn color() -> bool {
    stdout_is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn is_invisible(c: char) -> bool {
    c.is_control() || mizan::text::is_invisible_mark(c)
}

fn has_rtl(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}'))
}

/// Text for a terminal: control, bidi and zero-width characters escaped (`\u{200F}`), and
/// right-to-left text wrapped in bidi isolates (U+2068 … U+2069) so punctuation stays put.
/// Off a terminal the text is returned unchanged.
pub fn display(s: &str, terminal: bool) -> String {
    if !terminal {
        return s.to_string();
    }
    isolate(escape_invisible(s))
}

/// `s` with control, bidi and zero-width characters written as `\u{…}` escapes.
fn escape_invisible(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Right-to-left text wrapped in bidi isolates; other text as it is.
fn isolate(s: String) -> String {
    if has_rtl(&s) {
        format!("\u{2068}{s}\u{2069}")
    } else {
        s
    }
}

/// `n` and the noun, singular for one: `count(1, "unit")` is "1 unit", `count(3, "unit")` is
/// "3 units" (every noun mizan counts takes a plain `s`).
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Writes one JSON Lines record.
///
/// # Errors
/// An I/O error from `out`.
pub fn json_line<W: Write, T: Serialize>(out: &mut W, value: &T) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

/// A progress bar over `len` units of work, drawn on stderr only when it is a terminal.
pub fn progress(len: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    pb.set_style(style);
    pb.set_message(what.to_string());
    pb
}

/// A progress line for work of unknown size (bytes written so far and the rate), drawn on stderr
/// only when it is a terminal.
pub fn progress_unsized(what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} {msg} {bytes} written ({bytes_per_sec})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    pb.set_style(style);
    pb.set_message(what.to_string());
    pb
}

/// A writer that advances a progress bar by the bytes written.
pub struct ProgressWriter<W> {
    inner: W,
    bar: ProgressBar,
}

impl<W> ProgressWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W, bar: ProgressBar) -> Self {
        ProgressWriter { inner, bar }
    }
}

impl<W: Write> Write for ProgressWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A reader that advances a progress bar by the bytes read.
pub struct ProgressReader<R> {
    inner: R,
    bar: ProgressBar,
}

impl<R> ProgressReader<R> {
    /// Wraps `inner`.
    pub fn new(inner: R, bar: ProgressBar) -> Self {
        ProgressReader { inner, bar }
    }
}

impl<R: std::io::Read> std::io::Read for ProgressReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

/// The source of a match with what differs from the query marked: on a colour terminal the
/// differing tokens in bold yellow, elsewhere `[…]` around them (exact matches are left as they are).
pub fn highlight_source(query: &str, source: &str, color: bool, terminal: bool) -> String {
    use mizan::fuzzy::OpKind;
    let explanation = mizan::fuzzy::explain(query, source);
    let tokens = mizan::text::tokenize(source);
    let differs: Vec<bool> = explanation
        .ops
        .iter()
        .filter(|op| op.source.is_some())
        .map(|op| op.op != OpKind::Equal)
        .collect();
    if differs.len() != tokens.len() || !differs.iter().any(|d| *d) {
        return display(source, terminal);
    }
    let (open, close) = if color { ("\x1b[1;33m", "\x1b[0m") } else { ("[", "]") };
    // The text is escaped piece by piece and the colour codes go in between: escaping the whole
    // line would turn the codes themselves into visible `\u{1B}` text.
    let piece = |s: &str| if terminal { escape_invisible(s) } else { s.to_string() };
    let mut out = String::with_capacity(source.len() + 16);
    let mut at = 0;
    for (t, d) in tokens.iter().zip(&differs) {
        out.push_str(&piece(&source[at..t.start]));
        let raw = piece(&source[t.start..t.end]);
        if *d {
            out.push_str(open);
            out.push_str(&raw);
            out.push_str(close);
        } else {
            out.push_str(&raw);
        }
        at = t.end;
    }
    out.push_str(&piece(&source[at..]));
    if terminal {
        isolate(out)
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(1u64, "unit"), "1 unit");
        assert_eq!(count(0u64, "unit"), "0 units");
        assert_eq!(count(2u64, "segment"), "2 segments");
    }

    #[test]
    fn terminal_text_is_isolated_and_sanitized() {
        assert_eq!(display("نص\u{202E}x", false), "نص\u{202E}x");
        assert_eq!(display("نص\u{202E}x", true), "\u{2068}نص\\u{202E}x\u{2069}");
        assert_eq!(display("plain\ttext", true), "plain\\u{9}text");
    }

    #[test]
    fn differences_are_marked() {
        let marked = highlight_source(
            "وقال الرئيس إن الزيارة ناجحة",
            "وقال الوزير إن الزيارة ناجحة",
            false,
            false,
        );
        assert_eq!(marked, "وقال [الوزير] إن الزيارة ناجحة");
        assert_eq!(highlight_source("نص", "نص", false, false), "نص");
    }

    #[test]
    fn colour_codes_reach_the_terminal_and_stored_controls_do_not() {
        let marked = highlight_source(
            "وقال الرئيس إن الزيارة ناجحة",
            "وقال الوزير\u{202E} إن الزيارة ناجحة",
            true,
            true,
        );
        assert_eq!(
            marked,
            "\u{2068}وقال \x1b[1;33mالوزير\x1b[0m\\u{202E} إن الزيارة ناجحة\u{2069}"
        );
    }
}
