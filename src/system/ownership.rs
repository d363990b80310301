//! One owner for each namespace: its services agree on who writes the Namespace (and its
//! quota and LimitRange). Were some to write it and others leave it to the platform, the
//! namespace's folder would hold a Namespace that the platform's own object fights, or that
//! deleting one service's bundle never removes while another's still claims it.

use super::{Member, Problem, by_namespace};

/// A problem at `spec.namespace.manage` of each service that leaves its namespace to the
/// platform while another service of the system writes it.
pub(super) fn problems(members: &[Member]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (namespace, sharing) in by_namespace(members) {
        let (managing, left_to_platform): (Vec<&Member>, Vec<&Member>) =
            sharing.iter().partition(|m| m.service.manage_namespace);
        if managing.is_empty() {
            continue;
        }
        let writers: Vec<String> = managing.iter().map(|m| m.origin()).collect();
        for member in left_to_platform {
            problems.push(member.problem(
                "spec.namespace.manage",
                format!(
                    "false (the platform owns namespace `{namespace}`), but {} of the same namespace write its Namespace object: the services of one namespace agree on who owns it; set spec.namespace.manage the same in all of them (or in their presets)",
                    writers.join(", ")
                ),
            ));
        }
    }
    problems
}
