//! `clearinghouse`: the one binary. Subcommands are thin: they resolve settings,
//! call a library crate, and print. This file owns the only mapping from errors to
//! exit codes:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (also when standard output is closed early, e.g. by `head`) |
//! | 1 | reserved for "findings at or above the threshold" (`scan`) |
//! | 2 | any error: bad input, bad arguments, missing or corrupt database, network |

mod cli;
mod commands;
mod output;
mod settings;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            if output::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {e:#}");
                if let Some(hint) = e.downcast_ref::<output::Hinted>().map(|h| &h.hint) {
                    eprintln!("hint: {hint}");
                }
            }
            ExitCode::from(2)
        }
    }
}
