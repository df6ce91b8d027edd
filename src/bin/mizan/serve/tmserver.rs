//! The tmserver protocol under `/tmserver`, so that Weblate's "tmserver" machinery and
//! translate-toolkit's tmserver clients use mizan unchanged:
//!
//! - `GET /tmserver/{source_lang}/{target_lang}/unit/{text}` → `[{"source","target","quality","rank"}]`,
//!   best first; `quality` is the ranked score as an integer 0–100 and `target` the suggestion
//!   with the query's numbers substituted. Language codes come as clients write them: lower case,
//!   `_` for `-` (`ar`, `en_us`); a region falls back to the language as everywhere in mizan.
//!   `?min=` (default 75) and `?max_candidates=` (default 3, at most 100) as translate-toolkit's
//!   tmserver has them.
//! - `GET /tmserver/languages/` → `{"sourceLanguages":[…],"targetLanguages":[…]}`, the codes the
//!   TM holds, written the same way.

use std::collections::BTreeSet;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::{query, ApiError, Shared};
use mizan::tm::rank::Penalties;
use mizan::tm::suggest::MatchOptions;
use mizan::tm::LangTag;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/languages/", get(languages))
        .route("/languages", get(languages))
        .route("/{source}/{target}/unit/{*text}", get(unit))
}

/// One suggestion as tmserver clients read it.
#[derive(Debug, Serialize)]
struct Candidate {
    source: String,
    target: String,
    quality: u8,
    rank: f64,
}

#[derive(Debug, Deserialize)]
struct Params {
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max_candidates: Option<usize>,
}

/// A client's language code (`en_us`) as a tag (`en-us`).
fn tag(code: &str) -> Result<LangTag, ApiError> {
    LangTag::parse(&code.replace('_', "-")).map_err(|e| ApiError::bad_request(format!("language code {code:?}: {e}")))
}

/// A tag as tmserver clients write codes: lower case, `_` for `-`.
fn code(tag: &str) -> String {
    tag.to_ascii_lowercase().replace('-', "_")
}

async fn unit(
    State(s): State<Shared>,
    Path((source, target, text)): Path<(String, String, String)>,
    params: Result<Query<Params>, QueryRejection>,
) -> Result<Json<Vec<Candidate>>, ApiError> {
    let p = query(params)?;
    let pair = (tag(&source)?, tag(&target)?);
    let min = p.min.unwrap_or(75.0);
    if !(0.0..=100.0).contains(&min) {
        return Err(ApiError::bad_request("min must be between 0 and 100"));
    }
    let top = p.max_candidates.unwrap_or(3);
    if top == 0 || top > 100 {
        return Err(ApiError::bad_request("max_candidates must be between 1 and 100"));
    }
    if text.trim().is_empty() {
        return Ok(Json(Vec::new()));
    }
    if text.len() > 16 << 10 {
        return Err(ApiError::bad_request("the text is longer than 16 KiB"));
    }
    let opts = MatchOptions {
        min,
        top,
        exhaustive: false,
        penalties: Penalties::default(),
    };
    let found = s
        .pool
        .run(move |store| {
            let saved = store.language_pair().map(|(a, b)| (a.clone(), b.clone()));
            store.set_language_pair(Some(pair));
            let found = store.suggest(&text, &opts);
            store.set_language_pair(saved);
            Ok(found?)
        })
        .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|f| Candidate {
                source: f.unit.source,
                target: f.suggestion,
                // Rounded down: a 99.6 must not read as an exact match.
                quality: f.score.floor().clamp(0.0, 100.0) as u8,
                rank: f.score,
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Languages {
    source_languages: Vec<String>,
    target_languages: Vec<String>,
}

async fn languages(State(s): State<Shared>) -> Result<Json<Languages>, ApiError> {
    let stats = s.pool.run(|store| Ok(store.stats()?)).await?;
    let mut sources = BTreeSet::new();
    let mut targets = BTreeSet::new();
    for p in &stats.language_pairs {
        sources.insert(code(&p.source));
        targets.insert(code(&p.target));
    }
    Ok(Json(Languages {
        source_languages: sources.into_iter().collect(),
        target_languages: targets.into_iter().collect(),
    }))
}
