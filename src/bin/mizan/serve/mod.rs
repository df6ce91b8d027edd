//! `mizan serve`: the TM over HTTP/JSON for scripts, CAT tools and tmserver clients (Weblate,
//! translate-toolkit), over any [`Store`].
//!
//! How it holds together:
//! - **A pool of stores.** Each slot is a store of its own (for SQLite, its own connection), so
//!   queries run in parallel on the blocking threads, never on the async ones. A request waits for
//!   a free slot (a semaphore with one permit per slot). The SQLite slots share one loaded fuzzy
//!   index ([`mizan::tm::SharedIndex`]): memory for one copy, whatever the number of workers.
//! - **Always current.** A store answers queries correctly whatever another slot or process wrote
//!   (the SQLite store stops using a loaded index once another connection committed; see
//!   [`Store::prepare_for_queries`]). A background task calls `prepare_for_queries` on idle slots so
//!   the speed comes back after writes; reloading never holds every slot at once.
//! - **Bad input is the client's.** Every refusal is a JSON `{"error": …}` with a 4xx status; a 5xx
//!   means the store failed.
//! - **Writes are guarded.** `--read-only` refuses every write route (405 with a JSON error); with
//!   `--token-file`, a write needs `Authorization: Bearer <token>` (reads stay open, as tmserver
//!   clients send no token).
//! - **Graceful.** SIGTERM or Ctrl-C stops accepting connections and lets in-flight requests
//!   (an import in its transaction) finish.

mod api;
mod import;
mod tmserver;
mod web;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tokio::sync::Semaphore;

use mizan::store::Store;
use mizan::tm::SharedIndex;

/// A store of the pool.
pub type BoxStore = Box<dyn Store + Send>;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Refuse every write.
    pub read_only: bool,
    /// The bearer token writes need, if any.
    pub token: Option<String>,
    /// Largest request body of an import, in bytes.
    pub max_import_bytes: usize,
}

/// Largest body of a JSON request (match batches, analyze documents, units).
const MAX_JSON_BYTES: usize = 8 << 20;

/// The stores requests run on.
pub struct Pool {
    slots: Vec<Mutex<BoxStore>>,
    permits: Arc<Semaphore>,
    /// Set by a write; the refresher then prepares every slot again.
    written: AtomicBool,
    /// The fuzzy index the slots share (a TM file: one copy in memory, not one per worker).
    shared: Mutex<Option<SharedIndex>>,
}

impl Pool {
    /// A pool over these stores (at least one), prepared for queries: the first loads the
    /// index, the others share it where the backend can ([`Store::prepare_for_queries_shared`]).
    ///
    /// # Errors
    /// No store, or the first store error.
    pub fn prepared(mut stores: Vec<BoxStore>) -> anyhow::Result<Pool> {
        let mut shared = None;
        let Some((first, rest)) = stores.split_first_mut() else {
            anyhow::bail!("a pool needs at least one store");
        };
        first.prepare_for_queries_shared(&mut shared)?;
        // The others at once: sharing takes no time, and a store that cannot share (PostgreSQL:
        // each fills its own copy) loads on its own thread.
        std::thread::scope(|scope| {
            let handles: Vec<_> = rest
                .iter_mut()
                .map(|store| {
                    let mut mine = shared.clone();
                    scope.spawn(move || store.prepare_for_queries_shared(&mut mine))
                })
                .collect();
            handles
                .into_iter()
                .try_for_each(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
        })?;
        let n = stores.len();
        Ok(Pool {
            slots: stores.into_iter().map(Mutex::new).collect(),
            permits: Arc::new(Semaphore::new(n)),
            written: AtomicBool::new(false),
            shared: Mutex::new(shared),
        })
    }

    /// Runs `f` on a free store, on a blocking thread.
    async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, ApiError> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| ApiError::unavailable("shutting down"))?;
        let pool = Arc::clone(self);
        let out = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut slot = pool.free_slot();
            f(slot.as_mut())
        })
        .await
        .map_err(|e| ApiError::internal(format!("the request's worker stopped: {e}")))?;
        out
    }

    /// Runs a write on a free store and marks the pool for refreshing.
    async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, ApiError> + Send + 'static,
    {
        let out = self.run(f).await;
        self.written.store(true, Ordering::Release);
        out
    }

    /// A slot nobody holds. The caller holds a permit, so one is free; a slot whose holder
    /// panicked is still usable (the store rolled back its transaction when dropped).
    fn free_slot(&self) -> std::sync::MutexGuard<'_, BoxStore> {
        loop {
            for slot in &self.slots {
                match slot.try_lock() {
                    Ok(g) => return g,
                    Err(std::sync::TryLockError::Poisoned(p)) => return p.into_inner(),
                    Err(std::sync::TryLockError::WouldBlock) => {}
                }
            }
            std::thread::yield_now();
        }
    }

    /// Prepares each slot for queries again, one at a time and only when it is free, so that a
    /// slow reload (seconds at a million units) never holds every slot.
    async fn refresh(self: &Arc<Self>) {
        for i in 0..self.slots.len() {
            let Ok(permit) = Arc::clone(&self.permits).acquire_owned().await else {
                return;
            };
            let pool = Arc::clone(self);
            let _ = tokio::task::spawn_blocking(move || {
                let _permit = permit;
                let mut slot = match pool.slots[i].lock() {
                    Ok(g) => g,
                    Err(p) => p.into_inner(),
                };
                let mut shared = pool.shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if let Err(e) = slot.prepare_for_queries_shared(&mut shared) {
                    eprintln!("mizan serve: preparing {} for queries: {e}", slot.location());
                }
            })
            .await;
        }
    }
}

/// What every handler gets.
pub(crate) struct AppState {
    pool: Arc<Pool>,
    opts: ServeOptions,
    location: String,
}

type Shared = Arc<AppState>;

/// A refusal or failure, as JSON `{"error": message}` with its status.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }
    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
    pub(crate) fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
    pub(crate) fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }
}

/// A library error: the client's fault when it is about the input, else the store's.
impl From<mizan::Error> for ApiError {
    fn from(e: mizan::Error) -> ApiError {
        use mizan::Error as E;
        match &e {
            E::Unit(_) | E::Format(_) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
            E::Tm(tm) if tm.is_locked() => ApiError::unavailable(e.to_string()),
            E::Tm(mizan::tm::TmError::NoSuchUnit(_)) => ApiError::not_found(e.to_string()),
            _ => ApiError::internal(e.to_string()),
        }
    }
}

impl From<mizan::tm::TmError> for ApiError {
    fn from(e: mizan::tm::TmError) -> ApiError {
        mizan::Error::from(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            eprintln!("mizan serve: {}", self.message);
        }
        (self.status, Json(serde_json::json!({ "error": self.message }))).into_response()
    }
}

/// A JSON body, with a JSON refusal when it is not one.
pub(crate) fn body<T>(r: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    r.map(|Json(t)| t)
        .map_err(|e| ApiError::new(e.status(), format!("bad JSON body: {}", e.body_text())))
}

/// A query string, with a JSON refusal when it does not parse.
pub(crate) fn query<T>(r: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    r.map(|Query(t)| t)
        .map_err(|e| ApiError::bad_request(format!("bad query string: {}", e.body_text())))
}

/// The routes, with their guards and limits.
pub fn router(pool: Arc<Pool>, opts: ServeOptions, location: String) -> Router {
    let max_import = opts.max_import_bytes;
    let state: Shared = Arc::new(AppState { pool, opts, location });
    let api = api::routes(max_import).layer(DefaultBodyLimit::max(MAX_JSON_BYTES));
    Router::new()
        .route("/api/health", get(api::health))
        .merge(api)
        .nest("/tmserver", tmserver::routes())
        .merge(web::routes())
        .fallback(|| async { ApiError::not_found("no such route; see the README's HTTP API section") })
        .layer(middleware::from_fn_with_state(Arc::clone(&state), guard))
        .layer(middleware::from_fn(json_errors))
        .with_state(state)
}

/// Refusals made by the framework itself (a path that does not parse, a body over the limit, a
/// method the route has not) are plain text: they become `{"error": …}` like every other.
async fn json_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, 64 << 10).await {
        Ok(b) if !b.is_empty() => String::from_utf8_lossy(&b).into_owned(),
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    let mut r = ApiError::new(status, text).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            r.headers_mut().insert(name, value.clone());
        }
    }
    r
}

/// Refuses writes on a read-only server and writes without the token.
async fn guard(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let write =
        !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) && !is_read_post(req.uri().path());
    if write {
        if state.opts.read_only {
            return ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "this server is read-only (--read-only)")
                .into_response();
        }
        if let Some(token) = &state.opts.token {
            if !bearer_matches(req.headers(), token) {
                let mut r = ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "this server needs a token for writes: send Authorization: Bearer <token>",
                )
                .into_response();
                r.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
                return r;
            }
        }
    }
    next.run(req).await
}

/// POST routes that only read (a body too large for a URL: a batch of queries, an article).
fn is_read_post(path: &str) -> bool {
    matches!(path, "/api/match" | "/api/analyze" | "/api/align" | "/api/pretranslate")
}

/// Whether the request carries the bearer token, compared in constant time.
fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let (a, b) = (given.trim().as_bytes(), token.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Serves until SIGTERM or Ctrl-C; in-flight requests finish first.
///
/// # Errors
/// The address cannot be bound, or the server fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    pool: Arc<Pool>,
    opts: ServeOptions,
    location: String,
) -> std::io::Result<()> {
    let refresher = {
        let pool = Arc::clone(&pool);
        tokio::spawn(async move {
            // Writes through this server mark the pool; writes by other processes are seen
            // by the stores themselves, and a periodic pass gets the speed back after them.
            let mut last_pass = Instant::now();
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let written = pool.written.swap(false, Ordering::AcqRel);
                if written || last_pass.elapsed() >= Duration::from_secs(10) {
                    let started = Instant::now();
                    pool.refresh().await;
                    // Reloading may take seconds at a million units: never spend more than about
                    // a fifth of the time on it.
                    let took = started.elapsed();
                    tokio::time::sleep(took * 4).await;
                    last_pass = Instant::now();
                }
            }
        })
    };
    let app = router(pool, opts, location);
    let result = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await;
    refresher.abort();
    result
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    eprintln!("mizan serve: stopping; letting requests in flight finish");
}
