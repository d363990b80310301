//! The result of a check in three forms: human text grouped by object with file and line,
//! JSON, and SARIF 2.1.0 (rule metadata and locations, for GitHub code scanning). The JSON
//! forms are serialized straight from the findings to their writer, without a document
//! tree in between; the text form escapes everything the manifests supplied (names, file
//! names, annotations) for the terminal.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;
use std::ops::Range;

use serde::Serialize;
use serde_json::{Value, json};

use super::load::{Loaded, STDIN};
use super::object::Object;
use super::{Finding, Rule, Severity, Suppression, SuppressionKind, all_rules};
use crate::output::terminal::escape;
use crate::yaml::locate::Locator;

/// A finished check: what was read, what was found, the threshold that fails it, and the
/// line of each finding.
pub struct Report<'a> {
    pub loaded: &'a Loaded,
    pub findings: &'a [Finding],
    pub fail_on: Severity,
    /// The 1-based line of each finding, in the order of `findings`.
    lines: Vec<usize>,
}

/// Counts of unsuppressed findings per severity, and of suppressed ones.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub suppressed: usize,
}

impl<'a> Report<'a> {
    /// The report of `findings` on `loaded`; the line of every finding is looked up here,
    /// objects spread over the available cores.
    pub fn new(loaded: &'a Loaded, findings: &'a [Finding], fail_on: Severity) -> Self {
        let lines = super::spread::map(by_object(findings), |range| {
            let mut locator = None;
            findings[range.clone()]
                .iter()
                .map(|f| line_of(loaded, f, &mut locator))
                .collect::<Vec<usize>>()
        })
        .into_iter()
        .flatten()
        .collect();
        Report {
            loaded,
            findings,
            fail_on,
            lines,
        }
    }

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

    fn object(&self, finding: &Finding) -> &'a Object {
        &self.loaded.objects[finding.object]
    }

    fn file_of(&self, object: &Object) -> &'a str {
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

    /// Human text: findings grouped by object, each object with its file and line. What the
    /// manifests supplied is escaped for the terminal.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut current = None;
        for (finding, line) in self.findings.iter().zip(&self.lines) {
            let object = self.object(finding);
            if current != Some(finding.object) {
                current = Some(finding.object);
                let _ = writeln!(
                    out,
                    "{}{}:{}: {}",
                    if out.is_empty() { "" } else { "\n" },
                    escape(self.file_of(object)),
                    object.origin.line,
                    escape(&object.display())
                );
            }
            let label = match finding.suppressed {
                Some(_) => "suppressed",
                None => finding.rule.severity.as_str(),
            };
            let _ = write!(
                out,
                "  {label:<10} {:<12} line {line:<5} {}",
                finding.rule.id,
                escape(&finding.message)
            );
            if let Some(s) = &finding.suppressed {
                let _ = write!(out, " [{}: {}]", escape(&s.annotation), escape(&s.reason));
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

    /// Writes the findings and input errors as one JSON document.
    pub fn write_json(&self, out: &mut impl io::Write) -> io::Result<()> {
        crate::output::json::write(out, &self.json_document())
    }

    /// Writes a SARIF 2.1.0 log with one run: every rule's metadata, every finding as a
    /// result (suppressed ones with an in-source suppression), input errors as notifications.
    pub fn write_sarif(&self, out: &mut impl io::Write) -> io::Result<()> {
        crate::output::json::write(out, &self.sarif_document())
    }

    fn json_document(&self) -> JsonReport<'_> {
        let c = self.counts();
        JsonReport {
            tool: "kubeward",
            version: env!("CARGO_PKG_VERSION"),
            summary: JsonSummary {
                objects: self.loaded.objects.len(),
                inputs: self.loaded.sources.len(),
                skipped: self.loaded.skipped,
                errors: c.error,
                warnings: c.warning,
                info: c.info,
                suppressed: c.suppressed,
                fail_on: self.fail_on,
                failed: self.failed(),
            },
            findings: self
                .findings
                .iter()
                .zip(&self.lines)
                .map(|(f, &line)| {
                    let object = self.object(f);
                    JsonFinding {
                        rule_id: f.rule.id,
                        severity: f.rule.severity,
                        title: f.rule.title,
                        message: &f.message,
                        file: self.file_of(object),
                        line,
                        path: &f.path,
                        object: JsonObject {
                            api_version: &object.api_version,
                            kind: object.kind_name(),
                            namespace: object.namespace.as_deref(),
                            name: &object.name,
                            line: object.origin.line,
                        },
                        suppression: f.suppressed.as_ref(),
                        properties: Properties { cis: f.cis },
                    }
                })
                .collect(),
            input_errors: self
                .loaded
                .errors
                .iter()
                .map(|e| JsonInputError {
                    file: &e.source,
                    line: e.line,
                    message: &e.message,
                })
                .collect(),
        }
    }

    fn sarif_document(&self) -> SarifLog {
        let rules: Vec<&Rule> = all_rules().collect();
        let index: HashMap<&str, usize> =
            rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        let results: Vec<SarifResult> = self
            .findings
            .iter()
            .zip(&self.lines)
            .map(|(f, &line)| {
                let object = self.object(f);
                let display = object.display();
                SarifResult {
                    rule_id: f.rule.id,
                    rule_index: index[f.rule.id],
                    level: sarif_level(f.rule.severity),
                    message: SarifText {
                        text: format!("{display}: {}", f.message),
                    },
                    locations: [SarifLocation {
                        physical_location: SarifPhysical {
                            artifact_location: SarifArtifact {
                                uri: uri(self.file_of(object)),
                            },
                            region: SarifRegion { start_line: line },
                        },
                        logical_locations: [SarifLogical {
                            fully_qualified_name: format!(
                                "{}/{}",
                                display.replace(' ', "/"),
                                f.path
                            ),
                            kind: "object",
                        }],
                    }],
                    properties: f.cis.map(|cis| Properties { cis: Some(cis) }),
                    suppressions: f.suppressed.as_ref().map(|s| {
                        [SarifSuppression {
                            kind: s.kind,
                            justification: format!("{}: {}", s.annotation, s.reason),
                        }]
                    }),
                }
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
        SarifLog {
            schema: "https://json.schemastore.org/sarif-2.1.0.json",
            version: "2.1.0",
            runs: [SarifRun {
                tool: json!({"driver": {
                    "name": "kubeward",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(|r| sarif_rule(r)).collect::<Vec<_>>(),
                }}),
                results,
                invocations: [json!({
                    "executionSuccessful": self.loaded.errors.is_empty(),
                    "toolExecutionNotifications": notifications,
                })],
            }],
        }
    }
}

/// The ranges of `findings` that belong to one object each (they come grouped by object).
fn by_object(findings: &[Finding]) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (i, finding) in findings.iter().enumerate() {
        match ranges.last_mut() {
            Some(last) if findings[last.start].object == finding.object => last.end = i + 1,
            _ => ranges.push(i..i + 1),
        }
    }
    ranges
}

/// The line of a finding, from a locator of its document built on the first question.
fn line_of(loaded: &Loaded, finding: &Finding, locator: &mut Option<Locator>) -> usize {
    let origin = &loaded.objects[finding.object].origin;
    if finding.path.is_empty() && origin.prefix.is_empty() {
        return origin.line;
    }
    let locator = locator.get_or_insert_with(|| {
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonReport<'a> {
    tool: &'static str,
    version: &'static str,
    summary: JsonSummary,
    findings: Vec<JsonFinding<'a>>,
    input_errors: Vec<JsonInputError<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonSummary {
    objects: usize,
    inputs: usize,
    skipped: usize,
    errors: usize,
    warnings: usize,
    info: usize,
    suppressed: usize,
    fail_on: Severity,
    failed: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonFinding<'a> {
    rule_id: &'static str,
    severity: Severity,
    title: &'static str,
    message: &'a str,
    file: &'a str,
    line: usize,
    path: &'a str,
    object: JsonObject<'a>,
    suppression: Option<&'a Suppression>,
    /// `{}` when the finding says nothing beyond its rule.
    properties: Properties,
}

/// What a finding says beyond its rule: the CIS Kubernetes Benchmark check it breaks.
#[derive(Serialize)]
struct Properties {
    #[serde(skip_serializing_if = "Option::is_none")]
    cis: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonObject<'a> {
    api_version: &'a str,
    kind: &'a str,
    namespace: Option<&'a str>,
    name: &'a str,
    line: usize,
}

#[derive(Serialize)]
struct JsonInputError<'a> {
    file: &'a str,
    line: Option<usize>,
    message: &'a str,
}

#[derive(Serialize)]
struct SarifLog {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun; 1],
}

#[derive(Serialize)]
struct SarifRun {
    tool: Value,
    results: Vec<SarifResult>,
    invocations: [Value; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: SarifText,
    locations: [SarifLocation; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[SarifSuppression; 1]>,
}

#[derive(Serialize)]
struct SarifText {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: SarifPhysical,
    logical_locations: [SarifLogical; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysical {
    artifact_location: SarifArtifact,
    region: SarifRegion,
}

#[derive(Serialize)]
struct SarifArtifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLogical {
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct SarifSuppression {
    kind: SuppressionKind,
    justification: String,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_could_rewrite_the_terminal_are_escaped_in_the_text_and_exact_in_json() {
        let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: \"x\\e[2J\\u202Eevil\"\n  namespace: \"ns\\r\\u2066\"\n";
        let loaded = super::super::load::load_text("in\u{1b}]0;t\u{7}.yaml", text);
        let findings = super::super::run(&loaded.objects);
        let report = Report::new(&loaded, &findings, Severity::Warning);
        let out = report.text();
        assert!(
            !out.chars()
                .any(|c| c != '\n' && crate::output::terminal::is_hidden(c)),
            "{out}"
        );
        assert!(out.contains("x\\u{1B}[2J\\u{202E}evil"), "{out}");
        let mut json = Vec::new();
        report.write_json(&mut json).unwrap();
        let json: Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(
            json["findings"][0]["object"]["name"],
            "x\u{1b}[2J\u{202e}evil"
        );
        assert_eq!(json["findings"][0]["file"], "in\u{1b}]0;t\u{7}.yaml");
    }
}
