//! The `mizan` command: parse, run, map errors to exit codes (0 success, 1 runtime error or bad
//! input, 2 usage error). A closed pipe (`mizan … | head`) ends the run quietly with 0.
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = mizan::cli::Cli::parse();
    match mizan::cli::run(cli) {
        Ok(code) => code,
        Err(err) => mizan::cli::report_error(&err),
    }
}
