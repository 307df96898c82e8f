//! The suite and task model, and reading a suite folder.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use ch_marking::Marking;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::hash::{folder_hash, Hash};

/// Why a suite cannot be used: the file, the field where one is at fault, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {}{message}", line.map(|l| format!(":{l}")).unwrap_or_default(), field.as_ref().map(|f| format!("`{f}`: ")).unwrap_or_default())]
pub struct SuiteError {
    pub file: String,
    pub line: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

fn err(file: &Path, field: Option<&str>, message: impl Into<String>) -> SuiteError {
    SuiteError {
        file: file.display().to_string(),
        line: None,
        field: field.map(str::to_owned),
        message: message.into(),
    }
}

/// Task categories of the capability profile.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    WebExploitation,
    ReverseEngineering,
    Cryptography,
    Forensics,
    BinaryExploitation,
    VulnerabilityDiscovery,
    Patching,
    Knowledge,
    Miscellaneous,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::WebExploitation,
        Category::ReverseEngineering,
        Category::Cryptography,
        Category::Forensics,
        Category::BinaryExploitation,
        Category::VulnerabilityDiscovery,
        Category::Patching,
        Category::Knowledge,
        Category::Miscellaneous,
    ];

    /// The name suites and results spell it with (`web-exploitation`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::WebExploitation => "web-exploitation",
            Category::ReverseEngineering => "reverse-engineering",
            Category::Cryptography => "cryptography",
            Category::Forensics => "forensics",
            Category::BinaryExploitation => "binary-exploitation",
            Category::VulnerabilityDiscovery => "vulnerability-discovery",
            Category::Patching => "patching",
            Category::Knowledge => "knowledge",
            Category::Miscellaneous => "miscellaneous",
        }
    }
}

/// Copies the regular files and folders under `from` into `to` (created if needed),
/// keeping modes; links and special files are left behind, as tasks hold regular files
/// only. An error names the path at fault.
pub fn copy_files(from: &Path, to: &Path) -> std::io::Result<()> {
    fn at(p: &Path) -> impl FnOnce(std::io::Error) -> std::io::Error + '_ {
        move |e| std::io::Error::new(e.kind(), format!("{}: {e}", p.display()))
    }
    std::fs::create_dir_all(to).map_err(at(to))?;
    for entry in std::fs::read_dir(from).map_err(at(from))? {
        let entry = entry.map_err(at(from))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let ty = entry.file_type().map_err(at(&src))?;
        if ty.is_dir() {
            copy_files(&src, &dst)?;
        } else if ty.is_file() {
            std::fs::copy(&src, &dst).map_err(at(&dst))?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub letter: char,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub question: String,
    pub choices: Vec<Choice>,
    pub answer: char,
}

/// How a CTF's flag is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CtfFlag {
    /// A fixed flag.
    Fixed(String),
    /// A script that reads the submitted flag and exits 0 when it is right.
    Checker(String),
    /// A flag generated per run from `format` (its `...` replaced by random hex) and
    /// written into `plant` files where they hold `{{FLAG}}`, so that a flag
    /// memorised from public data scores nothing.
    Generated { format: String, plant: Vec<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Subtask {
    pub question: String,
    pub answer: String,
    pub weight: f64,
}

/// Where a vulnerability is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub file: String,
    pub line: u32,
    pub cwe: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    MultipleChoice {
        questions: Vec<Question>,
    },
    Ctf {
        prompt: String,
        files: Option<String>,
        setup: Option<String>,
        flag: CtfFlag,
        subtasks: Vec<Subtask>,
        solution: String,
    },
    VulnId {
        prompt: String,
        files: String,
        answer: Answer,
    },
    Patch {
        prompt: String,
        files: String,
        tests: String,
        exploit: String,
        solution: String,
    },
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::MultipleChoice { .. } => "multiple-choice",
            Kind::Ctf { .. } => "ctf",
            Kind::VulnId { .. } => "vuln-id",
            Kind::Patch { .. } => "patch",
        }
    }

    /// How many samples the task gives (one per question for multiple choice).
    pub fn samples(&self) -> usize {
        match self {
            Kind::MultipleChoice { questions } => questions.len(),
            _ => 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: String,
    pub category: Category,
    pub marking: Marking,
    pub kind: Kind,
    pub dir: PathBuf,
    pub hash: Hash,
}

/// Where and within which limits a suite's commands run (`[sandbox]` in suite.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxSpec {
    /// `None`: the host's system, read-only; else a root filesystem folder (relative
    /// paths are resolved against the suite folder).
    pub root: Option<PathBuf>,
    pub network: bool,
    /// Per command.
    pub wall_seconds: u64,
    pub cpu_seconds: u64,
    pub memory_mb: u64,
    pub processes: u32,
}

impl Default for SandboxSpec {
    fn default() -> Self {
        SandboxSpec {
            root: None,
            network: false,
            wall_seconds: 120,
            cpu_seconds: 120,
            memory_mb: 2048,
            processes: 128,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Suite {
    pub name: String,
    pub version: String,
    pub description: Option<String>,
    /// The suite's marking; it dominates every task's.
    pub marking: Marking,
    pub sandbox: SandboxSpec,
    pub dir: PathBuf,
    pub tasks: Vec<Task>,
    /// SHA-256 of the manifest's bytes and every task's hash, in manifest order.
    pub hash: Hash,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteToml {
    name: String,
    version: String,
    marking: String,
    description: Option<String>,
    tasks: Vec<String>,
    sandbox: Option<SandboxToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SandboxToml {
    root: Option<String>,
    network: Option<bool>,
    wall_seconds: Option<u64>,
    cpu_seconds: Option<u64>,
    memory_mb: Option<u64>,
    processes: Option<u32>,
}

fn sandbox_spec(
    manifest: &Path,
    dir: &Path,
    t: Option<SandboxToml>,
) -> Result<SandboxSpec, SuiteError> {
    let d = SandboxSpec::default();
    let Some(t) = t else { return Ok(d) };
    let root = match t.root.as_deref() {
        None | Some("host") => None,
        Some(r) => {
            let p = dir.join(r);
            if !p.is_dir() {
                return Err(err(
                    manifest,
                    Some("sandbox.root"),
                    format!(
                        "`{r}` is not a folder (expected \"host\" or a root filesystem folder)"
                    ),
                ));
            }
            Some(p)
        }
    };
    let positive = |field: &str, v: Option<u64>, default: u64| match v {
        Some(0) => Err(err(manifest, Some(field), "must be at least 1")),
        Some(v) => Ok(v),
        None => Ok(default),
    };
    Ok(SandboxSpec {
        root,
        network: t.network.unwrap_or(false),
        wall_seconds: positive("sandbox.wall_seconds", t.wall_seconds, d.wall_seconds)?,
        cpu_seconds: positive("sandbox.cpu_seconds", t.cpu_seconds, d.cpu_seconds)?,
        memory_mb: positive("sandbox.memory_mb", t.memory_mb, d.memory_mb)?,
        processes: positive(
            "sandbox.processes",
            t.processes.map(u64::from),
            u64::from(d.processes),
        )? as u32,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionToml {
    id: String,
    question: String,
    choices: Vec<String>,
    answer: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubtaskToml {
    question: String,
    answer: String,
    #[serde(default = "one")]
    weight: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerToml {
    file: String,
    line: u32,
    cwe: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskToml {
    kind: String,
    category: Category,
    marking: Option<String>,
    prompt: Option<String>,
    #[serde(default)]
    questions: Vec<QuestionToml>,
    files: Option<String>,
    setup: Option<String>,
    flag: Option<String>,
    flag_checker: Option<String>,
    flag_format: Option<String>,
    #[serde(default)]
    plant: Vec<String>,
    #[serde(default)]
    subtasks: Vec<SubtaskToml>,
    solution: Option<String>,
    answer: Option<AnswerToml>,
    tests: Option<String>,
    exploit: Option<String>,
}

fn parse_toml<T: serde::de::DeserializeOwned>(file: &Path, text: &str) -> Result<T, SuiteError> {
    toml::from_str(text).map_err(|e| SuiteError {
        file: file.display().to_string(),
        line: e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1),
        field: None,
        message: e.message().trim_end().replace('\n', " "),
    })
}

fn read(file: &Path) -> Result<String, SuiteError> {
    std::fs::read_to_string(file).map_err(|e| err(file, None, format!("cannot read: {e}")))
}

/// A path the task names: relative, inside the task folder, existing (as a file, or a
/// folder when `folder`).
fn task_path(
    manifest: &Path,
    dir: &Path,
    field: &str,
    value: &str,
    folder: bool,
) -> Result<String, SuiteError> {
    let p = Path::new(value);
    if p.is_absolute() || p.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(err(
            manifest,
            Some(field),
            format!("`{value}` must be a relative path inside the task folder"),
        ));
    }
    let full = dir.join(p);
    let ok = if folder {
        full.is_dir()
    } else {
        full.is_file()
    };
    if !ok {
        return Err(err(
            manifest,
            Some(field),
            format!(
                "no {} `{value}` in the task folder",
                if folder { "folder" } else { "file" }
            ),
        ));
    }
    Ok(value.to_owned())
}

fn required(
    manifest: &Path,
    kind: &str,
    field: &str,
    v: Option<String>,
) -> Result<String, SuiteError> {
    v.filter(|s| !s.trim().is_empty())
        .ok_or_else(|| err(manifest, Some(field), format!("a `{kind}` task needs it")))
}

fn task(suite_dir: &Path, id: &str, suite_marking: &Marking) -> Result<Task, SuiteError> {
    let dir = suite_dir.join("tasks").join(id);
    let manifest = dir.join("task.toml");
    if !manifest.is_file() {
        return Err(err(
            &suite_dir.join("suite.toml"),
            Some("tasks"),
            format!("no task `{id}` (expected tasks/{id}/task.toml)"),
        ));
    }
    let t: TaskToml = parse_toml(&manifest, &read(&manifest)?)?;
    let marking = match &t.marking {
        Some(m) => m
            .parse::<Marking>()
            .map_err(|e| err(&manifest, Some("marking"), e.to_string()))?,
        None => suite_marking.clone(),
    };
    if !suite_marking.dominates(&marking) {
        return Err(err(
            &manifest,
            Some("marking"),
            format!("{marking} is higher than the suite's {suite_marking}; mark the suite at least as high"),
        ));
    }
    let m = manifest.as_path();
    // Fields a kind does not take are refused, so that a typo never passes silently.
    let given: [(&str, bool); 13] = [
        ("prompt", t.prompt.is_some()),
        ("questions", !t.questions.is_empty()),
        ("files", t.files.is_some()),
        ("setup", t.setup.is_some()),
        ("flag", t.flag.is_some()),
        ("flag_checker", t.flag_checker.is_some()),
        ("flag_format", t.flag_format.is_some()),
        ("plant", !t.plant.is_empty()),
        ("subtasks", !t.subtasks.is_empty()),
        ("solution", t.solution.is_some()),
        ("answer", t.answer.is_some()),
        ("tests", t.tests.is_some()),
        ("exploit", t.exploit.is_some()),
    ];
    let allowed: &[&str] = match t.kind.as_str() {
        "multiple-choice" => &["questions"],
        "ctf" => &[
            "prompt",
            "files",
            "setup",
            "flag",
            "flag_checker",
            "flag_format",
            "plant",
            "subtasks",
            "solution",
        ],
        "vuln-id" => &["prompt", "files", "answer"],
        "patch" => &["prompt", "files", "tests", "exploit", "solution"],
        other => {
            return Err(err(
                m,
                Some("kind"),
                format!("unknown kind `{other}` (expected multiple-choice, ctf, vuln-id or patch)"),
            ));
        }
    };
    if let Some((field, _)) = given
        .iter()
        .find(|(f, present)| *present && !allowed.contains(f))
    {
        return Err(err(
            m,
            Some(field),
            format!("a `{}` task takes no `{field}`", t.kind),
        ));
    }
    let kind = match t.kind.as_str() {
        "multiple-choice" => {
            if t.questions.is_empty() {
                return Err(err(
                    m,
                    Some("questions"),
                    "a `multiple-choice` task needs at least one question",
                ));
            }
            let mut questions = Vec::new();
            for (i, q) in t.questions.into_iter().enumerate() {
                let field = format!("questions[{i}]");
                if questions.iter().any(|x: &Question| x.id == q.id) {
                    return Err(err(
                        m,
                        Some(&field),
                        format!("question id `{}` is used twice", q.id),
                    ));
                }
                if !(2..=26).contains(&q.choices.len()) {
                    return Err(err(m, Some(&field), "needs 2 to 26 choices"));
                }
                let choices: Vec<Choice> = q
                    .choices
                    .into_iter()
                    .zip('A'..='Z')
                    .map(|(text, letter)| Choice { letter, text })
                    .collect();
                let answer = match q
                    .answer
                    .trim()
                    .to_ascii_uppercase()
                    .chars()
                    .collect::<Vec<_>>()[..]
                {
                    [c] if choices.iter().any(|x| x.letter == c) => c,
                    _ => {
                        return Err(err(
                            m,
                            Some(&format!("{field}.answer")),
                            format!(
                                "`{}` is not one of the choices' letters (A–{})",
                                q.answer,
                                choices.last().map_or('A', |c| c.letter)
                            ),
                        ))
                    }
                };
                questions.push(Question {
                    id: q.id,
                    question: q.question,
                    choices,
                    answer,
                });
            }
            Kind::MultipleChoice { questions }
        }
        "ctf" => {
            let prompt = required(m, "ctf", "prompt", t.prompt)?;
            let files = t
                .files
                .map(|f| task_path(m, &dir, "files", &f, true))
                .transpose()?;
            let setup = t
                .setup
                .map(|f| task_path(m, &dir, "setup", &f, false))
                .transpose()?;
            let solution = task_path(
                m,
                &dir,
                "solution",
                &required(m, "ctf", "solution", t.solution)?,
                false,
            )?;
            let flag = match (t.flag, t.flag_checker, t.flag_format) {
                (Some(flag), None, None) if !flag.trim().is_empty() => CtfFlag::Fixed(flag),
                (None, Some(checker), None) => {
                    CtfFlag::Checker(task_path(m, &dir, "flag_checker", &checker, false)?)
                }
                (None, None, Some(format)) => {
                    if !format.contains("...") {
                        return Err(err(
                            m,
                            Some("flag_format"),
                            "needs `...` where the generated part goes, e.g. `flag{...}`",
                        ));
                    }
                    if t.plant.is_empty() && setup.is_none() {
                        return Err(err(
                            m,
                            Some("plant"),
                            "a generated flag must be planted in a file or used by a `setup` script (which gets it in $FLAG)",
                        ));
                    }
                    let mut plant = Vec::new();
                    for p in t.plant {
                        let rel = task_path(m, &dir, "plant", &p, false)?;
                        let inside = files.as_deref().is_some_and(|f| {
                            Path::new(&rel).starts_with(f) && Path::new(&rel) != Path::new(f)
                        });
                        if !inside {
                            return Err(err(
                                m,
                                Some("plant"),
                                format!("`{rel}` is not inside the task's `files` folder, where the flag is planted"),
                            ));
                        }
                        let text = std::fs::read_to_string(dir.join(&rel)).unwrap_or_default();
                        if !text.contains("{{FLAG}}") {
                            return Err(err(
                                m,
                                Some("plant"),
                                format!("`{rel}` holds no `{{{{FLAG}}}}` to replace"),
                            ));
                        }
                        plant.push(rel);
                    }
                    CtfFlag::Generated { format, plant }
                }
                _ => return Err(err(
                    m,
                    Some("flag"),
                    "a `ctf` task needs exactly one of `flag`, `flag_checker` and `flag_format`",
                )),
            };
            let mut subtasks = Vec::new();
            for (i, s) in t.subtasks.into_iter().enumerate() {
                if !(s.weight.is_finite() && s.weight > 0.0) {
                    return Err(err(
                        m,
                        Some(&format!("subtasks[{i}].weight")),
                        "must be a positive number",
                    ));
                }
                subtasks.push(Subtask {
                    question: s.question,
                    answer: s.answer,
                    weight: s.weight,
                });
            }
            Kind::Ctf {
                prompt,
                files,
                setup,
                flag,
                subtasks,
                solution,
            }
        }
        "vuln-id" => {
            let prompt = required(m, "vuln-id", "prompt", t.prompt)?;
            let files = task_path(
                m,
                &dir,
                "files",
                &required(m, "vuln-id", "files", t.files)?,
                true,
            )?;
            let a = t.answer.ok_or_else(|| {
                err(
                    m,
                    Some("answer"),
                    "a `vuln-id` task needs it (file, line, cwe)",
                )
            })?;
            task_path(m, &dir.join(&files), "answer.file", &a.file, false)?;
            if a.line == 0 {
                return Err(err(m, Some("answer.line"), "lines count from 1"));
            }
            let cwe_ok = a
                .cwe
                .strip_prefix("CWE-")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if !cwe_ok {
                return Err(err(
                    m,
                    Some("answer.cwe"),
                    format!("`{}` is not a CWE id like CWE-787", a.cwe),
                ));
            }
            Kind::VulnId {
                prompt,
                files,
                answer: Answer {
                    file: a.file,
                    line: a.line,
                    cwe: a.cwe,
                },
            }
        }
        _ => {
            let prompt = required(m, "patch", "prompt", t.prompt)?;
            let files = task_path(
                m,
                &dir,
                "files",
                &required(m, "patch", "files", t.files)?,
                true,
            )?;
            let tests = task_path(
                m,
                &dir,
                "tests",
                &required(m, "patch", "tests", t.tests)?,
                false,
            )?;
            let exploit = task_path(
                m,
                &dir,
                "exploit",
                &required(m, "patch", "exploit", t.exploit)?,
                false,
            )?;
            let solution = task_path(
                m,
                &dir,
                "solution",
                &required(m, "patch", "solution", t.solution)?,
                false,
            )?;
            Kind::Patch {
                prompt,
                files,
                tests,
                exploit,
                solution,
            }
        }
    };
    let hash = folder_hash(&dir).map_err(|e| err(&dir, None, e.to_string()))?;
    Ok(Task {
        id: id.to_owned(),
        category: t.category,
        marking,
        kind,
        dir,
        hash,
    })
}

/// Reads and checks the suite in `dir`.
pub fn load(dir: &Path) -> Result<Suite, SuiteError> {
    let manifest = dir.join("suite.toml");
    if !manifest.is_file() {
        return Err(err(dir, None, "not a suite: no suite.toml"));
    }
    let text = read(&manifest)?;
    let s: SuiteToml = parse_toml(&manifest, &text)?;
    if s.name.trim().is_empty() {
        return Err(err(&manifest, Some("name"), "must not be empty"));
    }
    let marking: Marking = s
        .marking
        .parse()
        .map_err(|e: ch_marking::MarkingError| err(&manifest, Some("marking"), e.to_string()))?;
    if s.tasks.is_empty() {
        return Err(err(
            &manifest,
            Some("tasks"),
            "a suite needs at least one task",
        ));
    }
    let sandbox = sandbox_spec(&manifest, dir, s.sandbox)?;
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    let mut tasks = Vec::new();
    for id in &s.tasks {
        if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
            return Err(err(
                &manifest,
                Some("tasks"),
                format!("`{id}` is not a task folder name"),
            ));
        }
        if seen.insert(id, ()).is_some() {
            return Err(err(
                &manifest,
                Some("tasks"),
                format!("task `{id}` is listed twice"),
            ));
        }
        tasks.push(task(dir, id, &marking)?);
    }
    let mut h = Sha256::new();
    h.update(text.as_bytes());
    for t in &tasks {
        h.update(t.hash.0);
    }
    Ok(Suite {
        name: s.name,
        version: s.version,
        description: s.description,
        marking,
        sandbox,
        dir: dir.to_path_buf(),
        tasks,
        hash: Hash(h.finalize().into()),
    })
}

#[cfg(test)]
mod tests {
    use super::Category;

    #[test]
    fn category_names_are_the_ones_suites_use() {
        #[derive(serde::Deserialize)]
        struct T {
            category: Category,
        }
        for c in Category::ALL {
            let t: T = toml::from_str(&format!("category = \"{}\"", c.as_str()))
                .unwrap_or_else(|e| panic!("{}: {e}", c.as_str()));
            assert_eq!(t.category, c);
        }
    }
}
