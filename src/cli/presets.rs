//! `kubeward presets list|show|validate`, for platform teams: what presets exist, what one
//! resolves to and which preset set each value, and whether preset files are valid (in a
//! platform team's CI).

use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::{Map, Value};

use super::shared::PresetsDirArg;
use crate::error::Error;
use crate::preset::{self, Lookup, Resolved};
use crate::render::Templates;
use crate::yaml;

#[derive(Debug, Subcommand)]
pub enum PresetsCommand {
    /// List the shipped presets and those of the presets folder
    List {
        #[command(flatten)]
        dir: PresetsDirArg,
    },
    /// Print a preset as written, or resolved with the preset that set each value
    Show {
        /// A preset name, or the path of a preset file
        name: String,
        /// Print the settings and floors after merging the whole chain
        #[arg(long)]
        resolved: bool,
        #[command(flatten)]
        dir: PresetsDirArg,
    },
    /// Check preset files (their whole chain, floors and templates); exits 2 if any is invalid
    Validate {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        dir: PresetsDirArg,
    },
}

/// Runs a `presets` command and returns what to print.
pub fn run(command: &PresetsCommand) -> Result<String, Error> {
    match command {
        PresetsCommand::List { dir } => list(dir.lookup()),
        PresetsCommand::Show {
            name,
            resolved: false,
            dir,
        } => preset::source_text(name, Path::new("."), dir.lookup()),
        PresetsCommand::Show {
            name,
            resolved: true,
            dir,
        } => preset::resolve(name, Path::new("."), dir.lookup()).map(|r| resolved_text(&r)),
        PresetsCommand::Validate { files, dir } => validate(files, dir.lookup()),
    }
}

fn list(lookup: Lookup) -> Result<String, Error> {
    let rows: Vec<[String; 4]> = preset::list(lookup)?
        .into_iter()
        .map(|p| {
            [
                p.link.name,
                p.extends.unwrap_or_else(|| "-".into()),
                p.link.origin.to_string(),
                p.description,
            ]
        })
        .collect();
    let header = ["NAME", "EXTENDS", "SOURCE", "DESCRIPTION"].map(String::from);
    let widths: Vec<usize> = (0..3)
        .map(|i| {
            rows.iter()
                .chain([&header])
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in [&header].into_iter().chain(&rows) {
        let line = format!(
            "{:w0$}  {:w1$}  {:w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Ok(out)
}

/// Resolves each file. The report lists every file; when one is invalid, it is the error's
/// message (the command exits 2).
fn validate(files: &[PathBuf], lookup: Lookup) -> Result<String, Error> {
    let mut report = String::new();
    let mut invalid = Vec::new();
    for file in files {
        let text = file.display().to_string();
        let reference = if text.contains('/') {
            text.clone()
        } else {
            format!("./{text}")
        };
        let checked = preset::resolve(&reference, Path::new("."), lookup).and_then(|r| {
            let dirs: Vec<PathBuf> = r.preset.templates.iter().map(PathBuf::from).collect();
            Templates::load(&dirs).map(|_| r)
        });
        match checked {
            Ok(resolved) => {
                report.push_str(&format!("ok    {text}: {}\n", resolved.chain_text()));
            }
            Err(err) => {
                report.push_str(&format!("FAIL  {text}\n"));
                for line in err.to_string().lines() {
                    report.push_str(&format!("      {line}\n"));
                }
                invalid.push(text);
            }
        }
    }
    if invalid.is_empty() {
        return Ok(report);
    }
    Err(Error::Preset {
        name: invalid.join(", "),
        message: format!(
            "{} of {} files not valid:\n{}",
            invalid.len(),
            files.len(),
            report.trim_end()
        ),
    })
}

/// A resolved preset as YAML, each value followed by the preset that set it.
pub fn resolved_text(resolved: &Resolved) -> String {
    let mut out = format!(
        "# preset {}, resolved\n# chain: {}\n# each value is followed by the name of the preset that set it\n",
        resolved.name,
        resolved.chain_text()
    );
    for (section, value) in [
        ("spec", serde_json::to_value(&resolved.preset)),
        ("floors", serde_json::to_value(&resolved.floors)),
    ] {
        let map = match value {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        if map.is_empty() {
            out.push_str(&format!("{section}: {{}}\n"));
        } else {
            out.push_str(&format!("{section}:\n"));
            annotate(&map, section, 1, resolved, &mut out);
        }
    }
    out
}

fn annotate(
    map: &Map<String, Value>,
    path: &str,
    depth: usize,
    resolved: &Resolved,
    out: &mut String,
) {
    let indent = "  ".repeat(depth);
    for (key, value) in map {
        let here = format!("{path}.{key}");
        let key_text = yaml::safe::scalar(key);
        match value {
            Value::Object(inner)
                if !inner.is_empty() && !preset::ATOMIC.contains(&here.as_str()) =>
            {
                out.push_str(&format!("{indent}{key_text}:\n"));
                annotate(inner, &here, depth + 1, resolved, out);
            }
            _ => {
                let line = format!("{indent}{key_text}: {}", yaml::safe::encode(value));
                let by = resolved.setter_of(&here).unwrap_or("?");
                out.push_str(&format!("{line:<48}  # {by}\n"));
            }
        }
    }
}
