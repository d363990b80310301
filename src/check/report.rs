//! The result of a check in three forms: human text grouped by object with file and line,
//! JSON, and SARIF 2.1.0 (rule metadata and locations, for GitHub code scanning).

use std::collections::HashMap;
use std::fmt::Write;

use serde_json::{Value, json};

use super::load::{LoadError, Loaded, STDIN};
use super::object::Object;
use super::{Finding, Rule, Severity, all_rules};
use crate::yaml::locate::Locator;

/// A finished check: what was read, what was found, and the threshold that fails it.
pub struct Report<'a> {
    pub loaded: &'a Loaded,
    pub findings: &'a [Finding],
    pub fail_on: Severity,
}

/// Counts of unsuppressed findings per severity, and of suppressed ones.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub suppressed: usize,
}

impl Report<'_> {
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for finding in self.findings {
            let slot = match (&finding.suppressed, finding.rule.severity) {
                (Some(_), _) => &mut counts.suppressed,
                (None, Severity::Error) => &mut counts.error,
                (None, Severity::Warning) => &mut counts.warning,
                (None, Severity::Info) => &mut counts.info,
            };
            *slot += 1;
        }
        counts
    }

    /// Whether an unsuppressed finding is at or above `fail_on`.
    pub fn failed(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.suppressed.is_none() && f.rule.severity >= self.fail_on)
    }

    fn object(&self, finding: &Finding) -> &Object {
        &self.loaded.objects[finding.object]
    }

    fn file_of(&self, object: &Object) -> &str {
        &self.loaded.sources[object.origin.source].name
    }

    pub fn summary(&self) -> String {
        let c = self.counts();
        let files = self.loaded.sources.len();
        let mut text = format!(
            "{} object(s) in {files} input(s): {} error(s), {} warning(s), {} info; {} suppressed",
            self.loaded.objects.len(),
            c.error,
            c.warning,
            c.info,
            c.suppressed
        );
        if self.loaded.skipped > 0 {
            let _ = write!(
                text,
                "; {} document(s) of other kinds skipped",
                self.loaded.skipped
            );
        }
        if !self.loaded.errors.is_empty() {
            let _ = write!(text, "; {} input error(s)", self.loaded.errors.len());
        }
        text
    }

    /// Human text: findings grouped by object, each object with its file and line.
    pub fn text(&self) -> String {
        let mut lines = Lines::new(self.loaded);
        let mut out = String::new();
        let mut current = None;
        for finding in self.findings {
            let object = self.object(finding);
            if current != Some(finding.object) {
                current = Some(finding.object);
                let _ = writeln!(
                    out,
                    "{}{}:{}: {}",
                    if out.is_empty() { "" } else { "\n" },
                    self.file_of(object),
                    object.origin.line,
                    object.display()
                );
            }
            let label = match finding.suppressed {
                Some(_) => "suppressed",
                None => finding.rule.severity.as_str(),
            };
            let _ = write!(
                out,
                "  {label:<10} {:<12} line {:<5} {}",
                finding.rule.id,
                lines.line(finding),
                finding.message
            );
            if let Some(s) = &finding.suppressed {
                let _ = write!(out, " [{}: {}]", s.annotation, s.reason);
            }
            out.push('\n');
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// The findings and input errors as one JSON document.
    pub fn json(&self) -> Value {
        let mut lines = Lines::new(self.loaded);
        let c = self.counts();
        let findings: Vec<Value> = self
            .findings
            .iter()
            .map(|f| {
                let object = self.object(f);
                json!({
                    "ruleId": f.rule.id,
                    "severity": f.rule.severity,
                    "title": f.rule.title,
                    "message": f.message,
                    "file": self.file_of(object),
                    "line": lines.line(f),
                    "path": f.path,
                    "object": {
                        "apiVersion": object.api_version,
                        "kind": object.kind_name(),
                        "namespace": object.namespace,
                        "name": object.name,
                        "line": object.origin.line,
                    },
                    "suppression": f.suppressed,
                })
            })
            .collect();
        json!({
            "tool": "kubeward",
            "version": env!("CARGO_PKG_VERSION"),
            "summary": {
                "objects": self.loaded.objects.len(),
                "inputs": self.loaded.sources.len(),
                "skipped": self.loaded.skipped,
                "errors": c.error,
                "warnings": c.warning,
                "info": c.info,
                "suppressed": c.suppressed,
                "failOn": self.fail_on,
                "failed": self.failed(),
            },
            "findings": findings,
            "inputErrors": self.loaded.errors.iter().map(input_error_json).collect::<Vec<_>>(),
        })
    }

    /// A SARIF 2.1.0 log with one run: every rule's metadata, every finding as a result
    /// (suppressed ones with an in-source suppression), input errors as notifications.
    pub fn sarif(&self) -> Value {
        let mut lines = Lines::new(self.loaded);
        let rules: Vec<&Rule> = all_rules().collect();
        let results: Vec<Value> = self
            .findings
            .iter()
            .map(|f| {
                let object = self.object(f);
                let mut result = json!({
                    "ruleId": f.rule.id,
                    "ruleIndex": rules.iter().position(|r| r.id == f.rule.id),
                    "level": sarif_level(f.rule.severity),
                    "message": {"text": format!("{}: {}", object.display(), f.message)},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri(self.file_of(object))},
                            "region": {"startLine": lines.line(f)},
                        },
                        "logicalLocations": [{
                            "fullyQualifiedName": format!("{}/{}", object.display().replace(' ', "/"), f.path),
                            "kind": "object",
                        }],
                    }],
                });
                if let Some(s) = &f.suppressed {
                    result["suppressions"] = json!([{
                        "kind": "inSource",
                        "justification": format!("{}: {}", s.annotation, s.reason),
                    }]);
                }
                result
            })
            .collect();
        let notifications: Vec<Value> = self
            .loaded
            .errors
            .iter()
            .map(|e| {
                let mut region = json!({});
                if let Some(line) = e.line {
                    region = json!({"startLine": line});
                }
                json!({
                    "level": "error",
                    "message": {"text": e.message},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": uri(&e.source)},
                        "region": region,
                    }}],
                })
            })
            .collect();
        json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "kubeward",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(|r| sarif_rule(r)).collect::<Vec<_>>(),
                }},
                "results": results,
                "invocations": [{
                    "executionSuccessful": self.loaded.errors.is_empty(),
                    "toolExecutionNotifications": notifications,
                }],
            }],
        })
    }
}

fn input_error_json(e: &LoadError) -> Value {
    json!({"file": e.source, "line": e.line, "message": e.message})
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A SARIF `reportingDescriptor` for a rule.
fn sarif_rule(rule: &Rule) -> Value {
    let security_severity = match rule.severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    };
    json!({
        "id": rule.id,
        "name": rule.id.replace('-', ""),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.explanation},
        "help": {
            "text": super::catalogue::help_text(rule),
            "markdown": super::catalogue::rule_markdown(rule),
        },
        "defaultConfiguration": {"level": sarif_level(rule.severity)},
        "properties": {
            "tags": ["security", "kubernetes"],
            "security-severity": security_severity,
            "rubric": rule.rubric,
        },
    })
}

/// A relative URI reference for a file name as given (stdin is `stdin`).
fn uri(name: &str) -> String {
    if name == STDIN {
        return "stdin".to_string();
    }
    let mut out = String::new();
    for byte in name.replace('\\', "/").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

/// The line of each finding, from a locator built once per object that has findings.
struct Lines<'a> {
    loaded: &'a Loaded,
    locators: HashMap<usize, Locator>,
}

impl<'a> Lines<'a> {
    fn new(loaded: &'a Loaded) -> Self {
        Lines {
            loaded,
            locators: HashMap::new(),
        }
    }

    fn line(&mut self, finding: &Finding) -> usize {
        let origin = &self.loaded.objects[finding.object].origin;
        if finding.path.is_empty() && origin.prefix.is_empty() {
            return origin.line;
        }
        let loaded = self.loaded;
        let locator = self.locators.entry(finding.object).or_insert_with(|| {
            Locator::new(&loaded.sources[origin.source].text[origin.document.clone()])
        });
        let path = match (origin.prefix.as_str(), finding.path.as_str()) {
            (prefix, "") => prefix.to_string(),
            ("", path) => path.to_string(),
            (prefix, path) => format!("{prefix}.{path}"),
        };
        locator
            .line_of(&path)
            .map_or(origin.line, |l| origin.document_line + l - 1)
    }
}
