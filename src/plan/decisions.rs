//! The decisions a plan records: each choice, the answer that caused it, and (from its kind in
//! `rationale`) its concern, threat, reason and rubric rows; the two comment lines
//! `render --annotate` writes above the field that carries it; and the warnings about what a
//! user would not expect of the bundle.

use serde::Serialize;

use super::rationale;
use super::threats::{Concern, Threat};
use crate::error::Warning;

/// One choice the plan made, the answer that caused it, and what it counters. The concern,
/// threat, reason and rubric rows come from the decision's kind in [`crate::plan::rationale`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub id: &'static str,
    pub concern: Concern,
    pub summary: String,
    pub cause: String,
    pub reason: &'static str,
    pub threat: Threat,
    pub rubric: Vec<u8>,
}

/// What the plan decides, in order, and what it warns about.
#[derive(Default)]
pub(super) struct Decisions {
    pub(super) made: Vec<Decision>,
    pub(super) warnings: Vec<Warning>,
}

impl Decisions {
    /// Records a decision of the kind `id` (which must be in [`crate::plan::rationale::KINDS`]) and
    /// returns its index.
    pub(super) fn add(
        &mut self,
        id: &'static str,
        summary: impl Into<String>,
        cause: impl Into<String>,
    ) -> usize {
        let kind = rationale::kind(id)
            .unwrap_or_else(|| panic!("decision `{id}` has no entry in rationale::KINDS"));
        self.made.push(Decision {
            id: kind.id,
            concern: kind.concern,
            summary: summary.into(),
            cause: cause.into(),
            reason: kind.reason,
            threat: kind.threat,
            rubric: kind.rubric.to_vec(),
        });
        self.made.len() - 1
    }

    /// Records a warning: something in the bundle the user would not expect, or that leaves
    /// it below the rubric.
    pub(super) fn warn(&mut self, id: &'static str, message: impl Into<String>) {
        self.warnings.push(Warning::new(id, message));
    }
}

/// A decision on one line: `id: summary [cause]` (raw text: escape it where it is shown).
pub fn headline(id: &str, summary: &str, cause: &str) -> String {
    format!("{id}: {summary} [{cause}]")
}

/// The comment `render --annotate` writes above a field that carries `decision`: what was
/// decided and the answer that caused it, then why and against what. Raw text: the template
/// filter makes each line comment-safe.
pub fn note(decision: &Decision) -> [String; 2] {
    let rows = if decision.rubric.is_empty() {
        String::new()
    } else {
        let rows: Vec<String> = decision.rubric.iter().map(u8::to_string).collect();
        format!("; rubric {}", rows.join(", "))
    };
    [
        headline(decision.id, &decision.summary, &decision.cause),
        format!(
            "why: {} (against {}{rows})",
            decision.reason,
            decision.threat.title()
        ),
    ]
}
