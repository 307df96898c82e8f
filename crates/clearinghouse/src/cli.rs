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
    /// Check a suite: manifest, tasks, markings, hashes; and run every reference
    /// solution in the sandbox to prove the suite solvable.
    ///
    /// Exit code: 0 solvable, 1 a reference solution failed, 2 a malformed suite.
    Check(EvalCheckArgs),
    /// Run a suite against a model and write a signed, marked result file.
    ///
    /// Samples run in the sandbox, several at once; each is appended to RESULT.partial
    /// as it finishes, so an interrupted run resumes when the same command is given
    /// again. On completion the summary and signature are added and the file is
    /// renamed to RESULT.
    Run(Box<EvalRunArgs>),
    /// Check a result file: structure, markings, that the summary is what the samples
    /// give, the digest and the signature (and the signer, with --public-key).
    ///
    /// Exit code: 0 verified, 2 not verified (the reason is printed).
    Verify(EvalVerifyArgs),
    /// Summarise a verified result file (or compare two): scores per category and task
    /// with 95% intervals, and the capability profile as a chart.
    Report(EvalReportArgs),
    /// Make a new ed25519 signing key (PKCS#8 PEM, mode 0600) and print its public key.
    Keygen(EvalKeygenArgs),
    /// Import a public benchmark format as a new suite folder.
    #[command(subcommand)]
    Import(EvalImportCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum EvalImportCommand {
    /// Cybench tasks (folders with metadata/metadata.json): init scripts run in the
    /// sandbox; tasks that need their own network service are skipped and listed.
    Cybench(EvalImportCybenchArgs),
    /// A multiple-choice dataset: Inspect-style JSON Lines or JSON records
    /// ({input, choices, target}), or CyberMetric's {"questions": [...]}.
    Mcq(EvalImportMcqArgs),
}

#[derive(Debug, Args)]
pub(crate) struct EvalImportCommon {
    /// The new suite folder (must not exist, or be empty).
    #[arg(long, value_name = "SUITE")]
    pub(crate) out: PathBuf,
    /// The suite's name [default: the output folder's name].
    #[arg(long, value_name = "NAME")]
    pub(crate) name: Option<String>,
    /// The suite's marking.
    #[arg(long, default_value = "UNCLASSIFIED", value_name = "MARKING")]
    pub(crate) marking: String,
    /// The locations configuration: a marked suite is written only where accredited.
    #[arg(long, env = LOCATIONS_ENV, value_name = "FILE")]
    pub(crate) locations: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct EvalImportCybenchArgs {
    /// Task folders, or folders to search for them (e.g. a clone's benchmark/).
    #[arg(value_name = "PATH", required = true)]
    pub(crate) paths: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) common: EvalImportCommon,
    /// Use Cybench's easy_prompt instead of the hard (unguided) one.
    #[arg(long)]
    pub(crate) easy: bool,
}

#[derive(Debug, Args)]
pub(crate) struct EvalImportMcqArgs {
    /// The dataset file.
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
    #[command(flatten)]
    pub(crate) common: EvalImportCommon,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProviderKind {
    /// OpenAI-compatible Chat Completions (vLLM, llama.cpp server, Ollama, OpenAI, gateways).
    Openai,
    /// Anthropic Messages.
    Anthropic,
    /// A local program: the request on stdin, the answer on stdout (see docs/evaluation.md).
    Command,
}

/// The environment variable naming the signing key for result files.
pub(crate) const EVAL_KEY_ENV: &str = "CLEARINGHOUSE_EVAL_KEY";
/// The environment variable naming the locations configuration (accreditations).
pub(crate) const LOCATIONS_ENV: &str = "CLEARINGHOUSE_LOCATIONS";

#[derive(Debug, Args)]
pub(crate) struct EvalRunArgs {
    /// The suite folder (holding suite.toml).
    #[arg(value_name = "SUITE")]
    pub(crate) suite: PathBuf,
    /// How to reach the model.
    #[arg(long, value_enum)]
    pub(crate) provider: ProviderKind,
    /// The API's base URL: e.g. http://127.0.0.1:8000/v1 (OpenAI-compatible; the path
    /// ends before /chat/completions), https://api.anthropic.com (Anthropic).
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// The model's name, as the API knows it (for `command`: a label for the results).
    #[arg(long, value_name = "NAME")]
    pub(crate) model: String,
    /// Where the result file goes (RESULT.partial while the run is going on).
    #[arg(long, value_name = "RESULT")]
    pub(crate) out: PathBuf,
    /// The environment variable holding the API key [default: OPENAI_API_KEY or
    /// ANTHROPIC_API_KEY]. Keys are never taken on the command line nor recorded.
    #[arg(long, value_name = "NAME")]
    pub(crate) api_key_env: Option<String>,
    /// Run only these tasks (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,…")]
    pub(crate) tasks: Vec<String>,
    /// Times each sample is run (for pass@k and steadier estimates).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub(crate) epochs: u32,
    /// Samples run at once (each with its own sandbox and model conversation).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub(crate) concurrency: u32,
    /// The run's seed, 64 hex digits (generated flags and bootstrap draws derive from
    /// it) [default: random, or the interrupted run's].
    #[arg(long, value_name = "HEX")]
    pub(crate) seed: Option<String>,
    /// Assistant messages per sample.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub(crate) message_limit: u32,
    /// Input + output tokens per sample.
    #[arg(long, default_value_t = 1_000_000, value_name = "N")]
    pub(crate) token_limit: u64,
    /// Wall-clock seconds per sample.
    #[arg(long, default_value_t = 1800, value_name = "SECONDS")]
    pub(crate) time_limit: u64,
    /// Bytes of each tool call's output shown to the model.
    #[arg(long, default_value_t = 16384, value_name = "BYTES")]
    pub(crate) tool_output_limit: usize,
    /// max_tokens of each model response.
    #[arg(long, value_name = "N")]
    pub(crate) max_tokens: Option<u32>,
    /// Sampling temperature.
    #[arg(long, value_name = "T")]
    pub(crate) temperature: Option<f64>,
    /// Seed sent with each request, where the API takes one.
    #[arg(long, value_name = "N")]
    pub(crate) model_seed: Option<u64>,
    /// Retries of a request on 429, 5xx or a transport error.
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub(crate) max_retries: u32,
    /// The first back-off delay; it doubles each retry (with jitter), up to 60 s.
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    pub(crate) retry_base_ms: u64,
    /// Timeout of one request.
    #[arg(long, default_value_t = 600, value_name = "SECONDS")]
    pub(crate) request_timeout: u64,
    /// Requests per minute, over all concurrent samples.
    #[arg(long, value_name = "N")]
    pub(crate) rpm: Option<u32>,
    /// Price of input tokens, US dollars per million (for cost accounting).
    #[arg(long, value_name = "USD", requires = "price_output")]
    pub(crate) price_input: Option<f64>,
    /// Price of output tokens, US dollars per million.
    #[arg(long, value_name = "USD", requires = "price_input")]
    pub(crate) price_output: Option<f64>,
    /// The ed25519 signing key (PKCS#8 PEM) [default: $XDG_CONFIG_HOME/clearinghouse/
    /// eval-signing-key.pem, made on first use].
    #[arg(long, env = EVAL_KEY_ENV, value_name = "FILE")]
    pub(crate) key: Option<PathBuf>,
    /// The locations configuration: places and the markings they are accredited for
    /// [default: $XDG_CONFIG_HOME/clearinghouse/locations.toml, if it exists].
    #[arg(long, env = LOCATIONS_ENV, value_name = "FILE")]
    pub(crate) locations: Option<PathBuf>,
    /// For `--provider command`: the program and its arguments, after `--`.
    #[arg(last = true, value_name = "PROGRAM")]
    pub(crate) command: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct EvalVerifyArgs {
    /// The result file.
    #[arg(value_name = "RESULT")]
    pub(crate) result: PathBuf,
    /// Require the signature to be by this key (SPKI PEM, private key PEM, or hex).
    #[arg(long, value_name = "FILE")]
    pub(crate) public_key: Option<PathBuf>,
    /// Also check that the suite folder's hashes are those the result names.
    #[arg(long, value_name = "SUITE")]
    pub(crate) suite: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// Text tables.
    Table,
    /// JSON (docs/schemas/eval-report-v1.schema.json).
    Json,
    /// A self-contained HTML page with the capability profile chart.
    Html,
    /// The capability profile chart alone.
    Svg,
}

#[derive(Debug, Args)]
pub(crate) struct EvalReportArgs {
    /// The result file.
    #[arg(value_name = "RESULT")]
    pub(crate) result: PathBuf,
    /// A second result file to compare with (B against A = RESULT).
    #[arg(value_name = "OTHER")]
    pub(crate) other: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub(crate) format: ReportFormat,
    /// Write the report to this file instead of standard output (checked against the
    /// locations configuration like results).
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Require the signatures to be by this key.
    #[arg(long, value_name = "FILE")]
    pub(crate) public_key: Option<PathBuf>,
    /// The locations configuration, for --output.
    #[arg(long, env = LOCATIONS_ENV, value_name = "FILE")]
    pub(crate) locations: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct EvalKeygenArgs {
    /// Where to write the private key (never over an existing file).
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
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
