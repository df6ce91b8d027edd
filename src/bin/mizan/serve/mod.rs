//! `mizan serve`: the TM over HTTP/JSON for scripts, CAT tools and tmserver clients (Weblate,
//! translate-toolkit), over any [`Store`].
//!
//! How it holds together:
//! - **A pool of stores.** Each worker thread owns a store (for SQLite, its own connection), so
//!   queries run in parallel on those threads, never on the async ones. Requests wait in one
//!   queue, first come first served ([`Pool`]). The SQLite stores share one loaded fuzzy index
//!   ([`mizan::tm::SharedIndex`]): memory for one copy, whatever the number of workers.
//! - **Always current.** A store answers queries correctly whatever another worker or process wrote
//!   (the SQLite store stops using a loaded index once another connection committed; see
//!   [`Store::prepare_for_queries`]). A background task has the workers call
//!   `prepare_for_queries` one at a time so the speed comes back after writes; reloading never
//!   holds every store at once.
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

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

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

/// A request's work, run by a worker on its store.
type Job = Box<dyn FnOnce(&mut dyn Store) + Send>;

/// The stores requests run on: one worker thread per store, taking requests from one queue in
/// the order they came.
///
/// Why threads of its own rather than tokio's blocking pool behind a semaphore: a worker that
/// finishes a request takes the next one from the queue at once, on its own thread. Behind a
/// semaphore, the next request could start only once an async thread had run its task again and
/// handed it to a blocking thread: two thread switches per request, during which the store was
/// idle, so that it took twice as many workers as CPUs to keep the CPUs busy, and the extra
/// workers took the CPUs from each other in the middle of requests (measured at 10⁶ units, 64
/// clients: see the README's Concurrency paragraph).
pub struct Pool {
    queue: Arc<Queue>,
    workers: Vec<std::thread::JoinHandle<()>>,
    /// Set by a write; the refresher then prepares every store again.
    written: AtomicBool,
}

/// What the workers wait on.
struct Queue {
    state: Mutex<QueueState>,
    ready: Condvar,
    /// The fuzzy index the stores share (a TM file: one copy in memory, not one per worker).
    shared: Mutex<Option<SharedIndex>>,
}

struct QueueState {
    jobs: VecDeque<Job>,
    /// Per worker: a refresh asked of it (it goes before any request), with whom to tell when done.
    refresh: Vec<Option<tokio::sync::oneshot::Sender<()>>>,
    /// No more jobs will come: a worker that finds the queue empty stops.
    closed: bool,
}

/// What a worker does next.
enum Task {
    Job(Job),
    Refresh(tokio::sync::oneshot::Sender<()>),
}

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        // A worker never panics while holding the lock (jobs run outside it).
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The next task of worker `i`, or `None` once the queue is closed and empty.
    fn next(&self, i: usize) -> Option<Task> {
        let mut q = self.lock();
        loop {
            if let Some(done) = q.refresh[i].take() {
                return Some(Task::Refresh(done));
            }
            if let Some(job) = q.jobs.pop_front() {
                return Some(Task::Job(job));
            }
            if q.closed {
                return None;
            }
            q = self.ready.wait(q).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    /// Worker `i`'s loop: its tasks, on its store, until the queue closes.
    fn work(&self, i: usize, mut store: BoxStore) {
        while let Some(task) = self.next(i) {
            match task {
                Task::Job(job) => {
                    // A panic fails its request only (its answer channel is dropped: a 500), and
                    // the store stays usable: it rolled back any transaction when unwinding.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(store.as_mut())));
                }
                Task::Refresh(done) => {
                    // Caught too: a worker that died would leave its share of the queue unserved.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let mut shared = self.shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                        if let Err(e) = store.prepare_for_queries_shared(&mut shared) {
                            eprintln!("mizan serve: preparing {} for queries: {e}", store.location());
                        }
                    }));
                    let _ = done.send(());
                }
            }
        }
    }
}

impl Pool {
    /// A pool over these stores (at least one), prepared for queries: the first loads the
    /// index, the others share it where the backend can ([`Store::prepare_for_queries_shared`]).
    ///
    /// # Errors
    /// No store, the first store error, or a worker thread that cannot be started.
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
        let queue = Arc::new(Queue {
            state: Mutex::new(QueueState {
                jobs: VecDeque::new(),
                refresh: stores.iter().map(|_| None).collect(),
                closed: false,
            }),
            ready: Condvar::new(),
            shared: Mutex::new(shared),
        });
        let mut pool = Pool {
            queue: Arc::clone(&queue),
            workers: Vec::with_capacity(stores.len()),
            written: AtomicBool::new(false),
        };
        for (i, store) in stores.into_iter().enumerate() {
            let queue = Arc::clone(&queue);
            let worker = std::thread::Builder::new()
                .name(format!("mizan-worker-{i}"))
                .spawn(move || queue.work(i, store))?;
            // On an error, dropping `pool` stops the workers started so far.
            pool.workers.push(worker);
        }
        Ok(pool)
    }

    /// Runs `f` on a worker's store, after the requests queued before it.
    async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, ApiError> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |store| {
            // The client went away while the request waited: nobody is left to answer.
            if !tx.is_closed() {
                let _ = tx.send(f(store));
            }
        });
        {
            let mut q = self.queue.lock();
            if q.closed {
                return Err(ApiError::unavailable("shutting down"));
            }
            q.jobs.push_back(job);
        }
        self.queue.ready.notify_one();
        rx.await
            .map_err(|_| ApiError::internal("the request's worker stopped (see the server's log)"))?
    }

    /// Runs a write on a worker's store and marks the pool for refreshing.
    async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, ApiError> + Send + 'static,
    {
        let out = self.run(f).await;
        self.written.store(true, Ordering::Release);
        out
    }

    /// Prepares each store for queries again, one worker at a time (the others go on answering),
    /// so that a slow reload (seconds at a million units) never holds every store.
    async fn refresh(self: &Arc<Self>) {
        for i in 0..self.workers.len() {
            let (tx, rx) = tokio::sync::oneshot::channel();
            self.queue.lock().refresh[i] = Some(tx);
            // Every worker wakes to see whether the refresh is its own.
            self.queue.ready.notify_all();
            if rx.await.is_err() {
                return;
            }
        }
    }
}

impl Drop for Pool {
    /// Stops the workers once they have run every queued request; each drops its store on its
    /// own thread (outside any async runtime, which a PostgreSQL client needs to close).
    fn drop(&mut self) {
        self.queue.lock().closed = true;
        self.queue.ready.notify_all();
        for w in self.workers.drain(..) {
            let _ = w.join();
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
