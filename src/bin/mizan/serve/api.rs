//! The JSON API under `/api`: the CLI's `--json` shapes over HTTP (schemas in `schemas/api/`).
//!
//! | route | what |
//! |---|---|
//! | `GET /api/health` | `{"status":"ok","store","read_only","writes_need_token"}`, cheap |
//! | `GET /api/stats` | `mizan stats --json` |
//! | `GET /api/match?q=…&min=&top=` | one `mizan match --json` line (with the query's glossary `terms`) |
//! | `POST /api/match` `{"query"}` or `{"queries":[…]}`, `min`, `top`, `penalties` | one line, or a list of them |
//! | `GET /api/concordance?term=…&target=&limit=` | the `mizan concordance --json` lines as a list |
//! | `GET /api/units/{id}` | the stored unit |
//! | `POST /api/units` | `mizan add`: `{"id","outcome"}` |
//! | `PUT /api/units/{id}` `{"target","author"}` | `mizan edit`: `{"id"}` |
//! | `DELETE /api/units/{id}` | `mizan delete`: `{"deleted":[id]}` |
//! | `POST /api/analyze` `{"documents":[{"name","text"}],"bands"}` | `mizan analyze --json` |
//! | `POST /api/import?format=tmx` (the file as the body) | one `mizan import --json` line |
//! | `GET /api/export?status=…` | `mizan export`: TMX, streamed |

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::{body, query, ApiError, Shared};
use crate::cli::matching::{find, find_fragments, FragmentOut, MatchOut};
use mizan::report::Bands;
use mizan::store::Store;
use mizan::tm::rank::Penalties;
use mizan::tm::suggest::{FragmentOptions, MatchOptions};
use mizan::tm::{AddOutcome, DuplicatePolicy, LangTag, NewUnit, Origin, Status, UnitFilter};
use mizan::workflow::{analyze as analyze_docs, AnalyzeOptions};

/// Longest query text, in bytes: a sentence or a paragraph, not a document.
const MAX_QUERY_BYTES: usize = 16 << 10;
/// Most queries in one batch.
const MAX_BATCH: usize = 1000;

pub(super) fn routes(max_import: usize) -> Router<Shared> {
    Router::new()
        .route("/api/stats", get(stats))
        .route("/api/match", get(match_get).post(match_post))
        .route("/api/concordance", get(concordance))
        .route("/api/units", post(add))
        .route("/api/units/{id}", get(unit).put(edit).delete(delete))
        .route("/api/analyze", post(analyze))
        .route(
            "/api/import",
            post(super::import::import).layer(DefaultBodyLimit::max(max_import)),
        )
        .route("/api/export", get(export))
}

/// Cheap on purpose (a monitoring probe calls it often, with short time-outs): one trivial read
/// of the store, never the statistics (seconds at a million units; that is `/api/stats`).
pub(super) async fn health(State(s): State<Shared>) -> Result<Json<serde_json::Value>, ApiError> {
    s.pool.run(|store| Ok(store.meta("generator")?)).await?;
    Ok(Json(serde_json::json!({
        "status": "ok",
        "store": s.location,
        "read_only": s.opts.read_only,
        "writes_need_token": s.opts.token.is_some(),
    })))
}

async fn stats(State(s): State<Shared>) -> Result<Json<mizan::tm::Stats>, ApiError> {
    Ok(Json(s.pool.run(|store| Ok(store.stats()?)).await?))
}

/// Match settings shared by the GET and POST forms.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchParams {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    top: Option<usize>,
    /// Also fragment matches, as `match --fragments` (the server looks for them only when asked).
    #[serde(default)]
    fragments: bool,
    #[serde(default)]
    min_words: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchBody {
    #[serde(default)]
    query: Option<String>,
    #[serde(default)]
    queries: Option<Vec<String>>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    top: Option<usize>,
    #[serde(default)]
    fragments: bool,
    #[serde(default)]
    min_words: Option<usize>,
    /// KEY → points, as `--penalty KEY=POINTS`.
    #[serde(default)]
    penalties: BTreeMap<String, f64>,
}

/// One query's answer: a `mizan match --json` line.
#[derive(Debug, Serialize)]
pub(crate) struct QueryOut {
    pub(crate) query: String,
    pub(crate) matches: Vec<MatchOut>,
    /// The glossary terms found in the query, as `mizan match --json` gives them.
    pub(crate) terms: Vec<mizan::terms::TermHit>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) fragments: Vec<FragmentOut>,
}

/// What to look for besides whole-unit matches.
#[derive(Debug, Clone, Copy)]
struct Fragments {
    always: bool,
    opts: FragmentOptions,
}

fn fragment_options(always: bool, min_words: Option<usize>, top: usize) -> Result<Fragments, ApiError> {
    let min_words = min_words.unwrap_or(4);
    if min_words == 0 {
        return Err(ApiError::bad_request("min_words must be at least 1"));
    }
    Ok(Fragments {
        always,
        opts: FragmentOptions {
            min_words,
            top,
            ..FragmentOptions::default()
        },
    })
}

fn match_options(
    min: Option<f64>,
    top: Option<usize>,
    penalties: &BTreeMap<String, f64>,
) -> Result<MatchOptions, ApiError> {
    let min = min.unwrap_or(75.0);
    if !(0.0..=100.0).contains(&min) {
        return Err(ApiError::bad_request("min must be between 0 and 100"));
    }
    let top = top.unwrap_or(5);
    if top == 0 || top > 100 {
        return Err(ApiError::bad_request("top must be between 1 and 100"));
    }
    let mut p = Penalties::default();
    for (key, points) in penalties {
        p.set(&format!("{key}={points}"))
            .map_err(|e| ApiError::bad_request(format!("penalties: {e}")))?;
    }
    Ok(MatchOptions {
        min,
        top,
        exhaustive: false,
        penalties: p,
    })
}

fn check_query(q: &str) -> Result<(), ApiError> {
    if q.trim().is_empty() {
        return Err(ApiError::bad_request("the query is empty"));
    }
    if q.len() > MAX_QUERY_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("a query may hold at most {MAX_QUERY_BYTES} bytes; segment long text first"),
        ));
    }
    Ok(())
}

async fn match_get(
    State(s): State<Shared>,
    params: Result<Query<MatchParams>, QueryRejection>,
) -> Result<Json<QueryOut>, ApiError> {
    let p = query(params)?;
    let q = p.q.ok_or_else(|| ApiError::bad_request("give the query as ?q=…"))?;
    check_query(&q)?;
    let opts = match_options(p.min, p.top, &BTreeMap::new())?;
    let frags = fragment_options(p.fragments, p.min_words, opts.top)?;
    Ok(Json(s.pool.run(move |store| answer(store, q, &opts, frags)).await?))
}

async fn match_post(State(s): State<Shared>, b: Result<Json<MatchBody>, JsonRejection>) -> Result<Response, ApiError> {
    let b = body(b)?;
    let opts = match_options(b.min, b.top, &b.penalties)?;
    let frags = fragment_options(b.fragments, b.min_words, opts.top)?;
    match (b.query, b.queries) {
        (Some(q), None) => {
            check_query(&q)?;
            let out = s.pool.run(move |store| answer(store, q, &opts, frags)).await?;
            Ok(Json(out).into_response())
        }
        (None, Some(queries)) => {
            if queries.len() > MAX_BATCH {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("at most {MAX_BATCH} queries in one request"),
                ));
            }
            for q in &queries {
                check_query(q)?;
            }
            let out = s
                .pool
                .run(move |store| {
                    queries
                        .into_iter()
                        .map(|q| answer(store, q, &opts, frags))
                        .collect::<Result<Vec<_>, _>>()
                })
                .await?;
            Ok(Json(out).into_response())
        }
        _ => Err(ApiError::bad_request("give either \"query\" or \"queries\"")),
    }
}

/// One query's answer, as `mizan match --json` prints it.
fn answer(store: &mut dyn Store, query: String, opts: &MatchOptions, frags: Fragments) -> Result<QueryOut, ApiError> {
    let matches = find(&*store, &query, opts).map_err(store_failure)?;
    // Only when asked: unlike `mizan match`, the server does not look for fragments on its own
    // when nothing matched, so its throughput does not depend on how many queries miss.
    let fragments = if frags.always {
        find_fragments(&*store, &query, &frags.opts).map_err(store_failure)?
    } else {
        Vec::new()
    };
    let terms = term_hits(&*store, &query)?;
    Ok(QueryOut {
        query,
        matches,
        terms,
        fragments,
    })
}

/// The recognizer of the served glossary, with the stamp ([`Store::terms_stamp`]) it was loaded
/// at: loaded at the first query, and again when the glossary has changed (by this server or by
/// any other process), so a `mizan terms import` elsewhere is seen at the next query.
type GlossaryCache = std::sync::Mutex<Option<(String, std::sync::Arc<mizan::terms::Glossary>)>>;
static GLOSSARY: GlossaryCache = std::sync::Mutex::new(None);

/// The glossary terms found in `query`.
fn term_hits(store: &dyn Store, query: &str) -> Result<Vec<mizan::terms::TermHit>, ApiError> {
    let stamp = format!("{}#{}", store.location(), store.terms_stamp()?);
    let cached = {
        let guard = GLOSSARY.lock().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .filter(|(s, _)| *s == stamp)
            .map(|(_, g)| std::sync::Arc::clone(g))
    };
    let glossary = match cached {
        Some(g) => g,
        None => {
            let g = std::sync::Arc::new(mizan::terms::Glossary::load(store)?);
            *GLOSSARY.lock().unwrap_or_else(|p| p.into_inner()) = Some((stamp, std::sync::Arc::clone(&g)));
            g
        }
    };
    Ok(glossary.hits(query))
}

/// An error from the CLI's shared helpers (anyhow wrapping a library error).
fn store_failure(e: anyhow::Error) -> ApiError {
    match e.downcast::<mizan::Error>() {
        Ok(e) => e.into(),
        Err(e) => match e.downcast::<mizan::tm::TmError>() {
            Ok(e) => e.into(),
            Err(e) => ApiError::internal(format!("{e:#}")),
        },
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConcordanceParams {
    term: String,
    #[serde(default)]
    target: bool,
    #[serde(default)]
    limit: Option<usize>,
}

/// A concordance hit: a `mizan concordance --json` line.
#[derive(Debug, Serialize)]
struct Hit {
    id: i64,
    source: String,
    target: String,
    origin: Origin,
    status: Status,
}

async fn concordance(
    State(s): State<Shared>,
    params: Result<Query<ConcordanceParams>, QueryRejection>,
) -> Result<Json<Vec<Hit>>, ApiError> {
    let p = query(params)?;
    if mizan::text::normalize(&p.term).trim().is_empty() {
        return Err(ApiError::bad_request(
            "the term is empty (or only marks that matching ignores)",
        ));
    }
    check_query(&p.term)?;
    let limit = p.limit.unwrap_or(20).min(1000);
    let hits = s
        .pool
        .run(move |store| {
            Ok(store
                .concordance(&p.term, p.target, limit)?
                .into_iter()
                .map(|u| Hit {
                    id: u.id,
                    source: u.source,
                    target: u.target,
                    origin: u.origin,
                    status: u.status,
                })
                .collect())
        })
        .await?;
    Ok(Json(hits))
}

async fn unit(State(s): State<Shared>, Path(id): Path<i64>) -> Result<Json<mizan::tm::Unit>, ApiError> {
    s.pool
        .run(move |store| {
            store
                .get(id)?
                .ok_or_else(|| ApiError::not_found(format!("no unit with id {id}")))
        })
        .await
        .map(Json)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddBody {
    source: String,
    target: String,
    #[serde(default)]
    src_lang: Option<String>,
    #[serde(default)]
    tgt_lang: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    position: Option<i64>,
    /// Replace the target of a unit with the same source instead of keeping both.
    #[serde(default)]
    replace: bool,
}

#[derive(Debug, Serialize)]
struct AddOut {
    id: i64,
    outcome: &'static str,
}

async fn add(
    State(s): State<Shared>,
    b: Result<Json<AddBody>, JsonRejection>,
) -> Result<(StatusCode, Json<AddOut>), ApiError> {
    let b = body(b)?;
    let tag = |given: Option<String>, default: Option<&LangTag>, what: &str| -> Result<LangTag, ApiError> {
        match (given, default) {
            (Some(t), _) => LangTag::parse(&t).map_err(|e| ApiError::bad_request(format!("{what}: {e}"))),
            (None, Some(d)) => Ok(d.clone()),
            (None, None) => Err(ApiError::bad_request(format!("give {what}"))),
        }
    };
    let outcome = s
        .pool
        .write(move |store| {
            let pair = store.language_pair().map(|(a, b)| (a.clone(), b.clone()));
            let src = tag(b.src_lang, pair.as_ref().map(|p| &p.0), "src_lang")?;
            let tgt = tag(b.tgt_lang, pair.as_ref().map(|p| &p.1), "tgt_lang")?;
            let mut unit = NewUnit::with_tags(src, tgt, b.source, b.target, Origin::Human)
                .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
            unit.created_by = b.author.filter(|a| !a.is_empty());
            unit.note = b.note;
            unit.document = b.document;
            unit.position = b.position;
            let policy = if b.replace {
                DuplicatePolicy::Replace
            } else {
                DuplicatePolicy::KeepBoth
            };
            Ok(store.add(&unit, policy)?)
        })
        .await?;
    let (status, name) = match outcome {
        AddOutcome::Added(_) => (StatusCode::CREATED, "added"),
        AddOutcome::Replaced(_) => (StatusCode::OK, "replaced"),
        AddOutcome::Duplicate(_) => (StatusCode::OK, "duplicate"),
        AddOutcome::MarkedReviewed(_) => (StatusCode::OK, "marked_reviewed"),
        AddOutcome::Skipped(_) => (StatusCode::OK, "skipped"),
    };
    Ok((
        status,
        Json(AddOut {
            id: outcome.id(),
            outcome: name,
        }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditBody {
    target: String,
    #[serde(default)]
    author: Option<String>,
}

async fn edit(
    State(s): State<Shared>,
    Path(id): Path<i64>,
    b: Result<Json<EditBody>, JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let b = body(b)?;
    if b.target.trim().is_empty() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "the target is empty"));
    }
    s.pool
        .write(move |store| Ok(store.edit_target(id, &b.target, b.author.as_deref())?))
        .await?;
    Ok(Json(serde_json::json!({ "id": id })))
}

async fn delete(State(s): State<Shared>, Path(id): Path<i64>) -> Result<Json<serde_json::Value>, ApiError> {
    let missing = s.pool.write(move |store| Ok(store.delete(&[id])?)).await?;
    if missing.contains(&id) {
        return Err(ApiError::not_found(format!("no unit with id {id}")));
    }
    Ok(Json(serde_json::json!({ "deleted": [id] })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    name: Option<String>,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyzeBody {
    documents: Vec<Document>,
    #[serde(default)]
    bands: Option<String>,
    #[serde(default)]
    penalties: BTreeMap<String, f64>,
}

async fn analyze(
    State(s): State<Shared>,
    b: Result<Json<AnalyzeBody>, JsonRejection>,
) -> Result<Json<mizan::report::Analysis>, ApiError> {
    let b = body(b)?;
    if b.documents.is_empty() {
        return Err(ApiError::bad_request("give at least one document"));
    }
    let bands = Bands::parse(b.bands.as_deref().unwrap_or("100,95,85,75,50"))
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let penalties = match_options(None, None, &b.penalties)?.penalties;
    let docs: Vec<(String, String)> = b
        .documents
        .into_iter()
        .enumerate()
        .map(|(i, d)| (d.name.unwrap_or_else(|| format!("document {}", i + 1)), d.text))
        .collect();
    let analysis = s
        .pool
        .run(move |store| {
            let source_lang = store
                .language_pair()
                .map(|(s, _)| s.clone())
                .unwrap_or_else(|| LangTag::parse("ar").expect("ar is a tag"));
            let opts = AnalyzeOptions {
                bands,
                penalties,
                ..AnalyzeOptions::new(source_lang)
            };
            Ok(analyze_docs(&*store, &docs, &opts)?)
        })
        .await?;
    Ok(Json(analysis))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportParams {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    origin: Option<String>,
}

/// The TM as TMX, streamed: the store writes on a blocking thread into a bounded channel that
/// the response body drains, so memory stays flat at any TM size.
async fn export(
    State(s): State<Shared>,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = query(params)?;
    let mut filter = UnitFilter::default();
    if let Some(st) = &p.status {
        filter.status = Some(Status::parse(st).ok_or_else(|| ApiError::bad_request(format!("unknown status {st}")))?);
    }
    if let Some(o) = &p.origin {
        filter.origin = Some(Origin::parse(o).ok_or_else(|| ApiError::bad_request(format!("unknown origin {o}")))?);
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(16);
    let pool = Arc::clone(&s.pool);
    tokio::spawn(async move {
        let err_tx = tx.clone();
        let result = pool
            .run(move |store| {
                let out = std::io::BufWriter::with_capacity(64 << 10, ChannelWriter(tx));
                mizan::workflow::export_tmx(&*store, &filter, out)?;
                Ok(())
            })
            .await;
        if let Err(e) = result {
            // The status line is gone already: end the body with an error so the client sees a
            // broken transfer, not a short TMX that looks whole.
            let _ = err_tx.send(Err(std::io::Error::other(e.message))).await;
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    Ok((
        [(header::CONTENT_TYPE, "application/x-tmx+xml; charset=utf-8")],
        Body::from_stream(stream),
    )
        .into_response())
}

/// A writer that hands its bytes to the response body.
struct ChannelWriter(tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>);

impl std::io::Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .blocking_send(Ok(Bytes::copy_from_slice(buf)))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
