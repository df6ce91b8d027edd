//! `POST /api/import`: a TMX, TSV, CSV or JSON Lines file as the request body, streamed to the
//! store's import on a blocking thread while it arrives (memory stays flat at any size).
//!
//! Invariants: one transaction per request, as `mizan import` per file: a body that is cut off,
//! over the limit, not well-formed or refused under `strict` stores nothing; the answer is one
//! `mizan import --json` object (`{"file","read",…counts,"error","line","column"}`) plus up to
//! [`MAX_REJECTIONS`] rejected lines, with 200 when the file was imported (bad lines counted in
//! `rejected`), 413 over the limit, 422 when it was refused.

use std::io::{BufRead, BufReader, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::StreamExt as _;
use serde::{Deserialize, Serialize};

use super::{query, ApiError, Shared};
use mizan::formats::{self, Format, ReadOptions};
use mizan::tm::import::{ImportError, ImportOptions, ImportReport};
use mizan::tm::DuplicatePolicy;

/// Rejected lines listed in the answer (all are counted).
const MAX_REJECTIONS: usize = 100;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    #[serde(default)]
    format: Option<String>,
    /// The file's name, for messages and as the document of TSV/CSV/JSONL units.
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    on_duplicate: Option<String>,
    #[serde(default)]
    strict: bool,
    #[serde(default)]
    dry_run: bool,
}

#[derive(Debug, Serialize)]
struct Rejected {
    line: u64,
    reason: String,
}

/// The answer: `mizan import --json`'s object, and the first rejected lines.
#[derive(Debug, Serialize)]
struct Answer {
    file: String,
    read: bool,
    #[serde(flatten)]
    report: ImportReport,
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u64>,
    rejections: Vec<Rejected>,
}

/// The request body as a blocking reader: chunks arrive through a bounded channel from the task
/// that polls the body, so a slow store slows the upload instead of buffering it.
struct BodyReader {
    rx: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>,
    chunk: Bytes,
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.chunk.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(b)) => self.chunk = b,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk[..n]);
        self.chunk = self.chunk.slice(n..);
        Ok(n)
    }
}

pub(super) async fn import(
    State(s): State<Shared>,
    params: Result<Query<Params>, QueryRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    let p = query(params)?;
    let given_format = match p.format.as_deref() {
        None => None,
        Some(f) => Some(Format::parse(f).ok_or_else(|| ApiError::bad_request(format!("unknown format {f}")))?),
    };
    let policy = match p.on_duplicate.as_deref() {
        None => DuplicatePolicy::default(),
        Some(name) => DuplicatePolicy::parse(name).ok_or_else(|| {
            ApiError::bad_request(format!("on_duplicate: {name} is not one of skip, replace, keep-both"))
        })?,
    };
    let name = p.name.unwrap_or_else(|| "<upload>".to_string());
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    let too_large = Arc::new(AtomicBool::new(false));
    // The limit is counted here: a streamed body is not bounded by the framework's extractors.
    let max = s.opts.max_import_bytes;
    let pump = {
        let too_large = Arc::clone(&too_large);
        tokio::spawn(async move {
            let mut stream = body.into_data_stream();
            let mut total = 0usize;
            while let Some(chunk) = stream.next().await {
                let item = match chunk {
                    Ok(b) if total + b.len() > max => {
                        too_large.store(true, Ordering::Release);
                        Err(std::io::Error::other(format!(
                            "the upload is larger than the server's limit of {} MiB (--max-import-mib)",
                            max >> 20
                        )))
                    }
                    Ok(b) => {
                        total += b.len();
                        Ok(b)
                    }
                    Err(e) => Err(std::io::Error::other(format!("the upload broke off: {e}"))),
                };
                let stop = item.is_err();
                if tx.send(item).await.is_err() || stop {
                    break;
                }
            }
        })
    };
    let answer_name = name.clone();
    let result = s
        .pool
        .write(move |store| {
            let mut input = BufReader::with_capacity(
                1 << 16,
                BodyReader {
                    rx,
                    chunk: Bytes::new(),
                },
            );
            let format = match given_format {
                Some(f) => f,
                None => Format::sniff(input.fill_buf().map_err(|e| ApiError::bad_request(e.to_string()))?),
            };
            let (source_lang, target_lang) = store
                .language_pair()
                .map(|(a, b)| (a.clone(), b.clone()))
                .ok_or_else(|| ApiError::internal("the server's store has no language pair"))?;
            let read_opts = ReadOptions {
                file: name.clone(),
                source_lang,
                target_lang,
            };
            let opts = ImportOptions {
                policy,
                strict: p.strict,
                dry_run: p.dry_run,
                keep_going: false,
                document: (format != Format::Tmx && name != "<upload>").then(|| name.clone()),
            };
            let mut rejections = Vec::new();
            let input: Box<dyn BufRead + Send> = Box::new(input);
            let result = formats::reader(format, input, read_opts)
                .map_err(ImportError::from)
                .and_then(|records| {
                    mizan::store::import(store, records, &opts, |r| {
                        if rejections.len() < MAX_REJECTIONS {
                            rejections.push(Rejected {
                                line: r.line,
                                reason: r.reason.clone(),
                            });
                        }
                    })
                });
            Ok((
                result.map_err(|e| (e.location(), e.to_string(), matches!(e, ImportError::Tm(_)))),
                rejections,
            ))
        })
        .await;
    pump.abort();
    let (result, rejections) = result?;
    let (status, report, error, location) = match result {
        Ok(report) => (StatusCode::OK, report, None, None),
        Err((location, message, store_failed)) => {
            let status = if too_large.load(Ordering::Acquire) {
                StatusCode::PAYLOAD_TOO_LARGE
            } else if store_failed {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (status, ImportReport::default(), Some(message), location)
        }
    };
    if status.is_server_error() {
        eprintln!(
            "mizan serve: import of {answer_name}: {}",
            error.as_deref().unwrap_or("")
        );
    }
    Ok((
        status,
        Json(Answer {
            file: answer_name,
            read: true,
            report,
            error,
            line: location.map(|(l, _)| l),
            column: location.and_then(|(_, c)| c),
            rejections,
        }),
    )
        .into_response())
}
