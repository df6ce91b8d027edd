//! A stored unit's inline tags (TMX `<seg>` markup: `bpt`, `ept`, `ph`, `it`, `ut`, `hi`, `sub`)
//! as XLIFF inline codes.
//!
//! XLIFF 1.2 has the same code elements as TMX with `id` for TMX's `i`/`x`: `<bpt id>`, `<ept id>`,
//! `<ph id>`, `<it id pos="open|close">` keep their native code as content; `<ut>` (deprecated
//! in TMX) becomes a `<ph>`, `<hi>` a `<g>`. XLIFF 2.x codes hold no native code: a `bpt`/`ept`
//! pair is `<sc id>`…`<ec startRef>` (an unpaired one is isolated), `ph`/`ut` `<ph id>`, `it`
//! an isolated `<sc>`/`<ec>`, `hi` a `<pc>`. A `<sub>`'s text stays where it is in 1.2 (inside the
//! code) and is dropped in 2.x (codes there have no content). Elements of other namespaces give
//! their text only. Markup that is not well-formed gives `None` (the caller writes plain text).

use quick_xml::events::{BytesStart, Event};

/// Which XLIFF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// XLIFF 1.2.
    Xliff12,
    /// XLIFF 2.x.
    Xliff2,
}

fn esc(out: &mut String, s: &str) {
    super::super::tmx::escape_into(out, s);
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// An id made safe for an `NMTOKEN` (letters, digits, `.-_`).
fn token(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `markup` (the inner XML of a TMX `<seg>`) as XLIFF inline content; ids get `prefix` so that
/// the source and target of one match, and the matches of one unit, do not collide.
pub(crate) fn convert(markup: &str, dialect: Dialect, prefix: &str) -> Option<String> {
    let wrapped = format!("<seg>{markup}</seg>");
    // First pass (2.x): which `bpt` have their `ept` here, and the other way round.
    let (mut begins, mut ends) = (Vec::new(), Vec::new());
    if dialect == Dialect::Xliff2 {
        let mut r = quick_xml::Reader::from_str(&wrapped);
        loop {
            match r.read_event().ok()? {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    b"bpt" => begins.push(attr(&e, b"i").unwrap_or_default()),
                    b"ept" => ends.push(attr(&e, b"i").unwrap_or_default()),
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
    }
    let mut r = quick_xml::Reader::from_str(&wrapped);
    r.config_mut().trim_text(false);
    let mut out = String::new();
    // Open elements: (local name, whether its text is native code, the 2.x end tag to write).
    let mut open: Vec<(Vec<u8>, bool, &'static str)> = Vec::new();
    let mut n = 0usize;
    let mut next = || {
        n += 1;
        n
    };
    loop {
        let ev = r.read_event().ok()?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let name = e.local_name().as_ref().to_vec();
                if name == b"seg" && open.is_empty() {
                    open.push((name, false, ""));
                    continue;
                }
                let in_code = open.last().is_some_and(|(_, code, _)| *code);
                let i = attr(e, b"i").map(|v| token(&v));
                let (code, end12, end2): (bool, &'static str, &'static str) = match (dialect, name.as_slice()) {
                    (_, b"sub") => (false, "", ""),
                    _ if in_code => (true, "", ""),
                    (Dialect::Xliff12, b"bpt") => {
                        out.push_str(&format!(
                            "<bpt id=\"{prefix}{}\">",
                            i.unwrap_or_else(|| next().to_string())
                        ));
                        (true, "</bpt>", "")
                    }
                    (Dialect::Xliff12, b"ept") => {
                        out.push_str(&format!(
                            "<ept id=\"{prefix}{}\">",
                            i.unwrap_or_else(|| next().to_string())
                        ));
                        (true, "</ept>", "")
                    }
                    (Dialect::Xliff12, b"ph" | b"ut") => {
                        out.push_str(&format!("<ph id=\"{prefix}p{}\">", next()));
                        (true, "</ph>", "")
                    }
                    (Dialect::Xliff12, b"it") => {
                        let pos = if attr(e, b"pos").as_deref() == Some("end") {
                            "close"
                        } else {
                            "open"
                        };
                        out.push_str(&format!("<it id=\"{prefix}i{}\" pos=\"{pos}\">", next()));
                        (true, "</it>", "")
                    }
                    (Dialect::Xliff12, b"hi") => {
                        out.push_str(&format!("<g id=\"{prefix}h{}\">", next()));
                        (false, "</g>", "")
                    }
                    (Dialect::Xliff2, b"bpt") => {
                        let raw = attr(e, b"i").unwrap_or_default();
                        let id = format!("{prefix}{}", i.unwrap_or_else(|| format!("b{}", next())));
                        if ends.contains(&raw) {
                            out.push_str(&format!("<sc id=\"{id}\"/>"));
                        } else {
                            out.push_str(&format!("<sc id=\"{id}\" isolated=\"yes\"/>"));
                        }
                        (true, "", "")
                    }
                    (Dialect::Xliff2, b"ept") => {
                        let raw = attr(e, b"i").unwrap_or_default();
                        let id = format!("{prefix}{}", i.unwrap_or_else(|| format!("e{}", next())));
                        if begins.contains(&raw) {
                            out.push_str(&format!("<ec startRef=\"{id}\"/>"));
                        } else {
                            out.push_str(&format!("<ec id=\"{id}e\" isolated=\"yes\"/>"));
                        }
                        (true, "", "")
                    }
                    (Dialect::Xliff2, b"ph" | b"ut") => {
                        out.push_str(&format!("<ph id=\"{prefix}p{}\"/>", next()));
                        (true, "", "")
                    }
                    (Dialect::Xliff2, b"it") => {
                        let id = next();
                        if attr(e, b"pos").as_deref() == Some("end") {
                            out.push_str(&format!("<ec id=\"{prefix}i{id}\" isolated=\"yes\"/>"));
                        } else {
                            out.push_str(&format!("<sc id=\"{prefix}i{id}\" isolated=\"yes\"/>"));
                        }
                        (true, "", "")
                    }
                    (Dialect::Xliff2, b"hi") => {
                        out.push_str(&format!("<pc id=\"{prefix}h{}\">", next()));
                        (false, "", "</pc>")
                    }
                    _ => (false, "", ""),
                };
                let close = if dialect == Dialect::Xliff12 { end12 } else { end2 };
                if empty {
                    out.push_str(close);
                } else {
                    open.push((name, code, close));
                }
            }
            Event::End(_) => {
                let (_, _, close) = open.pop()?;
                out.push_str(close);
            }
            Event::Text(t) => {
                let text = t.unescape().ok()?;
                let in_code = open.last().is_some_and(|(_, code, _)| *code);
                if !(in_code && dialect == Dialect::Xliff2) {
                    esc(&mut out, &text);
                }
            }
            Event::CData(c) => {
                let in_code = open.last().is_some_and(|(_, code, _)| *code);
                if !(in_code && dialect == Dialect::Xliff2) {
                    esc(&mut out, &String::from_utf8_lossy(&c));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    open.is_empty().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKUP: &str =
        "انقر <bpt i=\"1\">&lt;b&gt;</bpt>هنا<ept i=\"1\">&lt;/b&gt;</ept> ثم<ph x=\"2\">&lt;br/&gt;</ph> تابع";

    #[test]
    fn tmx_codes_become_xliff_12_codes_with_their_native_code() {
        assert_eq!(
            convert(MARKUP, Dialect::Xliff12, "t").unwrap(),
            "انقر <bpt id=\"t1\">&lt;b&gt;</bpt>هنا<ept id=\"t1\">&lt;/b&gt;</ept> ثم<ph id=\"tp1\">&lt;br/&gt;</ph> تابع"
        );
    }

    #[test]
    fn tmx_codes_become_xliff_2_codes_paired_or_isolated() {
        assert_eq!(
            convert(MARKUP, Dialect::Xliff2, "t").unwrap(),
            "انقر <sc id=\"t1\"/>هنا<ec startRef=\"t1\"/> ثم<ph id=\"tp1\"/> تابع"
        );
        assert_eq!(
            convert("<bpt i=\"3\">&lt;i&gt;</bpt>نص", Dialect::Xliff2, "t").unwrap(),
            "<sc id=\"t3\" isolated=\"yes\"/>نص"
        );
        assert_eq!(convert("<bpt i=\"1\">", Dialect::Xliff2, "t"), None, "not well-formed");
    }
}
