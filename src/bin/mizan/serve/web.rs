//! The translators' page at `/` and the routes only it needed so far (any script may use them too):
//!
//! | route | what |
//! |---|---|
//! | `GET /`, `GET /assets/app.js`, `GET /assets/app.css` | the page, compiled into the binary |
//! | `GET /api/explain?q=…&id=…` | why unit `id` matches `q`: its source cut into parts marked by how they differ from the query, its suggestion with the substituted numbers marked |
//! | `POST /api/align` `{"ar","en","presegmented"}` | `mizan align --format json` for two texts: the sentences of each side and the links |
//! | `POST /api/align/accept` `{"ar":[…],"en":[…],"links":[…]}` | stores the links a person accepted, origin `align`, reviewed |
//! | `POST /api/pretranslate?format=tsv\|tmx\|xliff` `{"text","name","min"}` | `mizan pretranslate`: the file |
//!
//! Invariants: the page uses only the JSON API (what it shows, a script gets too); nothing a person
//! did not accept is stored as reviewed (`/api/align/accept` stores exactly the links it is sent,
//! and refuses the whole request when the links cross, skip a sentence or use one twice).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::{body, query, ApiError, Shared, MAX_JSON_BYTES};
use mizan::align::Sentence;
use mizan::fuzzy::{OpKind, Reason};
use mizan::store::Store;
use mizan::text::{tokenize, TokenKind};
use mizan::tm::suggest::MatchOptions;
use mizan::tm::{AddOutcome, DuplicatePolicy, LangTag, NewUnit, Origin, Status};
use mizan::workflow::{
    align_documents, aligner_lexicon, pretranslate as pretranslate_doc, DocumentAlignOptions, PretranslateFormat,
    PretranslateOptions, SentenceSplit, PROP_CONFIDENCE,
};

const INDEX_HTML: &str = include_str!("web/index.html");
const APP_JS: &str = include_str!("web/app.js");
const APP_CSS: &str = include_str!("web/app.css");

/// Most sentences on one side of an alignment: the aligner's own memory guard allows far more,
/// but a person reviews an article, not a book, and the page draws every pair.
const MAX_SENTENCES: usize = 5000;
/// Longest query to explain, in bytes: the limit of `/api/match`.
const MAX_QUERY_BYTES: usize = 16 << 10;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(|| async { page("text/html; charset=utf-8", INDEX_HTML) }))
        .route(
            "/assets/app.js",
            get(|| async { page("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/assets/app.css",
            get(|| async { page("text/css; charset=utf-8", APP_CSS) }),
        )
        .route("/api/explain", get(explain))
        .route("/api/align", post(align))
        .route("/api/align/accept", post(accept))
        .route("/api/pretranslate", post(pretranslate))
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
}

/// A compiled-in asset. `no-cache` so a new binary's page is never mixed with an old script.
fn page(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
            // The page loads nothing from elsewhere; say so, so an injected script could not either.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'",
            ),
        ],
        body,
    )
        .into_response()
}

/// The store's language pair, else the CLI's default `ar`→`en`.
fn language_pair(store: &dyn Store) -> (LangTag, LangTag) {
    match store.language_pair() {
        Some((s, t)) => (s.clone(), t.clone()),
        None => (
            LangTag::parse("ar").expect("ar is a tag"),
            LangTag::parse("en").expect("en is a tag"),
        ),
    }
}

/// Refuses a document that is empty or that is not text: JSON strings are valid Unicode already,
/// but a binary file read as UTF-8 still brings NUL characters, which no article has.
fn check_document(what: &str, text: &str) -> Result<(), ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::bad_request(format!("the {what} is empty")));
    }
    if text.contains('\0') {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the {what} holds NUL characters: it looks like a binary file, not text"),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// GET /api/explain

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainParams {
    q: String,
    id: i64,
}

/// A piece of a text, marked by how it differs.
#[derive(Debug, Serialize, PartialEq)]
struct Part {
    text: String,
    /// `space` (between tokens), `equal`, `orthography` (same word spelled otherwise), `number`,
    /// `clitic`, `tag`, `different`, `deleted` (in the source, not in the query), `inserted` (a
    /// query word the source lacks: its text is the query's), and in a suggestion `substituted`.
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct ExplainOut {
    id: i64,
    query: String,
    source: String,
    target: String,
    suggestion: String,
    /// The source cut into parts, in order; leaving out the `inserted` parts, their texts
    /// concatenate to the source exactly.
    source_parts: Vec<Part>,
    /// The suggestion cut into parts; their texts concatenate to the suggestion exactly.
    suggestion_parts: Vec<Part>,
    explanation: mizan::fuzzy::Explanation,
}

async fn explain(
    State(s): State<Shared>,
    params: Result<Query<ExplainParams>, QueryRejection>,
) -> Result<Json<ExplainOut>, ApiError> {
    let p = query(params)?;
    if p.q.trim().is_empty() {
        return Err(ApiError::bad_request("the query is empty"));
    }
    if p.q.len() > MAX_QUERY_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("a query may hold at most {MAX_QUERY_BYTES} bytes; segment long text first"),
        ));
    }
    let id = p.id;
    let unit = s
        .pool
        .run(move |store| {
            store
                .get(id)?
                .ok_or_else(|| ApiError::not_found(format!("no unit with id {id}")))
        })
        .await?;
    let explanation = mizan::fuzzy::explain(&p.q, &unit.source);
    let suggestion = mizan::fuzzy::substitute_numbers(&p.q, &unit.source, &unit.target);
    Ok(Json(ExplainOut {
        id,
        source_parts: source_parts(&unit.source, &explanation),
        suggestion_parts: suggestion_parts(&unit.target, &suggestion),
        query: p.q,
        source: unit.source,
        target: unit.target,
        suggestion,
        explanation,
    }))
}

/// Cuts `source` at its tokens and marks each by its step in the explanation's diff. The diff
/// visits the source's tokens once each, in order (the same tokenizer made them); should that
/// ever not hold, the source comes back as one unmarked part rather than misplaced marks.
fn source_parts(source: &str, e: &mizan::fuzzy::Explanation) -> Vec<Part> {
    let tokens = tokenize(source);
    let mut parts = Vec::new();
    let mut next = 0; // the next source token
    let mut at = 0; // bytes of the source already in parts
    for op in &e.ops {
        let kind = match (op.op, op.reason) {
            (OpKind::Inserted, _) => {
                if let Some(q) = &op.query {
                    parts.push(Part {
                        text: q.clone(),
                        kind: "inserted",
                    });
                }
                continue;
            }
            (OpKind::Deleted, _) => "deleted",
            (_, None) => "equal",
            (_, Some(Reason::Orthography)) => "orthography",
            (_, Some(Reason::Number)) => "number",
            (_, Some(Reason::Tag)) => "tag",
            (_, Some(Reason::Clitic)) => "clitic",
            (_, Some(Reason::Different)) => "different",
        };
        let Some(t) = tokens.get(next) else {
            return whole(source);
        };
        if Some(t.raw(source)) != op.source.as_deref() || t.start < at {
            return whole(source);
        }
        if t.start > at {
            parts.push(Part {
                text: source[at..t.start].to_string(),
                kind: "space",
            });
        }
        parts.push(Part {
            text: t.raw(source).to_string(),
            kind,
        });
        at = t.end;
        next += 1;
    }
    if next != tokens.len() {
        return whole(source);
    }
    if at < source.len() {
        parts.push(Part {
            text: source[at..].to_string(),
            kind: "space",
        });
    }
    parts
}

fn whole(text: &str) -> Vec<Part> {
    vec![Part {
        text: text.to_string(),
        kind: "equal",
    }]
}

/// Marks the numbers of the suggestion that differ from the target's: the substitution replaces
/// number tokens only, so the two token lists pair up one to one; when they do not, nothing is
/// marked.
fn suggestion_parts(target: &str, suggestion: &str) -> Vec<Part> {
    let (tt, st) = (tokenize(target), tokenize(suggestion));
    let same_shape = tt.len() == st.len() && tt.iter().zip(&st).all(|(a, b)| a.kind == b.kind);
    if !same_shape || target == suggestion {
        return whole(suggestion);
    }
    let mut parts = Vec::new();
    let mut at = 0;
    let mut plain = String::new();
    for (a, b) in tt.iter().zip(&st) {
        if b.kind == TokenKind::Number && a.raw(target) != b.raw(suggestion) {
            plain.push_str(&suggestion[at..b.start]);
            if !plain.is_empty() {
                parts.push(Part {
                    text: std::mem::take(&mut plain),
                    kind: "equal",
                });
            }
            parts.push(Part {
                text: b.raw(suggestion).to_string(),
                kind: "substituted",
            });
            at = b.end;
        }
    }
    plain.push_str(&suggestion[at..]);
    if !plain.is_empty() {
        parts.push(Part {
            text: plain,
            kind: "equal",
        });
    }
    parts
}

// ---------------------------------------------------------------------------------------------
// POST /api/align

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlignBody {
    ar: String,
    en: String,
    /// One sentence per line, as given (`mizan align --presegmented`).
    #[serde(default)]
    presegmented: bool,
}

#[derive(Debug, Serialize)]
struct LinkOut {
    ar_ids: Vec<usize>,
    en_ids: Vec<usize>,
    confidence: f64,
    kind: String,
}

#[derive(Debug, Serialize)]
struct AlignOut {
    source_lang: String,
    target_lang: String,
    ar: Vec<Sentence>,
    en: Vec<Sentence>,
    links: Vec<LinkOut>,
    lexicon_entries: usize,
}

async fn align(State(s): State<Shared>, b: Result<Json<AlignBody>, JsonRejection>) -> Result<Json<AlignOut>, ApiError> {
    let b = body(b)?;
    check_document("Arabic text", &b.ar)?;
    check_document("English text", &b.en)?;
    let out = s
        .pool
        .run(move |store| {
            let (src, tgt) = language_pair(&*store);
            // The same lexicon `mizan align` uses: the built-in one and the TM's own pairs.
            let lexicon = aligner_lexicon(Some(&*store), &src, &tgt)?;
            let mut opts = DocumentAlignOptions::new(src, tgt);
            if b.presegmented {
                opts.split = SentenceSplit::Presegmented;
            }
            let aligned = align_documents(&b.ar, &b.en, &lexicon, &opts);
            if aligned.ar.len() > MAX_SENTENCES || aligned.en.len() > MAX_SENTENCES {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("at most {MAX_SENTENCES} sentences a side can be reviewed at once: split the article"),
                ));
            }
            Ok(AlignOut {
                source_lang: aligned.source_lang.to_string(),
                target_lang: aligned.target_lang.to_string(),
                links: aligned
                    .links
                    .iter()
                    .map(|l| LinkOut {
                        ar_ids: l.ar_ids.clone(),
                        en_ids: l.en_ids.clone(),
                        confidence: l.confidence,
                        kind: l.kind(),
                    })
                    .collect(),
                ar: aligned.ar,
                en: aligned.en,
                lexicon_entries: lexicon.len(),
            })
        })
        .await?;
    Ok(Json(out))
}

// ---------------------------------------------------------------------------------------------
// POST /api/align/accept

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptLink {
    ar_ids: Vec<usize>,
    en_ids: Vec<usize>,
    /// The aligner's confidence when the person kept the link as proposed (stored as
    /// `x-mizan-confidence`); absent for a link the person made.
    #[serde(default)]
    confidence: Option<f64>,
    /// `false` leaves a link out of the TM (it must still be sent: every sentence appears once).
    #[serde(default = "yes")]
    accepted: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptBody {
    /// The Arabic sentences, as `/api/align` gave them.
    ar: Vec<String>,
    /// The English sentences.
    en: Vec<String>,
    /// Every link, in document order.
    links: Vec<AcceptLink>,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    author: Option<String>,
}

#[derive(Debug, Serialize, Default, PartialEq)]
struct AcceptOut {
    /// Links stored as new units.
    stored: usize,
    /// Links identical to an unreviewed unit, which is now reviewed.
    marked_reviewed: usize,
    /// Links identical to a reviewed unit: nothing changed.
    duplicates: usize,
    /// Links the person left out (`"accepted": false`).
    not_accepted: usize,
    /// Links with one side only (1-0, 0-1): nothing to store.
    one_sided: usize,
}

/// Checks that the links cover each side's sentences once, in order: the ids of the links, read
/// in order, must be exactly 0, 1, 2, … on each side. That single rule means no sentence is
/// left out or used twice, every link holds consecutive sentences, and no two links cross.
fn check_links(n_ar: usize, n_en: usize, links: &[AcceptLink]) -> Result<(), String> {
    let (mut next_ar, mut next_en) = (0, 0);
    for (i, l) in links.iter().enumerate() {
        if l.ar_ids.is_empty() && l.en_ids.is_empty() {
            return Err(format!("link {i} has no sentence on either side"));
        }
        if let Some(c) = l.confidence {
            if !(0.0..=1.0).contains(&c) {
                return Err(format!("link {i}: confidence must be between 0 and 1"));
            }
        }
        for (ids, next, n, side) in [
            (&l.ar_ids, &mut next_ar, n_ar, "Arabic"),
            (&l.en_ids, &mut next_en, n_en, "English"),
        ] {
            for &id in ids {
                if id >= n {
                    return Err(format!("link {i}: there is no {side} sentence {id} (there are {n})"));
                }
                if id < *next {
                    return Err(format!(
                        "link {i}: {side} sentence {id} is used twice or the links cross; every sentence belongs to exactly one link, in order"
                    ));
                }
                if id > *next {
                    return Err(format!(
                        "link {i}: {side} sentence {} is skipped or the links cross; every sentence belongs to exactly one link, in order",
                        *next
                    ));
                }
                *next += 1;
            }
        }
    }
    if next_ar != n_ar {
        return Err(format!("Arabic sentences {next_ar}–{} are in no link", n_ar - 1));
    }
    if next_en != n_en {
        return Err(format!("English sentences {next_en}–{} are in no link", n_en - 1));
    }
    Ok(())
}

/// One link's side as a unit's text: its sentences joined by a space, as `mizan align --import`
/// stores them (tabs and line breaks made spaces: a unit is one line).
fn joined(ids: &[usize], sentences: &[String]) -> String {
    ids.iter()
        .map(|&i| mizan::formats::pretranslated::tsv_field(&sentences[i]))
        .collect::<Vec<_>>()
        .join(" ")
}

async fn accept(
    State(s): State<Shared>,
    b: Result<Json<AcceptBody>, JsonRejection>,
) -> Result<Json<AcceptOut>, ApiError> {
    let b = body(b)?;
    if b.links.is_empty() {
        return Err(ApiError::bad_request("no links to accept"));
    }
    if b.ar.len() > MAX_SENTENCES || b.en.len() > MAX_SENTENCES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("at most {MAX_SENTENCES} sentences a side"),
        ));
    }
    check_links(b.ar.len(), b.en.len(), &b.links).map_err(|m| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, m))?;
    for (side, sentences) in [("Arabic", &b.ar), ("English", &b.en)] {
        if let Some(i) = sentences.iter().position(|t| t.contains('\0')) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{side} sentence {i} holds a NUL character"),
            ));
        }
    }
    // Every accepted two-sided link must make a unit; refuse before writing anything.
    for (i, l) in b.links.iter().enumerate() {
        if l.accepted
            && !l.ar_ids.is_empty()
            && !l.en_ids.is_empty()
            && (joined(&l.ar_ids, &b.ar).trim().is_empty() || joined(&l.en_ids, &b.en).trim().is_empty())
        {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("link {i} has an empty side; mark it 1-0 or 0-1, or leave it out"),
            ));
        }
    }
    let author = b.author.filter(|a| !a.trim().is_empty());
    let document = b.document.filter(|d| !d.trim().is_empty());
    let out = s
        .pool
        .write(move |store| {
            let (src, tgt) = language_pair(&*store);
            let mut out = AcceptOut::default();
            let mut batch = store.writer(DuplicatePolicy::KeepBoth)?;
            for l in &b.links {
                if l.ar_ids.is_empty() || l.en_ids.is_empty() {
                    out.one_sided += 1;
                    continue;
                }
                if !l.accepted {
                    out.not_accepted += 1;
                    continue;
                }
                let mut unit = NewUnit::with_tags(
                    src.clone(),
                    tgt.clone(),
                    joined(&l.ar_ids, &b.ar),
                    joined(&l.en_ids, &b.en),
                    Origin::Align,
                )
                .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
                // A person looked at this pair and accepted it: that is what reviewed means.
                unit.status = Status::Reviewed;
                unit.created_by.clone_from(&author);
                unit.changed_by.clone_from(&author);
                unit.document.clone_from(&document);
                unit.position = Some(l.ar_ids[0] as i64);
                if let Some(c) = l.confidence {
                    unit.props.push((PROP_CONFIDENCE.into(), format!("{c:.3}")));
                }
                match batch.add(&unit)? {
                    AddOutcome::Added(_) => out.stored += 1,
                    AddOutcome::MarkedReviewed(_) => out.marked_reviewed += 1,
                    _ => out.duplicates += 1,
                }
            }
            batch.commit()?;
            Ok(out)
        })
        .await?;
    Ok(Json(out))
}

// ---------------------------------------------------------------------------------------------
// POST /api/pretranslate

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PretranslateParams {
    #[serde(default)]
    format: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PretranslateBody {
    text: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    min: Option<f64>,
}

async fn pretranslate(
    State(s): State<Shared>,
    params: Result<Query<PretranslateParams>, QueryRejection>,
    b: Result<Json<PretranslateBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let p = query(params)?;
    let b = body(b)?;
    let name = p.format.as_deref().unwrap_or("tsv");
    let format = PretranslateFormat::parse(name)
        .ok_or_else(|| ApiError::bad_request(format!("unknown format {name:?}: give tsv, tmx, xliff or xliff2")))?;
    check_document("article", &b.text)?;
    let min = b.min.unwrap_or(75.0);
    if !(0.0..=100.0).contains(&min) {
        return Err(ApiError::bad_request("min must be between 0 and 100"));
    }
    let document = b
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "article.txt".into());
    let file_name = download_name(&document, format);
    let bytes = s
        .pool
        .run(move |store| {
            let (src, tgt) = language_pair(&*store);
            let opts = PretranslateOptions {
                format,
                matches: MatchOptions {
                    min,
                    top: 3,
                    ..MatchOptions::default()
                },
                ..PretranslateOptions::new(src, tgt, document)
            };
            let mut out = Vec::new();
            pretranslate_doc(&*store, &b.text, &mut out, &opts)?;
            Ok(out)
        })
        .await?;
    let content_type = match format {
        PretranslateFormat::Tsv => "text/tab-separated-values; charset=utf-8",
        PretranslateFormat::Tmx => "application/x-tmx+xml; charset=utf-8",
        PretranslateFormat::Xliff | PretranslateFormat::Xliff2 => "application/x-xliff+xml; charset=utf-8",
    };
    let disposition = format!("attachment; filename=\"{file_name}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// `news.ar.txt` → `news.ar.tsv`; only ASCII letters, digits, `.`, `-` and `_` kept, so the name
/// is always a valid header value (the page names the download itself anyway).
fn download_name(document: &str, format: PretranslateFormat) -> String {
    let stem = document.strip_suffix(".txt").unwrap_or(document);
    let safe: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    let stem = if safe.is_empty() { "article".to_string() } else { safe };
    let ext = match format {
        PretranslateFormat::Tsv => "tsv",
        PretranslateFormat::Tmx => "tmx",
        PretranslateFormat::Xliff | PretranslateFormat::Xliff2 => "xlf",
    };
    format!("{stem}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(ar: &[usize], en: &[usize]) -> AcceptLink {
        AcceptLink {
            ar_ids: ar.to_vec(),
            en_ids: en.to_vec(),
            confidence: None,
            accepted: true,
        }
    }

    #[test]
    fn links_must_cover_each_side_once_in_order() {
        assert!(check_links(3, 2, &[link(&[0], &[0]), link(&[1, 2], &[1])]).is_ok());
        assert!(check_links(2, 2, &[link(&[0], &[]), link(&[1], &[0]), link(&[], &[1])]).is_ok());
        // Crossing.
        let e = check_links(2, 2, &[link(&[0], &[1]), link(&[1], &[0])]).unwrap_err();
        assert!(e.contains("cross"), "{e}");
        // A sentence twice, a sentence left out, an id out of range, an empty link.
        assert!(check_links(2, 2, &[link(&[0], &[0]), link(&[0, 1], &[1])]).is_err());
        assert!(check_links(3, 2, &[link(&[0], &[0]), link(&[1], &[1])])
            .unwrap_err()
            .contains("in no link"));
        assert!(check_links(1, 1, &[link(&[0], &[0, 1])]).is_err());
        assert!(check_links(1, 1, &[link(&[0], &[0]), link(&[], &[])]).is_err());
    }

    #[test]
    fn source_parts_cover_the_source_exactly() {
        let q = "زار الرئيس مصر عام 2024";
        let s = "وزار الرئيس  تونس عام 2022.";
        let parts = source_parts(s, &mizan::fuzzy::explain(q, s));
        let rebuilt: String = parts
            .iter()
            .filter(|p| p.kind != "inserted")
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(rebuilt, s);
        assert!(parts.iter().any(|p| p.kind == "number" && p.text == "2022"));
        assert!(parts.iter().any(|p| p.kind == "different" && p.text == "تونس"));
        assert!(parts.iter().any(|p| p.kind == "deleted" && p.text == "."));
    }

    #[test]
    fn substituted_numbers_are_marked_in_the_suggestion() {
        let parts = suggestion_parts("Egypt in 2022, 3 times.", "Egypt in 2024, 3 times.");
        assert_eq!(
            parts,
            vec![
                Part {
                    text: "Egypt in ".into(),
                    kind: "equal"
                },
                Part {
                    text: "2024".into(),
                    kind: "substituted"
                },
                Part {
                    text: ", 3 times.".into(),
                    kind: "equal"
                },
            ]
        );
        assert_eq!(suggestion_parts("Same.", "Same."), whole("Same."));
    }

    #[test]
    fn download_names_are_safe_header_values() {
        assert_eq!(download_name("news.ar.txt", PretranslateFormat::Xliff), "news.ar.xlf");
        assert_eq!(download_name("خبر \"x\".txt", PretranslateFormat::Tsv), "x.tsv");
        assert_eq!(download_name("خبر", PretranslateFormat::Tmx), "article.tmx");
    }
}
