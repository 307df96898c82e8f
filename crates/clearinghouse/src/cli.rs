//! Command-line definitions (clap). No logic lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The environment variable naming the advisory database file.
pub(crate) const DB_ENV: &str = "CLEARINGHOUSE_DB";
/// The environment variable naming the sync base URL.
pub(crate) const SYNC_URL_ENV: &str = "CLEARINGHOUSE_SYNC_URL";

/// Clearinghouse: exact vulnerability discovery and coordination.
#[derive(Debug, Parser)]
#[command(name = "clearinghouse", version, about, long_about = None, max_term_width = 100)]
pub(crate) struct Cli {
    /// The advisory database file [default: $XDG_DATA_HOME/clearinghouse/advisories.db,
    /// else ~/.local/share/clearinghouse/advisories.db]
    #[arg(long, global = true, env = DB_ENV, value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,

    /// Print less on standard error.
    #[arg(long, short, global = true)]
    pub(crate) quiet: bool,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Manage the local advisory database.
    #[command(subcommand)]
    Db(DbCommand),
    /// List the vulnerabilities affecting one package version.
    Query(QueryArgs),
    /// Show advisories by id or alias.
    #[command(subcommand)]
    Advisory(AdvisoryCommand),
    /// Compare and sort versions the way an ecosystem does.
    #[command(subcommand)]
    Version(VersionCommand),
    /// List the packages SBOMs, lockfiles and folders name, without matching.
    Inventory(InventoryArgs),
    /// Find the known vulnerabilities in SBOMs, lockfiles and folders.
    ///
    /// Exit code: 0 nothing found, 1 findings, 2 an input or the database failed
    /// (the other inputs are still scanned and reported).
    Scan(ScanArgs),
    /// Score CVSS vectors (v2.0, v3.0, v3.1, v4.0): one JSON object per vector.
    ///
    /// Output: one JSON line per vector (schema: docs/schemas/cvss-v1.schema.json).
    /// Exit code 2 when a vector is malformed (with --batch: after every line is answered).
    Cvss(CvssArgs),
    /// Order a scan's findings into a worklist for one system: SSVC decision, the
    /// directive deadline and why, KEV, EPSS, CVSS (docs/prioritisation.md).
    Prioritize(PrioritizeArgs),
    /// Cyber-capability evaluations of AI models (docs/evaluation.md).
    #[command(subcommand)]
    Eval(EvalCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum EvalCommand {
    /// Read and check a suite folder: manifest, every task, markings, content hashes.
    Check(EvalCheckArgs),
}

#[derive(Debug, Args)]
pub(crate) struct EvalCheckArgs {
    /// The suite folder (holding suite.toml).
    #[arg(value_name = "SUITE")]
    pub(crate) suite: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
    /// Check the suite's files only; do not run the reference solutions in the sandbox.
    #[arg(long)]
    pub(crate) static_only: bool,
}

#[derive(Debug, Args)]
pub(crate) struct PrioritizeArgs {
    /// A `clearinghouse scan --format json` report.
    #[arg(value_name = "SCAN_JSON")]
    pub(crate) scan: PathBuf,
    /// The system description (TOML, docs/prioritisation.md); or describe it with the
    /// flags below.
    #[arg(long, value_name = "FILE",
          conflicts_with_all = ["category", "publicly_exposed", "mission_prevalence", "public_well_being", "high_value_asset"])]
    pub(crate) system: Option<PathBuf>,
    /// national_security_system, department_of_war, civilian_federal or other.
    #[arg(long)]
    pub(crate) category: Option<String>,
    /// yes or no: reachable by unauthenticated or untrusted parties over public networks.
    #[arg(long, value_name = "YES|NO")]
    pub(crate) publicly_exposed: Option<String>,
    /// minimal, support or essential.
    #[arg(long)]
    pub(crate) mission_prevalence: Option<String>,
    /// minimal, material or irreversible.
    #[arg(long)]
    pub(crate) public_well_being: Option<String>,
    /// The system is a high-value asset.
    #[arg(long)]
    pub(crate) high_value_asset: bool,
    /// When the findings were detected (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    pub(crate) detected: Option<String>,
    /// A folder of policy files to use instead of the shipped ones (`policies/`).
    #[arg(long, value_name = "DIR")]
    pub(crate) policies: Option<PathBuf>,
    /// An earlier `prioritize --format json` worklist: say, for each finding, what
    /// changed since (inputs, SSVC decision, deadline), and which findings are gone.
    #[arg(long, value_name = "FILE")]
    pub(crate) previous: Option<PathBuf>,
    /// Output format (JSON schema: docs/schemas/prioritize-v1.schema.json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
    /// Write the worklist to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct CvssArgs {
    /// Vectors, e.g. `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`, `CVSS:4.0/…`, or
    /// a v2 vector as NVD writes it (`AV:N/AC:L/Au:N/C:P/I:P/A:P`).
    #[arg(required_unless_present = "batch", value_name = "VECTOR")]
    pub(crate) vectors: Vec<String>,
    /// Read vectors from standard input, one per line, and answer each line in order
    /// (an `{"error": …}` line for a malformed one).
    #[arg(long, conflicts_with = "vectors")]
    pub(crate) batch: bool,
}

#[derive(Debug, Args)]
pub(crate) struct InputArgs {
    /// Files (recognised by name: Cargo.lock, package-lock.json, requirements.txt,
    /// go.mod, bom.json, *.cdx.json, *.spdx.json, …) and folders to walk.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// Read every named file as this format, whatever its name (`cyclonedx`, `spdx`,
    /// `Cargo.lock`, `package-lock.json`, `requirements.txt`, `go.mod`, …).
    #[arg(long = "as", value_name = "FORMAT")]
    pub(crate) as_format: Option<String>,
    /// In folders, skip what `.gitignore` files exclude.
    #[arg(long)]
    pub(crate) gitignore: bool,
}

#[derive(Debug, Args)]
pub(crate) struct InventoryArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Output format (JSON schema: docs/schemas/inventory-v1.schema.json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ScanFormat {
    /// For people: findings grouped by vulnerability.
    Table,
    /// For programs (schema in docs/schemas/scan-v1.schema.json).
    Json,
    /// SARIF 2.1.0, for code-scanning services (rules per advisory, results at the lockfile line).
    Sarif,
    /// CycloneDX 1.6 with a vulnerabilities section (a VDR).
    Cyclonedx,
    /// Markdown, for pull-request comments.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Colour {
    /// On a terminal, unless NO_COLOR is set or TERM is `dumb`.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Any,
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Table)]
    pub(crate) format: ScanFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Exit 1 only for open findings rated at or above this severity (the highest CVSS
    /// score their advisories give): `any`, `low`, `medium`, `high`, `critical`.
    /// Findings no advisory rates count as reaching any threshold.
    #[arg(long, value_enum, default_value_t = FailOn::Any, value_name = "SEVERITY")]
    pub(crate) fail_on: FailOn,
    /// Let findings that no advisory rates pass `--fail-on` (they are still reported).
    #[arg(long)]
    pub(crate) ignore_unrated: bool,
    /// Ignores (`[[ignore]]` with `id`, `reason`, optional `expires`, `ecosystem`,
    /// `package`) [default: ./clearinghouse.toml when it exists].
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// VEX documents (OpenVEX or CycloneDX) whose `not_affected` and `fixed`
    /// statements suppress findings; repeat for several.
    #[arg(long, value_name = "FILE")]
    pub(crate) vex: Vec<PathBuf>,
    /// Colour in the table: `auto` (on a terminal, unless NO_COLOR is set),
    /// `always`, `never`.
    #[arg(long, value_enum, default_value_t = Colour::Auto, value_name = "WHEN")]
    pub(crate) color: Colour,
    /// Use no network: fail when the database is missing or lacks an ecosystem
    /// the inputs need, instead of downloading it.
    #[arg(long)]
    pub(crate) offline: bool,
    /// Where to download missing ecosystems from.
    #[arg(long, env = SYNC_URL_ENV, value_name = "URL",
          default_value = "https://osv-vulnerabilities.storage.googleapis.com")]
    pub(crate) base_url: String,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DbCommand {
    /// Import OSV records: export zips (`<Ecosystem>/all.zip`), folders of JSON files, JSON files.
    Import(ImportArgs),
    /// Download OSV exports and import them (incrementally where the source allows).
    Sync(SyncArgs),
    /// Counts per ecosystem and the age of the data.
    Stats(StatsArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// Zips, folders or JSON files.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// List every skipped record and warning (default: the first 20).
    #[arg(long)]
    pub(crate) verbose: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// Ecosystems to sync, as the source names its folders (`PyPI`, `crates.io`, `Go`, …),
    /// and threat data: `KEV`, `EPSS`, `Vulnrichment` [default: those synced before].
    #[arg(value_name = "ECOSYSTEM")]
    pub(crate) ecosystems: Vec<String>,
    /// Sync every ecosystem the source lists in its `ecosystems.txt`.
    #[arg(long, conflicts_with = "ecosystems")]
    pub(crate) all: bool,
    /// Download the whole export even when an incremental update is possible.
    #[arg(long)]
    pub(crate) full: bool,
    /// Where the exports live.
    #[arg(long, env = SYNC_URL_ENV, value_name = "URL",
          default_value = "https://osv-vulnerabilities.storage.googleapis.com")]
    pub(crate) base_url: String,
    /// Where `KEV` is downloaded from (CISA's catalog JSON).
    #[arg(
        long,
        env = "CLEARINGHOUSE_KEV_URL",
        value_name = "URL",
        default_value = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
    )]
    pub(crate) kev_url: String,
    /// Where `EPSS` is downloaded from (a scores CSV, gzipped or not).
    #[arg(
        long,
        env = "CLEARINGHOUSE_EPSS_URL",
        value_name = "URL",
        default_value = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"
    )]
    pub(crate) epss_url: String,
    /// Where `Vulnrichment` is downloaded from (a zip of CVE JSON 5 records, such as
    /// the repository's archive).
    #[arg(
        long,
        env = "CLEARINGHOUSE_VULNRICHMENT_URL",
        value_name = "URL",
        default_value = "https://github.com/cisagov/vulnrichment/archive/refs/heads/develop.zip"
    )]
    pub(crate) vulnrichment_url: String,
}

#[derive(Debug, Args)]
pub(crate) struct StatsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// For people.
    Table,
    /// For programs (schema in docs/schemas/).
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct QueryArgs {
    /// The ecosystem (`PyPI`, `npm`, `crates.io`, `Go`, `Maven`, `Debian:12`, …).
    #[arg(required_unless_present = "purl", requires_all = ["name", "version"])]
    pub(crate) ecosystem: Option<String>,
    /// The package name.
    pub(crate) name: Option<String>,
    /// The version.
    pub(crate) version: Option<String>,
    /// A package URL with a version instead (`pkg:pypi/jinja2@2.4.1`).
    #[arg(long, conflicts_with = "ecosystem")]
    pub(crate) purl: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AdvisoryCommand {
    /// Print the stored OSV record(s) with this id, or that list it as an alias.
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// An advisory id (`PYSEC-2021-66`) or alias (`CVE-2021-29510`, `GHSA-…`).
    pub(crate) id: String,
    /// Output format: a summary for people, or the records as JSON.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

#[derive(Debug, Subcommand)]
pub(crate) enum VersionCommand {
    /// Print `<`, `=` or `>`: how A compares with B.
    Cmp(CmpArgs),
    /// Sort versions read one per line from standard input.
    Sort(SortArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CmpArgs {
    /// The ecosystem whose ordering to use.
    pub(crate) ecosystem: String,
    /// First version (omit with --batch).
    #[arg(required_unless_present = "batch")]
    pub(crate) a: Option<String>,
    /// Second version (omit with --batch).
    #[arg(required_unless_present = "batch")]
    pub(crate) b: Option<String>,
    /// Read `A<TAB>B` lines from standard input; print one `<`, `=`, `>` per line, or `!`
    /// (and a message on standard error) for a line that cannot be compared.
    #[arg(long, conflicts_with_all = ["a", "b"])]
    pub(crate) batch: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SortArgs {
    /// The ecosystem whose ordering to use.
    pub(crate) ecosystem: String,
    /// Largest first.
    #[arg(long, short)]
    pub(crate) reverse: bool,
}
