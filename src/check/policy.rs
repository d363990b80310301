//! What a check applies besides its rules: the floors of presets (`check --preset`, and a
//! render's own preset), when a certificate counts as expiring (`--expiry-days`), and which
//! suppressions count: the manifests' own annotations (unless
//! `--no-inline-suppressions`), then the entries a team accepted in a suppressions file. A
//! floor breach stands whatever either says.

use super::accepted::Accepted;
use super::index::Expiry;
use super::object::Object;
use super::{Finding, cross, suppress};
use crate::preset::floors::Locks;

/// The floors and the suppression sources of one check.
#[derive(Debug)]
pub struct Policy {
    /// Floors judged by the KW-FLOOR rules.
    pub floors: Vec<Locks>,
    /// Whether the suppression annotations of the checked objects count.
    pub inline_suppressions: bool,
    /// Suppressions accepted in a file.
    pub accepted: Accepted,
    /// When a TLS Secret's certificate is reported as expiring (KW-SECRET-003).
    pub expiry: Expiry,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            floors: Vec::new(),
            inline_suppressions: true,
            accepted: Accepted::default(),
            expiry: Expiry::from_now(0),
        }
    }
}

impl Policy {
    /// Decides which findings of `object` (its index is `index`, its findings at the end of
    /// `findings`) are suppressed, and by what.
    pub(super) fn settle(&self, object: &Object, index: usize, findings: &mut [Finding]) {
        if self.inline_suppressions {
            suppress::apply(object, index, findings);
        }
        self.accepted.apply(object, index, findings);
        for finding in findings.iter_mut().rev() {
            if finding.object != index {
                break;
            }
            if cross::is_floor(finding.rule) {
                finding.suppressed = None;
            }
        }
    }
}
