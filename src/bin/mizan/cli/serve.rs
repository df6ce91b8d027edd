//! `mizan serve`: the TM over HTTP/JSON (see `crate::serve` for the routes and guarantees).
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;

use super::{Context, UsageError};
use crate::serve::{self, BoxStore, Pool, ServeOptions};
use mizan::tm::OpenMode;

/// Arguments of `mizan serve`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Routes: /api/health, /api/stats, /api/match, /api/concordance, /api/units, /api/analyze,\n/api/import, /api/export; tmserver clients (Weblate): /tmserver/{src}/{tgt}/unit/{text} and\n/tmserver/languages/. See the README's HTTP API section.\n\nExamples:\n  mizan serve --tm team.db --listen 0.0.0.0:8080\n  mizan serve --read-only                       # search only: every write is refused\n  mizan serve --token-file /etc/mizan/token     # writes need Authorization: Bearer <token>\n  curl -s 'http://127.0.0.1:8080/api/match?q=زيارة%20نادرة'"
)]
pub struct Args {
    /// Address and port to listen on (port 0: any free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    listen: String,
    /// Refuse every write (add, edit, delete, import).
    #[arg(long)]
    read_only: bool,
    /// A file holding the token that writes need (`Authorization: Bearer <token>`); reads stay open.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Stores answering requests in parallel, each on a thread of its own [default: the number
    /// of CPUs, at least 2; at most 16 on a TM file, 8 on PostgreSQL]. On a TM file they share
    /// one copy of the fuzzy index in memory (about 500 MB at a million units); on PostgreSQL
    /// each keeps its own copy of the TM and index.
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// Largest import upload, in MiB.
    #[arg(long, default_value_t = 512, value_name = "MIB")]
    max_import_mib: usize,
}

pub(super) fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    let workers = a.workers.unwrap_or_else(|| {
        // One per CPU: a worker takes the next request from the queue as soon as it is done, so
        // more would only take CPUs from each other mid-request (see `serve::Pool`); two at least,
        // so that a long import or export leaves one to answer queries.
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get()).max(2);
        match ctx.tm_path.to_str() {
            // Each worker holds a copy of the TM and its index.
            Some(url) if mizan::store::is_database_url(url) => cpus.min(8),
            _ => cpus.min(16),
        }
    });
    if workers == 0 || workers > 64 {
        return Err(UsageError("--workers must be between 1 and 64".into()).into());
    }
    if a.max_import_mib == 0 {
        return Err(UsageError("--max-import-mib must be at least 1".into()).into());
    }
    let token = match &a.token_file {
        None => None,
        Some(path) => {
            let t =
                std::fs::read_to_string(path).with_context(|| format!("reading the token file {}", path.display()))?;
            let t = t.trim().to_string();
            if t.is_empty() {
                anyhow::bail!("the token file {} is empty", path.display());
            }
            Some(t)
        }
    };
    let addr: std::net::SocketAddr = a.listen.parse().map_err(|e| {
        UsageError(format!(
            "--listen {}: {e} (write ADDR:PORT, e.g. 127.0.0.1:8080)",
            a.listen
        ))
    })?;
    let mode = if a.read_only {
        OpenMode::ReadOnly
    } else {
        OpenMode::Create
    };
    // Opened one after the other (the first may create the TM); the first loads the index
    // (seconds at a million units) and the others share it.
    let mut stores: Vec<BoxStore> = Vec::with_capacity(workers);
    for _ in 0..workers {
        stores.push(ctx.open_tm_with(mode, super::Mirror::InMemory)?);
    }
    let location = stores[0].location();
    let pool =
        Pool::prepared(stores).with_context(|| format!("loading the fuzzy index of {}", ctx.tm_path.display()))?;
    let opts = ServeOptions {
        read_only: a.read_only,
        token,
        max_import_bytes: a.max_import_mib << 20,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("mizan-serve")
        .build()
        .context("starting the server's runtime")?;
    let pool = Arc::new(pool);
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening on {addr}"))?;
        let bound = listener.local_addr().context("reading the bound address")?;
        eprintln!(
            "mizan serve: {location} on http://{bound}/ ({workers} workers{}{})",
            if opts.read_only { ", read-only" } else { "" },
            if opts.token.is_some() {
                ", writes need the token"
            } else {
                ""
            }
        );
        serve::serve(listener, Arc::clone(&pool), opts, location)
            .await
            .context("serving")
    });
    // The stores are dropped here, after the runtime, on this thread: a PostgreSQL client closes
    // its connection by blocking on its own runtime, which panics inside another runtime.
    drop(runtime);
    drop(pool);
    served?;
    Ok(ExitCode::SUCCESS)
}
