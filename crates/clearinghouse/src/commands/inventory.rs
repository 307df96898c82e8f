//! `clearinghouse inventory`: what the inputs name, without matching (like Syft).

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;
use ch_inventory::{Format as InputFormat, Package};
use ch_scan::{collect, CollectOptions, Collected};
use serde::Serialize;

use crate::cli::{Format, InputArgs, InventoryArgs};
use crate::output::{hinted, json, print, warn};

/// `inventory --format json`, schema `docs/schemas/inventory-v1.schema.json`.
#[derive(Serialize)]
struct InventoryOutput<'a> {
    schema_version: &'static str,
    inputs: Vec<InputOut<'a>>,
    packages: Vec<PackageOut<'a>>,
    warnings: &'a [String],
    errors: &'a [String],
}

#[derive(Serialize)]
pub(super) struct InputOut<'a> {
    file: &'a str,
    format: &'static str,
    packages: usize,
}

#[derive(Serialize)]
pub(super) struct PackageOut<'a> {
    ecosystem: Option<String>,
    name: &'a str,
    version: &'a str,
    purl: Option<&'a str>,
    source: SourceOut<'a>,
    direct: Option<bool>,
}

#[derive(Serialize)]
pub(super) struct SourceOut<'a> {
    pub(super) file: &'a str,
    pub(super) line: Option<u32>,
}

pub(super) fn inputs_out(collected: &Collected) -> Vec<InputOut<'_>> {
    collected
        .inputs
        .iter()
        .map(|i| InputOut {
            file: &i.file,
            format: i.format,
            packages: i.n_packages,
        })
        .collect()
}

/// Reads the inputs, printing warnings and errors to standard error.
pub(super) fn collect_inputs(input: &InputArgs) -> Result<Collected> {
    let force = match &input.as_format {
        None => None,
        Some(name) => Some(InputFormat::from_name(name).ok_or_else(|| {
            hinted(
                format!("--as `{name}` is not a format Clearinghouse reads"),
                format!(
                    "use one of: {}",
                    InputFormat::ALL
                        .iter()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?),
    };
    let collected = collect(
        &input.paths,
        &CollectOptions {
            force,
            gitignore: input.gitignore,
        },
    );
    for w in &collected.warnings {
        warn(w);
    }
    Ok(collected)
}

/// When every input failed: the errors, and exit code 2, with no empty report.
pub(super) fn nothing_read(collected: &Collected) -> Option<ExitCode> {
    if collected.inputs.is_empty() && !collected.errors.is_empty() {
        report_errors(collected)
    } else {
        None
    }
}

/// Prints each input error as an `error:` line; the exit code for them.
pub(super) fn report_errors(collected: &Collected) -> Option<ExitCode> {
    #[allow(clippy::print_stderr)]
    for e in &collected.errors {
        eprintln!("error: {e}");
    }
    (!collected.errors.is_empty()).then(|| ExitCode::from(2))
}

pub(crate) fn run(quiet: bool, args: InventoryArgs) -> Result<ExitCode> {
    let collected = collect_inputs(&args.input)?;
    if let Some(code) = nothing_read(&collected) {
        return Ok(code);
    }
    let text = match args.format {
        Format::Json => json(&InventoryOutput {
            schema_version: "1",
            inputs: inputs_out(&collected),
            packages: collected.packages.iter().map(package_out).collect(),
            warnings: &collected.warnings,
            errors: &collected.errors,
        })?,
        Format::Table => table(&collected),
    };
    print(&text)?;
    if !quiet && collected.inputs.is_empty() && collected.errors.is_empty() {
        warn("no inventory file found in the paths given");
    }
    Ok(report_errors(&collected).unwrap_or(ExitCode::SUCCESS))
}

fn package_out(p: &Package) -> PackageOut<'_> {
    PackageOut {
        ecosystem: p.ecosystem.as_ref().map(ToString::to_string),
        name: &p.name,
        version: &p.version,
        purl: p.purl.as_deref(),
        source: SourceOut {
            file: &p.source.file,
            line: p.source.line,
        },
        direct: p.direct,
    }
}

fn table(collected: &Collected) -> String {
    let rows: Vec<[String; 4]> = collected
        .packages
        .iter()
        .map(|p| {
            [
                p.ecosystem
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), ToString::to_string),
                p.name.clone(),
                p.version.clone(),
                match p.source.line {
                    Some(l) => format!("{}:{l}", p.source.file),
                    None => p.source.file.clone(),
                },
            ]
        })
        .collect();
    let mut out = crate::output::columns(&["ECOSYSTEM", "NAME", "VERSION", "SOURCE"], &rows);
    let _ = writeln!(
        out,
        "{} in {}",
        crate::output::count(collected.packages.len(), "package", "packages"),
        crate::output::count(collected.inputs.len(), "file", "files")
    );
    out
}
