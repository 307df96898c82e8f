//! `clearinghouse eval check|run|verify|report|keygen`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{anyhow, bail, Result};
use ch_eval_harness::{ReferenceCheck, ReferenceOutcome, Seed};
use ch_eval_provider::{Generation, Policy, Provider, RateLimit, Retry};
use ch_eval_result::{report, Key, ModelRef, Prices, Verified};
use serde::Serialize;

use crate::cli::{
    EvalCommand, EvalImportCommand, EvalImportCommon, EvalKeygenArgs, EvalReportArgs, EvalRunArgs,
    EvalVerifyArgs, Format, ProviderKind, ReportFormat,
};
use crate::output::{hinted, json, note, print};
use crate::settings;

/// `eval check --format json` (docs/schemas/eval-check-v1.schema.json).
#[derive(Serialize)]
struct CheckOut<'a> {
    schema_version: &'static str,
    suite: SuiteOut<'a>,
    tasks: Vec<TaskOut<'a>>,
    /// Whether the reference solutions were run in the sandbox.
    solutions_run: bool,
    /// Whether every reference solution that was run solved its task.
    solvable: Option<bool>,
}

#[derive(Serialize)]
struct SuiteOut<'a> {
    name: &'a str,
    version: &'a str,
    description: Option<&'a str>,
    marking: &'a ch_marking::Marking,
    hash: ch_eval_suite::Hash,
}

#[derive(Serialize)]
struct TaskOut<'a> {
    id: &'a str,
    kind: &'static str,
    category: ch_eval_suite::Category,
    marking: &'a ch_marking::Marking,
    samples: usize,
    hash: ch_eval_suite::Hash,
    reference: Option<ReferenceCheck>,
}

pub(crate) fn run(quiet: bool, cmd: EvalCommand) -> Result<ExitCode> {
    match cmd {
        EvalCommand::Run(args) => run_suite(quiet, *args),
        EvalCommand::Verify(args) => verify(args),
        EvalCommand::Report(args) => report_cmd(args),
        EvalCommand::Keygen(args) => keygen(args),
        EvalCommand::Import(cmd) => import(cmd),
        EvalCommand::Check(args) => {
            let suite = ch_eval_suite::load(&args.suite)?;
            let mut references: Vec<Option<ReferenceCheck>> = vec![None; suite.tasks.len()];
            if !args.static_only {
                let sandbox =
                    ch_sandbox::Sandbox::new(ch_eval_harness::sandbox_config(&suite.sandbox))?;
                let checks = ch_eval_harness::check_references(&suite, &sandbox, &Seed::random()?)?;
                references = checks.into_iter().map(Some).collect();
            }
            let solvable = (!args.static_only).then(|| {
                references
                    .iter()
                    .flatten()
                    .all(|r| r.outcome != ReferenceOutcome::Failed)
            });
            let out = CheckOut {
                schema_version: "1",
                suite: SuiteOut {
                    name: &suite.name,
                    version: &suite.version,
                    description: suite.description.as_deref(),
                    marking: &suite.marking,
                    hash: suite.hash,
                },
                tasks: suite
                    .tasks
                    .iter()
                    .zip(references)
                    .map(|(t, reference)| TaskOut {
                        id: &t.id,
                        kind: t.kind.name(),
                        category: t.category,
                        marking: &t.marking,
                        samples: t.kind.samples(),
                        hash: t.hash,
                        reference,
                    })
                    .collect(),
                solutions_run: !args.static_only,
                solvable,
            };
            let text = match args.format {
                Format::Json => json(&out)?,
                Format::Table => table(&out),
            };
            print(&text)?;
            // A suite whose reference solution fails is not usable: exit 1, like a
            // scan's findings, so scripts can tell it from a malformed suite (2).
            Ok(if solvable == Some(false) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn table(out: &CheckOut<'_>) -> String {
    let banner = out.suite.marking.banner();
    let rows: Vec<[String; 6]> = out
        .tasks
        .iter()
        .map(|t| {
            [
                t.id.to_owned(),
                t.kind.to_owned(),
                t.category.as_str().to_owned(),
                t.marking.banner(),
                t.samples.to_string(),
                match &t.reference {
                    None => "not run".to_owned(),
                    Some(r) => match r.outcome {
                        ReferenceOutcome::Solved => format!("solved ({} ms)", r.elapsed_ms),
                        ReferenceOutcome::Failed => "FAILED".to_owned(),
                        ReferenceOutcome::NotApplicable => "nothing to run".to_owned(),
                    },
                },
            ]
        })
        .collect();
    let samples: usize = out.tasks.iter().map(|t| t.samples).sum();
    let failures: Vec<String> = out
        .tasks
        .iter()
        .filter_map(|t| t.reference.as_ref())
        .filter(|r| r.outcome == ReferenceOutcome::Failed)
        .map(|r| format!("  {}: {}\n", r.task, r.detail))
        .collect();
    let verdict = match out.solvable {
        None => "checked without running the reference solutions (--static-only)\n".to_owned(),
        Some(true) => "every reference solution solved its task in the sandbox\n".to_owned(),
        Some(false) => format!("reference solutions that failed:\n{}", failures.concat()),
    };
    format!(
        "{banner}\nsuite {} {}: {} tasks, {samples} samples, {}\n\n{}\n{verdict}{banner}\n",
        out.suite.name,
        out.suite.version,
        out.tasks.len(),
        out.suite.hash,
        crate::output::columns(
            &[
                "TASK",
                "KIND",
                "CATEGORY",
                "MARKING",
                "SAMPLES",
                "REFERENCE"
            ],
            &rows
        )
    )
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The signing key: the flag or `$CLEARINGHOUSE_EVAL_KEY`, else the default one in the
/// config folder, made on first use.
fn signing_key(quiet: bool, flag: Option<PathBuf>) -> Result<Key> {
    if let Some(p) = flag.filter(|p| !p.as_os_str().is_empty()) {
        return Ok(Key::load(&p)?);
    }
    let dir = settings::config_dir().ok_or_else(|| {
        hinted(
            "no home folder for the default signing key",
            "pass --key FILE or set CLEARINGHOUSE_EVAL_KEY",
        )
    })?;
    let path = dir.join("eval-signing-key.pem");
    if path.is_file() {
        return Ok(Key::load(&path)?);
    }
    let key = Key::generate(&path)?;
    note(
        quiet,
        &format!(
            "made a new signing key at {} ({}); give its public key to those who verify your results: clearinghouse eval keygen shows how to make one per evaluator",
            path.display(),
            ch_eval_result::key_id(&key.public())
        ),
    );
    Ok(key)
}

fn provider(args: &EvalRunArgs) -> Result<(Box<dyn Provider>, ModelRef)> {
    let policy = Policy {
        retry: Retry {
            max_retries: args.max_retries,
            base: Duration::from_millis(args.retry_base_ms),
            max_delay: Duration::from_secs(60),
        },
        rate_limit: args.rpm.map(RateLimit::per_minute),
        timeout: Duration::from_secs(args.request_timeout),
    };
    let key = |default: &str| -> Result<Option<String>> {
        match &args.api_key_env {
            Some(name) => std::env::var(name).map(Some).map_err(|_| {
                anyhow!("--api-key-env {name}: the environment variable {name} is not set")
            }),
            None => Ok(std::env::var(default).ok().filter(|k| !k.is_empty())),
        }
    };
    let generation = Generation {
        max_tokens: args.max_tokens,
        temperature: args.temperature,
        seed: args.model_seed,
    };
    let generation_json = serde_json::to_value(&generation)?;
    if args.provider != ProviderKind::Command && !args.command.is_empty() {
        bail!("a program after `--` is only for --provider command");
    }
    Ok(match args.provider {
        ProviderKind::Openai => {
            let url = args.base_url.clone().ok_or_else(|| {
                hinted(
                    "--provider openai needs --base-url",
                    "e.g. --base-url http://127.0.0.1:8000/v1 (vLLM, llama.cpp), http://127.0.0.1:11434/v1 (Ollama), https://api.openai.com/v1",
                )
            })?;
            (
                Box::new(ch_eval_provider::openai::OpenAi::new(
                    &url,
                    &args.model,
                    key("OPENAI_API_KEY")?,
                    policy,
                )),
                ModelRef {
                    provider: "openai".into(),
                    model: args.model.clone(),
                    base_url: Some(ch_eval_provider::redact(&url)),
                    command: None,
                    generation: generation_json,
                },
            )
        }
        ProviderKind::Anthropic => {
            let url = args
                .base_url
                .clone()
                .unwrap_or_else(|| "https://api.anthropic.com".into());
            (
                Box::new(ch_eval_provider::anthropic::Anthropic::new(
                    &url,
                    &args.model,
                    key("ANTHROPIC_API_KEY")?,
                    policy,
                )),
                ModelRef {
                    provider: "anthropic".into(),
                    model: args.model.clone(),
                    base_url: Some(ch_eval_provider::redact(&url)),
                    command: None,
                    generation: generation_json,
                },
            )
        }
        ProviderKind::Command => {
            if args.command.is_empty() {
                return Err(hinted(
                    "--provider command needs the program after `--`",
                    "e.g. clearinghouse eval run SUITE --provider command --model human --out r.jsonl -- python3 baseline.py",
                ));
            }
            (
                Box::new(ch_eval_provider::command::Command::new(
                    args.command.clone(),
                    &args.model,
                    policy,
                )),
                ModelRef {
                    provider: "command".into(),
                    model: args.model.clone(),
                    base_url: None,
                    command: Some(args.command.clone()),
                    generation: generation_json,
                },
            )
        }
    })
}

fn run_suite(quiet: bool, args: EvalRunArgs) -> Result<ExitCode> {
    // Everything that can be wrong with the input is found before any model call.
    let suite = ch_eval_suite::load(&args.suite)?;
    let out = settings::resolved(&args.out)?;
    if std::fs::symlink_metadata(&out).is_ok() {
        return Err(hinted(
            format!("{}: exists (a finished run)", out.display()),
            "choose another --out, or remove it to run again",
        ));
    }
    for (flag, price) in [
        ("--price-input", args.price_input),
        ("--price-output", args.price_output),
    ] {
        if price.is_some_and(|p| !p.is_finite() || p < 0.0) {
            bail!("{flag}: expected a price of zero or more, in US dollars per million tokens");
        }
    }
    let locations = settings::locations(args.locations.clone())?;
    let (provider, model) = provider(&args)?;
    let partial = ch_eval_result::partial_header(&out)?;
    let seed = match (&args.seed, &partial) {
        (Some(hex), _) => {
            Seed::from_hex(hex).ok_or_else(|| anyhow!("--seed: expected 64 hex digits"))?
        }
        (None, Some(h)) => Seed::from_hex(&h.run.seed).ok_or_else(|| {
            anyhow!(
                "{}: the interrupted run's seed is malformed",
                ch_eval_result::partial_path(&out).display()
            )
        })?,
        (None, None) => Seed::random()?,
    };
    let opts = ch_eval_harness::RunOptions {
        provider: provider.as_ref(),
        generation: Generation {
            max_tokens: args.max_tokens,
            temperature: args.temperature,
            seed: args.model_seed,
        },
        limits: ch_eval_harness::SampleLimits {
            messages: args.message_limit,
            tokens: args.token_limit,
            time: Duration::from_secs(args.time_limit),
            tool_output_bytes: args.tool_output_limit,
        },
        epochs: args.epochs,
        concurrency: args.concurrency as usize,
        seed,
        prices: match (args.price_input, args.price_output) {
            (Some(i), Some(o)) => Some(Prices {
                input_per_mtok: i,
                output_per_mtok: o,
            }),
            _ => None,
        },
    };
    let retry = serde_json::json!({
        "max_retries": args.max_retries,
        "base_ms": args.retry_base_ms,
        "max_delay_ms": 60_000,
        "request_timeout_seconds": args.request_timeout,
        "rpm": args.rpm,
    });
    let started = partial.as_ref().map_or_else(now, |h| h.started.clone());
    let header = ch_eval_harness::header(&suite, &args.tasks, model, &opts, retry, started)?;
    locations.check(&header.marking, &out).map_err(|e| {
        hinted(
            format!("{}: {e}", out.display()),
            "write it where the locations configuration (--locations, CLEARINGHOUSE_LOCATIONS) accredits that marking",
        )
    })?;
    let sandbox = ch_sandbox::Sandbox::new(ch_eval_harness::sandbox_config(&suite.sandbox))?;
    let key = signing_key(quiet, args.key.clone())?;
    let mut writer = ch_eval_result::Writer::open(&out, header)?;
    let banner = writer.header().marking.banner();
    if writer.done() > 0 {
        note(
            quiet,
            &format!("resuming: {} samples already done", writer.done()),
        );
    }
    let mut progress = |s: &ch_eval_result::Sample, done: usize, total: usize| {
        note(
            quiet,
            &format!(
                "[{done}/{total}] {} {}: {}",
                s.id,
                if s.solved { "solved" } else { "not solved" },
                s.reason
            ),
        );
    };
    ch_eval_harness::execute(&suite, &sandbox, &opts, &mut writer, &mut progress)?;
    let summary = writer.finish(&key, &now())?;
    let o = &summary.scores.overall;
    let success = o.success.map_or("—".to_owned(), |i| {
        format!(
            "{:.1}% [{:.1}, {:.1}]",
            100.0 * i.estimate,
            100.0 * i.low,
            100.0 * i.high
        )
    });
    print(&format!(
        "{banner}\nwrote {} ({} samples, signed by {})\nsolved {} of {}: {success} (95% CI)\nnext: clearinghouse eval verify {0}; clearinghouse eval report {0}\n{banner}\n",
        args.out.display(),
        summary.samples,
        ch_eval_result::key_id(&key.public()),
        o.solved,
        o.samples,
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn trusted(path: &Option<PathBuf>) -> Result<Option<ch_eval_result::PublicKey>> {
    Ok(match path {
        Some(p) => Some(ch_eval_result::load_public(p)?),
        None => None,
    })
}

/// `eval verify --format json` (docs/schemas/eval-verify-v1.schema.json).
#[derive(Serialize)]
struct VerifyOut<'a> {
    schema_version: &'static str,
    verified: bool,
    path: String,
    marking: &'a ch_marking::Marking,
    key_id: &'a str,
    public_key: &'a str,
    /// Whether the signer was checked against --public-key.
    signer_checked: bool,
    digest: &'a str,
    /// Whether the suite folder's hashes were checked (--suite).
    suite_checked: bool,
    samples: u64,
    expected_samples: u64,
}

fn check_suite_hashes(v: &Verified, dir: &Path) -> Result<()> {
    let suite = ch_eval_suite::load(dir)?;
    let at = dir.display();
    for t in &v.header.tasks {
        match suite.tasks.iter().find(|s| s.id == t.id) {
            Some(s) if s.hash.to_string() == t.hash => {}
            Some(s) => bail!("NOT VERIFIED against {at}: task `{}` hashes to {}, the result names {} (the task changed since the run)", t.id, s.hash, t.hash),
            None => bail!("NOT VERIFIED against {at}: the suite has no task `{}`", t.id),
        }
    }
    if suite.hash.to_string() != v.header.suite.hash {
        bail!(
            "NOT VERIFIED against {at}: the suite's hash is {}, the result names {} (its manifest changed since the run)",
            suite.hash,
            v.header.suite.hash
        );
    }
    Ok(())
}

fn verify(args: EvalVerifyArgs) -> Result<ExitCode> {
    let key = trusted(&args.public_key)?;
    let v = ch_eval_result::verify(&args.result, key.as_ref())?;
    if let Some(dir) = &args.suite {
        check_suite_hashes(&v, dir)?;
    }
    let out = VerifyOut {
        schema_version: "1",
        verified: true,
        path: args.result.display().to_string(),
        marking: &v.header.marking,
        key_id: &v.key_id,
        public_key: &v.public_key,
        signer_checked: key.is_some(),
        digest: &v.digest,
        suite_checked: args.suite.is_some(),
        samples: v.summary.samples,
        expected_samples: v.header.expected_samples(),
    };
    let text = match args.format {
        Format::Json => json(&out)?,
        Format::Table => {
            let banner = v.header.marking.banner();
            format!(
                "{banner}\nVERIFIED {}\nsigned by {}{}\ndigest {}\nsuite {} {} {}{}\nmodel {} via {}\nsamples {} of {}{}\n{banner}\n",
                out.path,
                v.key_id,
                if key.is_some() { " (the trusted key)" } else { " (signer not checked: pass --public-key to require a key)" },
                v.digest,
                v.header.suite.name,
                v.header.suite.version,
                v.header.suite.hash,
                if args.suite.is_some() { " (matches the suite folder)" } else { "" },
                v.header.model.model,
                v.header.model.provider,
                out.samples,
                out.expected_samples,
                if out.samples == out.expected_samples { " (complete)" } else { "" },
            )
        }
    };
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn report_cmd(args: EvalReportArgs) -> Result<ExitCode> {
    let key = trusted(&args.public_key)?;
    let a = ch_eval_result::verify(&args.result, key.as_ref())?;
    let b = match &args.other {
        Some(p) => Some(ch_eval_result::verify(p, key.as_ref())?),
        None => None,
    };
    let runs: Vec<&Verified> = std::iter::once(&a).chain(b.as_ref()).collect();
    let text = match (args.format, &b) {
        (ReportFormat::Table, None) => report::table(&a),
        (ReportFormat::Table, Some(b)) => report::compare_table(&a, b),
        (ReportFormat::Json, _) => json(&report::json(&runs))?,
        (ReportFormat::Html, _) => report::html(&runs),
        (ReportFormat::Svg, _) => report::svg(&runs) + "\n",
    };
    match &args.output {
        None => print(&text)?,
        Some(path) => {
            let marking = report::marking(&runs);
            let locations = settings::locations(args.locations.clone())?;
            let at = settings::resolved(path)?;
            locations
                .check(&marking, &at)
                .map_err(|e| anyhow!("{}: {e}", at.display()))?;
            crate::output::write_atomically(&at, text.as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn keygen(args: EvalKeygenArgs) -> Result<ExitCode> {
    let key = Key::generate(&args.out)?;
    print(&format!(
        "wrote the private key to {} (keep it secret)\nkey id {}\n{}",
        args.out.display(),
        ch_eval_result::key_id(&key.public()),
        key.public_pem()
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn import(cmd: EvalImportCommand) -> Result<ExitCode> {
    let common = |c: &EvalImportCommon| -> Result<(String, ch_marking::Marking)> {
        let marking = c
            .marking
            .parse::<ch_marking::Marking>()
            .map_err(|e| anyhow!("--marking: {e}"))?;
        let name = c.name.clone().unwrap_or_else(|| {
            c.out
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("imported")
                .to_owned()
        });
        Ok((name, marking))
    };
    let (c, locations_flag) = match &cmd {
        EvalImportCommand::Mcq(a) => (&a.common, a.common.locations.clone()),
        EvalImportCommand::Cybench(a) => (&a.common, a.common.locations.clone()),
    };
    // A marked suite is a record too: it is written only where accredited.
    let (_, marking) = common(c)?;
    let at = settings::resolved(&c.out)?;
    settings::locations(locations_flag)?
        .check(&marking, &at)
        .map_err(|e| anyhow!("{}: {e}", at.display()))?;
    let (imported, out) = match cmd {
        EvalImportCommand::Mcq(args) => {
            let (name, marking) = common(&args.common)?;
            (
                ch_eval_import::mcq::import(&args.file, &args.common.out, &name, &marking)?,
                args.common.out,
            )
        }
        EvalImportCommand::Cybench(args) => {
            let (name, marking) = common(&args.common)?;
            let sandbox = ch_sandbox::Sandbox::new(ch_sandbox::Config::default())?;
            let prompt = if args.easy {
                ch_eval_import::cybench::Prompt::Easy
            } else {
                ch_eval_import::cybench::Prompt::Hard
            };
            (
                ch_eval_import::cybench::import(
                    &args.paths,
                    &args.common.out,
                    &name,
                    &marking,
                    prompt,
                    &sandbox,
                )?,
                args.common.out,
            )
        }
    };
    let mut text = format!(
        "imported {} task{} ({} samples) into {}\n",
        imported.tasks.len(),
        if imported.tasks.len() == 1 { "" } else { "s" },
        imported.samples,
        out.display()
    );
    for s in &imported.skipped {
        text.push_str(&format!("skipped {}: {}\n", s.item, s.reason));
    }
    text.push_str(&format!(
        "next: clearinghouse eval check {}\n",
        out.display()
    ));
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}
