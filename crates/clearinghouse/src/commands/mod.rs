//! One module per subcommand.

mod advisory;
mod cvss;
mod db;
mod eval;
mod inventory;
mod prioritize;
mod query;
pub(crate) mod scan;
mod version;

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use ch_advisory_db::{AdvisoryDb, DbError};
use ch_types::Ecosystem;

use crate::cli::{Cli, Command};
use crate::output::hinted;

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Db(cmd) => db::run(cli.db, quiet, cmd),
        Command::Query(args) => query::run(cli.db, args),
        Command::Advisory(cmd) => advisory::run(cli.db, cmd),
        Command::Version(cmd) => version::run(cmd),
        Command::Inventory(args) => inventory::run(quiet, args),
        Command::Scan(args) => scan::run(cli.db, quiet, args),
        Command::Cvss(args) => cvss::run(args),
        Command::Prioritize(args) => prioritize::run(cli.db, quiet, args),
        Command::Eval(cmd) => eval::run(quiet, cmd),
    }
}

/// Opens the database for reading, with a hint when it does not exist yet.
fn open_existing(path: &Path) -> Result<AdvisoryDb> {
    AdvisoryDb::open(path).map_err(|e| match e {
        DbError::Missing(p) => hinted(
            format!("no advisory database at `{}`", p.display()),
            "run `clearinghouse db sync PyPI` (or another ecosystem) or `clearinghouse db import PATH`",
        ),
        other => other.into(),
    })
}

/// Parses an ecosystem typed by a person.
fn parse_ecosystem(input: &str) -> Result<Ecosystem> {
    Ecosystem::parse_known(input).map_err(|e| {
        hinted(
            e.to_string(),
            "ecosystem names are those of the OSV schema, e.g. PyPI, npm, crates.io, Go, Maven, NuGet, RubyGems, Packagist, Debian:12, Alpine:v3.19",
        )
    })
}
