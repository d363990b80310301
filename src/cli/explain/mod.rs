//! `kubeward explain`: a plan's decisions in words, grouped by concern, each with the answer
//! that caused it, the threat it counters and its references (from [`crate::plan::rubric`]);
//! a system's (`system`: `-f DIR`); or one rule on its own (a check rule, a rubric row or a
//! kind of decision). Text for people, JSON for tools.

mod system;

use std::path::Path;

use serde::Serialize;

use super::shared::{ServiceArgs, TextOrJson};
use crate::check;
use crate::error::{Error, Warning};
use crate::output::stdout::{print_text, to_json};
use crate::pipeline;
use crate::plan::rationale::{self, DecisionKind};
use crate::plan::rubric::{self, Row};
use crate::plan::{Concern, Decision, Plan, Threat, headline};
use crate::system::overview::Overview;
use crate::yaml::safe::one_line;

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Explain one rule: a check rule (e.g. KW-SEC-001), a rubric row (rubric-1 .. rubric-35, rubric-37) or a decision id (e.g. non-root);
    /// with a service, also where its plan applies it
    #[arg(long, value_name = "ID")]
    pub rule: Option<String>,
    /// Only the decisions that counter this threat (e.g. exposed-secrets, man-in-the-middle)
    #[arg(long, value_name = "THREAT")]
    pub threat: Option<String>,
    /// text for people, json for tools
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
    #[command(flatten)]
    pub service: ServiceArgs,
}

/// The rule `--rule` names, if any (it does not go with `--threat`).
fn rule_asked(args: &ExplainArgs) -> Result<Option<Rule>, Error> {
    let Some(id) = &args.rule else {
        return Ok(None);
    };
    if args.threat.is_some() {
        return Err(Error::Usage(
            "--threat filters a plan; it does not go with --rule".into(),
        ));
    }
    find_rule(id).map(Some).map_err(Error::Usage)
}

/// The threat `--threat` names, if any.
fn threat_asked(args: &ExplainArgs) -> Result<Option<Threat>, Error> {
    args.threat
        .as_deref()
        .map(parse_threat)
        .transpose()
        .map_err(Error::Usage)
}

pub fn run(args: &ExplainArgs) -> Result<(), Error> {
    if let Some(dir) = args.service.system()? {
        return explain_folder(dir, args);
    }
    let plan = match (args.service.given(), &args.rule) {
        (false, Some(_)) => None,
        _ => Some(pipeline::plan(&args.service.input())?.1),
    };
    let text = match rule_asked(args)? {
        Some(rule) => {
            let explained = explain_rule(rule, plan.as_ref());
            match args.format {
                TextOrJson::Text => rule_text(
                    &explained,
                    plan.as_ref()
                        .map(|p| (p.name.as_str(), p.namespace.as_str())),
                ),
                TextOrJson::Json => to_json(&explained),
            }
        }
        None => {
            let plan = plan.expect("a plan is made unless only a rule is asked for");
            let explained = explain(&plan, threat_asked(args)?);
            match args.format {
                TextOrJson::Text => text(&explained),
                TextOrJson::Json => to_json(&explained),
            }
        }
    };
    print_text(&text)
}

/// `explain -f DIR`: the system, then each of its services (or, with `--rule`, the rule and
/// where each service's plan applies it).
fn explain_folder(dir: &Path, args: &ExplainArgs) -> Result<(), Error> {
    let options = pipeline::system::Options {
        api_server_cidrs: &args.service.customise.api_server_cidr,
        ..pipeline::system::Options::reading(
            args.service.overrides(),
            args.service.customise.presets.lookup(),
        )
    };
    let (system, _, _) = pipeline::system::load(&[dir.to_path_buf()], &options)?;
    let plans = pipeline::system::plans(&system);
    let text = match rule_asked(args)? {
        Some(rule) => {
            let explained: Vec<RuleExplanation> = plans
                .iter()
                .map(|plan| explain_rule(rule, Some(plan)))
                .collect();
            match args.format {
                TextOrJson::Text => explained
                    .iter()
                    .zip(&plans)
                    .map(|(rule, plan)| rule_text(rule, Some((&plan.name, &plan.namespace))))
                    .collect::<Vec<_>>()
                    .join("\n"),
                TextOrJson::Json => to_json(&explained),
            }
        }
        None => {
            let overview = Overview::new(&system, &plans);
            let explained = system::explain_system(overview, &plans, threat_asked(args)?);
            match args.format {
                TextOrJson::Text => system::system_text(&explained),
                TextOrJson::Json => to_json(&explained),
            }
        }
    };
    print_text(&text)
}

/// The prefix of a rubric row's rule id, e.g. `rubric-5`.
pub const ROW_PREFIX: &str = "rubric-";

/// The plan of one service, explained.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub name: String,
    pub namespace: String,
    /// Only decisions countering this threat, when asked.
    pub threat: Option<ThreatRef>,
    pub concerns: Vec<ConcernGroup>,
    /// What the user would not expect of the bundle (`render` shows the same on stderr).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConcernGroup {
    pub concern: Concern,
    pub title: &'static str,
    pub decisions: Vec<Explained>,
}

/// One decision with everything that explains it.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    pub id: &'static str,
    pub summary: String,
    /// The answer in the spec (or the preset) that caused the decision.
    pub cause: String,
    pub reason: &'static str,
    pub threat: ThreatRef,
    pub references: Vec<&'static Row>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ThreatRef {
    pub id: &'static str,
    pub title: &'static str,
}

impl From<Threat> for ThreatRef {
    fn from(threat: Threat) -> Self {
        ThreatRef {
            id: threat.id(),
            title: threat.title(),
        }
    }
}

/// Parses a threat id as `--threat` takes it.
pub fn parse_threat(id: &str) -> Result<Threat, String> {
    Threat::ALL
        .into_iter()
        .find(|t| t.id() == id)
        .ok_or_else(|| {
            let ids: Vec<&str> = Threat::ALL.iter().map(|t| t.id()).collect();
            format!(
                "unknown threat `{}`; known: {}",
                one_line(id),
                ids.join(", ")
            )
        })
}

fn references(rows: &[u8]) -> Vec<&'static Row> {
    rows.iter().filter_map(|r| rubric::row(*r)).collect()
}

fn explained(decision: &Decision) -> Explained {
    Explained {
        id: decision.id,
        summary: decision.summary.clone(),
        cause: decision.cause.clone(),
        reason: decision.reason,
        threat: decision.threat.into(),
        references: references(&decision.rubric),
    }
}

/// Groups the plan's decisions by concern (empty groups left out), optionally only those that
/// counter `threat`.
pub fn explain(plan: &Plan, threat: Option<Threat>) -> Explanation {
    let concerns = Concern::ALL
        .into_iter()
        .map(|concern| ConcernGroup {
            concern,
            title: concern.title(),
            decisions: plan
                .decisions
                .iter()
                .filter(|d| d.concern == concern && threat.is_none_or(|t| d.threat == t))
                .map(explained)
                .collect(),
        })
        .filter(|group| !group.decisions.is_empty())
        .collect();
    Explanation {
        name: plan.name.clone(),
        namespace: plan.namespace.clone(),
        threat: threat.map(Into::into),
        concerns,
        warnings: plan.warnings.clone(),
    }
}

/// One line per kind of reference, e.g. `checkov: CKV_K8S_23`.
fn reference_lines(row: &Row) -> Vec<String> {
    let mut lines = Vec::new();
    let mut add = |label: &str, ids: &[&str]| {
        if !ids.is_empty() {
            lines.push(format!("{label}: {}", ids.join(", ")));
        }
    };
    add("PSS", row.pss);
    add("checkov", row.checkov);
    add("kube-score", row.kube_score);
    add("NSA/CISA", row.nsa.as_slice());
    lines
}

fn push_row(out: &mut String, row: &Row, indent: &str) {
    out.push_str(&format!("{indent}{ROW_PREFIX}{}: {}\n", row.row, row.title));
    for line in reference_lines(row) {
        out.push_str(&format!("{indent}  {line}\n"));
    }
}

fn push_decision(out: &mut String, decision: &Explained) {
    out.push_str(&format!(
        "  {}: {}\n",
        decision.id,
        one_line(&decision.summary)
    ));
    out.push_str(&format!("    caused by: {}\n", one_line(&decision.cause)));
    out.push_str(&format!("    why:       {}\n", decision.reason));
    out.push_str(&format!("    counters:  {}\n", decision.threat.title));
    for row in &decision.references {
        push_row(out, row, "    ");
    }
}

/// The explanation as text for a terminal: user values on one line each, control characters
/// escaped.
pub fn text(explanation: &Explanation) -> String {
    let count: usize = explanation.concerns.iter().map(|g| g.decisions.len()).sum();
    let mut out = format!(
        "{} in namespace {}: {count} decision{}",
        one_line(&explanation.name),
        one_line(&explanation.namespace),
        if count == 1 { "" } else { "s" }
    );
    if let Some(threat) = explanation.threat {
        out.push_str(&format!(" against {}", threat.title));
    }
    out.push('\n');
    for group in &explanation.concerns {
        out.push_str(&format!("\n{}\n", group.title));
        for decision in &group.decisions {
            push_decision(&mut out, decision);
        }
    }
    if !explanation.warnings.is_empty() {
        out.push_str("\nWarnings\n");
        for warning in &explanation.warnings {
            out.push_str(&format!("  {}\n", one_line(&warning.to_string())));
        }
    }
    out
}

/// A rule `explain --rule` can explain: a check rule, a rubric row or a kind of decision.
#[derive(Clone, Copy)]
pub enum Rule {
    Row(&'static Row),
    Kind(&'static DecisionKind),
    /// A rule of `kubeward check` (`KW-SEC-001`...), explained through its rubric rows.
    Check(&'static check::Rule),
}

/// Finds a rule by id: `rubric-N` for a row, a decision id such as `non-root`, or a rule of
/// `kubeward check` such as `KW-SEC-001`.
pub fn find_rule(id: &str) -> Result<Rule, String> {
    if let Some(rule) = check::all_rules().find(|r| r.id.eq_ignore_ascii_case(id)) {
        return Ok(Rule::Check(rule));
    }
    if let Some(number) = id.strip_prefix(ROW_PREFIX)
        && let Some(row) = number.parse().ok().and_then(rubric::row)
    {
        return Ok(Rule::Row(row));
    }
    if let Some(kind) = rationale::kind(id) {
        return Ok(Rule::Kind(kind));
    }
    let kinds: Vec<&str> = rationale::KINDS.iter().map(|k| k.id).collect();
    Err(format!(
        "no rule `{}`: give a check rule (KW-SEC-001 ..., see `kubeward check --list-rules`), a rubric row ({}) or a decision id ({})",
        one_line(id),
        row_ranges(),
        kinds.join(", ")
    ))
}

/// The rubric's rows as runs of consecutive numbers: `rubric-1 to rubric-35, rubric-37`.
fn row_ranges() -> String {
    let mut runs: Vec<(u8, u8)> = Vec::new();
    for row in rubric::ROWS {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == row.row => *last = row.row,
            _ => runs.push((row.row, row.row)),
        }
    }
    let runs: Vec<String> = runs
        .iter()
        .map(|(first, last)| match first == last {
            true => format!("{ROW_PREFIX}{first}"),
            false => format!("{ROW_PREFIX}{first} to {ROW_PREFIX}{last}"),
        })
        .collect();
    runs.join(", ")
}

/// One rule explained, and the decisions of a plan it applies to (when a plan is given).
#[derive(Debug, Clone, Serialize)]
pub struct RuleExplanation {
    pub id: String,
    pub title: String,
    /// For a decision kind: its concern and reason.
    pub concern: Option<Concern>,
    pub reason: Option<&'static str>,
    pub threats: Vec<ThreatRef>,
    pub references: Vec<&'static Row>,
    /// The kinds of decision that satisfy the row, or the kind itself.
    pub decided_by: Vec<&'static str>,
    /// The plan's decisions of those kinds, when a service was given.
    pub in_plan: Option<Vec<Explained>>,
    /// For a rule of `kubeward check`: how it differs from the scanner checks it is not the
    /// same as ("Stricter than checkov `CKV_K8S_27`: ...").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
}

/// Explains `rule`, and where `plan` applies it.
pub fn explain_rule(rule: Rule, plan: Option<&Plan>) -> RuleExplanation {
    let kinds: Vec<&'static DecisionKind> = match rule {
        Rule::Row(row) => rationale::KINDS
            .iter()
            .filter(|k| k.rubric.contains(&row.row))
            .collect(),
        Rule::Kind(kind) => vec![kind],
        Rule::Check(rule) => rationale::KINDS
            .iter()
            .filter(|k| k.rubric.iter().any(|row| rule.rubric.contains(row)))
            .collect(),
    };
    let mut threats: Vec<Threat> = kinds.iter().map(|k| k.threat).collect();
    threats.sort();
    threats.dedup();
    let decided_by: Vec<&'static str> = kinds.iter().map(|k| k.id).collect();
    let in_plan = plan.map(|plan| {
        plan.decisions
            .iter()
            .filter(|d| decided_by.contains(&d.id))
            .map(explained)
            .collect()
    });
    let threats = threats.into_iter().map(Into::into).collect();
    match rule {
        Rule::Row(row) => RuleExplanation {
            id: format!("{ROW_PREFIX}{}", row.row),
            title: row.title.to_string(),
            concern: None,
            reason: None,
            threats,
            references: vec![row],
            decided_by,
            in_plan,
            related: Vec::new(),
        },
        Rule::Check(rule) => RuleExplanation {
            id: rule.id.to_string(),
            title: rule.title.to_string(),
            concern: None,
            reason: Some(rule.explanation),
            threats,
            references: references(rule.rubric),
            decided_by,
            in_plan,
            related: check::catalogue::related_lines(rule),
        },
        Rule::Kind(kind) => RuleExplanation {
            id: kind.id.to_string(),
            title: format!("a decision about {}", kind.concern.title().to_lowercase()),
            concern: Some(kind.concern),
            reason: Some(kind.reason),
            threats,
            references: references(kind.rubric),
            decided_by,
            in_plan,
            related: Vec::new(),
        },
    }
}

/// The rule as text for a terminal.
pub fn rule_text(rule: &RuleExplanation, service: Option<(&str, &str)>) -> String {
    let mut out = format!("{}: {}\n", rule.id, rule.title);
    if let Some(reason) = rule.reason {
        out.push_str(&format!("  why:      {reason}\n"));
    }
    for line in &rule.related {
        out.push_str(&format!("  scanners: {line}\n"));
    }
    let threats: Vec<&str> = rule.threats.iter().map(|t| t.title).collect();
    if !threats.is_empty() {
        out.push_str(&format!("  counters: {}\n", threats.join("; ")));
    }
    if !rule.decided_by.is_empty() {
        out.push_str(&format!("  decided by: {}\n", rule.decided_by.join(", ")));
    }
    if rule.references.is_empty() {
        out.push_str("  no rubric row: beyond what the scanners check\n");
    }
    match rule.references.as_slice() {
        [row] if rule.id == format!("{ROW_PREFIX}{}", row.row) => {
            for line in reference_lines(row) {
                out.push_str(&format!("  {line}\n"));
            }
        }
        rows => {
            for row in rows {
                push_row(&mut out, row, "  ");
            }
        }
    }
    if let (Some(decisions), Some((name, namespace))) = (&rule.in_plan, service) {
        out.push_str(&format!(
            "\nIn {} (namespace {}):\n",
            one_line(name),
            one_line(namespace)
        ));
        if decisions.is_empty() {
            out.push_str("  not applied: no decision of this kind in the plan\n");
        }
        for d in decisions {
            let line = headline(d.id, &d.summary, &d.cause);
            out.push_str(&format!("  {}\n", one_line(&line)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_found_by_check_id_row_or_decision_id() {
        assert!(matches!(find_rule("rubric-5"), Ok(Rule::Row(r)) if r.row == 5));
        assert!(matches!(find_rule("non-root"), Ok(Rule::Kind(k)) if k.id == "non-root"));
        assert!(matches!(find_rule("KW-SEC-001"), Ok(Rule::Check(r)) if r.rubric == [1]));
        for good in [
            "rubric-31",
            "rubric-33",
            "rubric-34",
            "rubric-35",
            "rubric-36",
            "rubric-37",
        ] {
            assert!(matches!(find_rule(good), Ok(Rule::Row(_))), "{good}");
        }
        for bad in [
            "rubric-0",
            "rubric-38",
            "rubric-40",
            "rubric-x",
            "KW-SEC-999",
            "",
        ] {
            let Err(err) = find_rule(bad) else {
                panic!("{bad} is not a rule")
            };
            assert!(
                err.contains("rubric-1 to rubric-37") && err.contains("KW-SEC-001"),
                "{err}"
            );
        }
    }

    #[test]
    fn a_row_is_decided_by_every_kind_that_cites_it() {
        let Ok(rule) = find_rule("rubric-24") else {
            panic!("row 24")
        };
        let explained = explain_rule(rule, None);
        for id in ["caller", "no-callers", "egress-app", "egress-cidr"] {
            assert!(explained.decided_by.contains(&id), "{id}");
        }
        assert!(!explained.decided_by.contains(&"non-root"));
        assert_eq!(
            explained.threats,
            vec![
                ThreatRef::from(Threat::UnauthorisedAccess),
                ThreatRef::from(Threat::ApiServerAttack)
            ]
        );
    }

    #[test]
    fn unknown_threats_list_the_known_ones() {
        assert_eq!(parse_threat("exposed-secrets"), Ok(Threat::ExposedSecrets));
        let err = parse_threat("aliens\n").unwrap_err();
        assert!(
            err.contains("man-in-the-middle") && !err.contains('\n'),
            "{err}"
        );
    }
}
