//! Suppressions a team accepts in a file kept beside its CI configuration (`kubeward check
//! --suppressions FILE`), where the audited manifests cannot add to them: each entry names a
//! rule, one object (as the report names it), the reason, and the date after which it stops
//! counting. A malformed entry is an error at its line; an expired one, or one that matches no
//! finding, is a warning.

use std::path::Path;

use serde::Deserialize;
use time::{Date, Month};

use super::object::Object;
use super::{Finding, Suppression, SuppressionKind};
use crate::error::{Error, FieldError, Warning};
use crate::spec::document::Document;

/// The `kind` of a suppressions file.
pub const KIND: &str = "Suppressions";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SuppressionsFile {
    api_version: String,
    kind: String,
    #[serde(default)]
    suppressions: Vec<EntryFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    rule: String,
    object: String,
    reason: String,
    expires: String,
}

/// One accepted suppression in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub rule: String,
    /// The object as reports name it: `Deployment shop/api`, or `ClusterRole viewer`.
    pub object: String,
    pub reason: String,
    pub expires: Date,
    /// `FILE:LINE` of the entry.
    pub location: String,
}

/// A suppressions file read on a given day: the entries in force, and a warning for each
/// expired one.
#[derive(Debug, Default)]
pub struct Accepted {
    pub entries: Vec<Entry>,
    pub warnings: Vec<Warning>,
}

/// Reads the suppressions file `path` as of `today`.
pub fn load(path: &Path, today: Date) -> Result<Accepted, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::io(
            format!("cannot read the suppressions file {}", path.display()),
            e,
        )
    })?;
    parse(&path.display().to_string(), &text, today)
}

/// Parses a suppressions file called `name`.
pub fn parse(name: &str, text: &str, today: Date) -> Result<Accepted, Error> {
    let document = Document::new(name, "suppressions file", text);
    let problem = |error: FieldError| document.problem(error);
    let file: SuppressionsFile =
        document.parse(KIND, |f: &SuppressionsFile| (&f.api_version, &f.kind))?;
    let mut accepted = Accepted::default();
    for (i, entry) in file.suppressions.into_iter().enumerate() {
        let field = |key: &str| format!("suppressions[{i}].{key}");
        let rule = super::rule(&entry.rule).ok_or_else(|| {
            problem(FieldError::new(
                field("rule"),
                format!(
                    "`{}` is not a kubeward rule id (see `kubeward check --list-rules`)",
                    entry.rule
                ),
            ))
        })?;
        if super::cross::is_floor(rule) {
            return Err(problem(FieldError::new(
                field("rule"),
                format!(
                    "{} judges a preset floor, and a floor breach cannot be suppressed: the exception belongs in the preset",
                    rule.id
                ),
            )));
        }
        if entry
            .object
            .split_once(' ')
            .is_none_or(|(k, n)| k.is_empty() || n.is_empty())
        {
            return Err(problem(FieldError::new(
                field("object"),
                format!(
                    "`{}` does not name an object: write it as the report does, `Kind namespace/name` (or `Kind name`)",
                    entry.object
                ),
            )));
        }
        if entry.reason.trim().is_empty() {
            return Err(problem(FieldError::new(
                field("reason"),
                "is empty: say why the finding is acceptable",
            )));
        }
        let expires =
            date(&entry.expires).map_err(|why| problem(FieldError::new(field("expires"), why)))?;
        let location = match document.line_of(&format!("suppressions[{i}]")) {
            Some(line) => format!("{name}:{line}"),
            None => name.to_string(),
        };
        if expires < today {
            accepted.warnings.push(Warning::new(
                "expired-suppression",
                format!(
                    "{location}: the suppression of {} for {} expired on {expires}: it no longer counts; fix the finding, or renew the entry with a new date",
                    entry.rule, entry.object
                ),
            ));
            continue;
        }
        accepted.entries.push(Entry {
            rule: entry.rule,
            object: entry.object,
            reason: entry.reason.trim().to_string(),
            expires,
            location,
        });
    }
    Ok(accepted)
}

/// `YYYY-MM-DD`.
fn date(text: &str) -> Result<Date, String> {
    let bad = || format!("`{text}` is not a date: write YYYY-MM-DD, e.g. 2027-03-31");
    let mut parts = text.trim().split('-');
    let (Some(year), Some(month), Some(day), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return Err(bad());
    }
    let number = |t: &str| t.parse::<u8>().map_err(|_| bad());
    let year: i32 = year.parse().map_err(|_| bad())?;
    let month = Month::try_from(number(month)?).map_err(|_| bad())?;
    Date::from_calendar_date(year, month, number(day)?).map_err(|_| bad())
}

impl Accepted {
    /// Marks the findings of `object` (its index is `index`, its findings at the end of
    /// `findings`) that an entry accepts and nothing suppressed yet.
    pub fn apply(&self, object: &Object, index: usize, findings: &mut [Finding]) {
        if self.entries.is_empty() {
            return;
        }
        let display = object.display();
        for finding in findings.iter_mut().rev() {
            if finding.object != index {
                break;
            }
            if finding.suppressed.is_some() {
                continue;
            }
            finding.suppressed = self
                .entries
                .iter()
                .find(|e| e.rule == finding.rule.id && e.object == display)
                .map(|e| Suppression {
                    annotation: e.location.clone(),
                    reason: format!("{} (accepted until {})", e.reason, e.expires),
                    kind: SuppressionKind::External,
                });
        }
    }

    /// A warning for each entry that suppressed none of `findings`: the object or the rule
    /// changed, and the entry is stale.
    pub fn unused(&self, findings: &[Finding]) -> Vec<Warning> {
        self.entries
            .iter()
            .filter(|e| {
                !findings.iter().any(|f| {
                    f.suppressed.as_ref().is_some_and(|s| {
                        s.kind == SuppressionKind::External && s.annotation == e.location
                    })
                })
            })
            .map(|e| {
                Warning::new(
                    "unused-suppression",
                    format!(
                        "{}: the suppression of {} for {} matches no finding: remove it",
                        e.location, e.rule, e.object
                    ),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::from_calendar_date(2026, Month::June, 15).unwrap()
    }

    fn file(entries: &str) -> String {
        format!("apiVersion: kubeward.dev/v1alpha1\nkind: Suppressions\nsuppressions:\n{entries}")
    }

    const ENTRY: &str = "  - rule: KW-SEC-009\n    object: Deployment shop/agent\n    reason: the node agent needs it (SEC-123)\n    expires: 2026-06-15\n";

    #[test]
    fn an_entry_counts_through_its_expiry_date_and_not_after() {
        let accepted = parse("s.yaml", &file(ENTRY), today()).unwrap();
        assert_eq!(accepted.entries.len(), 1);
        assert_eq!(accepted.entries[0].location, "s.yaml:4");
        assert!(accepted.warnings.is_empty());
        let later = today().next_day().unwrap();
        let accepted = parse("s.yaml", &file(ENTRY), later).unwrap();
        assert!(accepted.entries.is_empty());
        assert_eq!(accepted.warnings[0].id, "expired-suppression");
        assert!(
            accepted.warnings[0]
                .message
                .starts_with("s.yaml:4: the suppression of KW-SEC-009 for Deployment shop/agent expired on 2026-06-15"),
            "{}",
            accepted.warnings[0]
        );
    }

    #[test]
    fn malformed_entries_are_errors_naming_the_field_and_line() {
        for (entry, expected) in [
            (
                ENTRY.replace("KW-SEC-009", "KW-SEC-999"),
                "line 4: suppressions[0].rule: `KW-SEC-999` is not a kubeward rule id",
            ),
            (
                ENTRY.replace("KW-SEC-009", "KW-FLOOR-001"),
                "suppressions[0].rule: KW-FLOOR-001 judges a preset floor",
            ),
            (
                ENTRY.replace("2026-06-15", "2026-13-01"),
                "line 7: suppressions[0].expires: `2026-13-01` is not a date",
            ),
            (
                ENTRY.replace("2026-06-15", "15/06/2026"),
                "suppressions[0].expires: `15/06/2026` is not a date",
            ),
            (
                ENTRY.replace("the node agent needs it (SEC-123)", "' '"),
                "line 6: suppressions[0].reason: is empty",
            ),
            (
                ENTRY.replace("Deployment shop/agent", "agent"),
                "suppressions[0].object: `agent` does not name an object",
            ),
            (
                ENTRY.replace("    expires: 2026-06-15\n", ""),
                "missing field `expires`",
            ),
            (
                ENTRY.replace("reason:", "because:"),
                "unknown field `because`",
            ),
        ] {
            let err = parse("s.yaml", &file(&entry), today()).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            let text = err.to_string();
            assert!(
                text.starts_with("s.yaml is not a valid suppressions file: "),
                "{text}"
            );
            assert!(text.contains(expected), "{expected}\n{text}");
        }
    }
}
