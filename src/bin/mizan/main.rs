//! The `mizan` command: parse, run, map errors to exit codes (0 success, 1 runtime error or bad
//! input, 2 usage error). A closed pipe (`mizan … | head`) ends the run quietly with 0.
use std::process::ExitCode;

use clap::Parser;

mod cli;
mod serve;

/// mimalloc instead of the system allocator: imports allocate a few strings per unit on the
/// parsing thread and free them on the writing one, where glibc's malloc spent ~15% of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(err) => cli::report_error(&err),
    }
}
