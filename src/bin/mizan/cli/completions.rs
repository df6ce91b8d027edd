//! `mizan completions` and `mizan man`: a shell completion script and the man page, generated from
//! the same clap definitions as the parser, so they can never disagree with it.
use std::process::ExitCode;

use clap::CommandFactory;

use super::Cli;

/// Arguments of `mizan completions`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan completions bash > ~/.local/share/bash-completion/completions/mizan\n  mizan completions zsh > ~/.zfunc/_mizan\n  mizan completions fish > ~/.config/fish/completions/mizan.fish"
)]
pub struct Args {
    /// The shell.
    shell: clap_complete::Shell,
}

pub(super) fn run(a: Args) -> anyhow::Result<ExitCode> {
    let mut cmd = Cli::command();
    clap_complete::generate(a.shell, &mut cmd, "mizan", &mut std::io::stdout().lock());
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `mizan man`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  mizan man | man -l -\n  mizan man match | man -l -\n  mizan man > /usr/local/share/man/man1/mizan.1"
)]
pub struct ManArgs {
    /// A subcommand, for its own page (mizan-COMMAND(1)); without it, mizan(1).
    command: Option<String>,
}

pub(super) fn run_man(a: ManArgs) -> anyhow::Result<ExitCode> {
    let mut cmd = Cli::command();
    cmd.build();
    let page = match &a.command {
        None => cmd,
        Some(name) => {
            let sub = cmd
                .find_subcommand(name)
                .ok_or_else(|| super::UsageError(format!("no subcommand {name}: see `mizan --help`")))?;
            // The process ends after printing the page: leaking one short name is harmless.
            let sub_name: &'static str = Box::leak(format!("mizan-{}", sub.get_name()).into_boxed_str());
            sub.clone().name(sub_name)
        }
    };
    clap_mangen::Man::new(page).render(&mut std::io::stdout().lock())?;
    Ok(ExitCode::SUCCESS)
}
