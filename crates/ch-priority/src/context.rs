//! The system a finding is on: what the executive order and the directives ask about it.

use std::fmt;
use std::str::FromStr;

use time::Date;

/// System categories, in the order the executive order prioritises cyber defense.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    NationalSecuritySystem,
    DepartmentOfWar,
    CivilianFederal,
    Other,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::NationalSecuritySystem => "national_security_system",
            Category::DepartmentOfWar => "department_of_war",
            Category::CivilianFederal => "civilian_federal",
            Category::Other => "other",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "national_security_system" => Ok(Category::NationalSecuritySystem),
            "department_of_war" => Ok(Category::DepartmentOfWar),
            "civilian_federal" => Ok(Category::CivilianFederal),
            "other" => Ok(Category::Other),
            _ => Err(format!(
                "unknown system category `{s}` (expected national_security_system, department_of_war, civilian_federal or other)"
            )),
        }
    }
}

/// Mission Prevalence (SSVC, CISA): how much the system's mission depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MissionPrevalence {
    Minimal,
    Support,
    Essential,
}

/// Public Well-Being Impact (SSVC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PublicWellBeing {
    Minimal,
    Material,
    Irreversible,
}

macro_rules! names {
    ($t:ty, $what:literal, $($v:ident => $s:literal),+) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),+ }
            }
        }
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok(<$t>::$v),)+
                    _ => Err(format!(concat!("unknown ", $what, " `{}` (expected {})"), s, [$($s),+].join(", "))),
                }
            }
        }
    };
}

names!(MissionPrevalence, "mission prevalence", Minimal => "minimal", Support => "support", Essential => "essential");
names!(PublicWellBeing, "public well-being impact", Minimal => "minimal", Material => "material", Irreversible => "irreversible");

/// A system as its owner describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemContext {
    pub name: std::sync::Arc<str>,
    pub category: Category,
    /// Reachable by unauthenticated or untrusted parties over public networks.
    pub publicly_exposed: bool,
    /// Since when it has been (or not been) publicly exposed, where known: a change
    /// restarts the clock of a deadline it sets.
    pub exposure_since: Option<Date>,
    pub mission_prevalence: MissionPrevalence,
    pub public_well_being: PublicWellBeing,
    pub high_value_asset: bool,
    /// BOD 23-01: when assets were last discovered and vulnerabilities last enumerated.
    pub last_asset_discovery: Option<Date>,
    pub last_vulnerability_enumeration: Option<Date>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SystemToml {
    name: String,
    category: toml::Spanned<String>,
    publicly_exposed: bool,
    exposure_since: Option<toml::Spanned<toml::value::Datetime>>,
    mission_prevalence: toml::Spanned<String>,
    public_well_being: toml::Spanned<String>,
    #[serde(default)]
    high_value_asset: bool,
    last_asset_discovery: Option<toml::Spanned<toml::value::Datetime>>,
    last_vulnerability_enumeration: Option<toml::Spanned<toml::value::Datetime>>,
    epss: Option<EpssToml>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EpssToml {
    public_poc: Option<f64>,
    active: Option<f64>,
}

impl SystemContext {
    /// Reads a system description (TOML; see docs/prioritisation.md) and the EPSS
    /// thresholds it sets.
    pub fn from_toml(
        file: &str,
        text: &str,
    ) -> Result<(SystemContext, crate::facts::EpssThresholds), crate::PolicyError> {
        use crate::error::{date, line_of, parse_toml};
        let s: SystemToml = parse_toml(file, text)?;
        let pick =
            |v: &toml::Spanned<String>| -> Option<usize> { Some(line_of(text, v.span().start)) };
        let category = s
            .category
            .get_ref()
            .parse()
            .map_err(|e: String| crate::PolicyError::new(file, pick(&s.category), e))?;
        let mission_prevalence = s
            .mission_prevalence
            .get_ref()
            .parse()
            .map_err(|e: String| crate::PolicyError::new(file, pick(&s.mission_prevalence), e))?;
        let public_well_being =
            s.public_well_being.get_ref().parse().map_err(|e: String| {
                crate::PolicyError::new(file, pick(&s.public_well_being), e)
            })?;
        let opt_date = |key: &str, v: &Option<toml::Spanned<toml::value::Datetime>>| {
            v.as_ref().map(|d| date(file, text, key, d)).transpose()
        };
        let mut thresholds = crate::facts::EpssThresholds::default();
        if let Some(e) = s.epss {
            for (key, v) in [("epss.public_poc", e.public_poc), ("epss.active", e.active)] {
                if v.is_some_and(|x| !(0.0..=1.0).contains(&x)) {
                    return Err(crate::PolicyError::new(
                        file,
                        None,
                        format!("`{key}` must be a probability from 0 to 1"),
                    ));
                }
            }
            thresholds.public_poc = e.public_poc;
            thresholds.active = e.active;
        }
        Ok((
            SystemContext {
                name: s.name.into(),
                category,
                publicly_exposed: s.publicly_exposed,
                exposure_since: opt_date("exposure_since", &s.exposure_since)?,
                mission_prevalence,
                public_well_being,
                high_value_asset: s.high_value_asset,
                last_asset_discovery: opt_date("last_asset_discovery", &s.last_asset_discovery)?,
                last_vulnerability_enumeration: opt_date(
                    "last_vulnerability_enumeration",
                    &s.last_vulnerability_enumeration,
                )?,
            },
            thresholds,
        ))
    }
}
