//! The mesh across a system: the services of one namespace share its injection (the
//! Namespace is rendered once), so they run the same mesh; and a callee whose mesh admits
//! only identities is reached only by callers of the same mesh, which have one to prove.

use std::collections::BTreeMap;

use super::edges::Edge;
use super::{Member, Problem};
use crate::spec::Mesh;

fn id(member: &Member) -> String {
    format!("{}/{}", member.service.namespace, member.service.name)
}

/// The problems of the system's meshes, each at the line of the field that causes it.
pub(super) fn problems(members: &[Member], edges: &[Edge]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut first: BTreeMap<&str, &Member> = BTreeMap::new();
    for member in members {
        let namespace = member.service.namespace.as_str();
        let Some(other) = first.get(namespace) else {
            first.insert(namespace, member);
            continue;
        };
        if other.service.mesh != member.service.mesh {
            problems.push(member.problem(
                "spec.mesh",
                format!(
                    "namespace {namespace} runs mesh {} ({} says so), and its injection is the namespace's: use mesh {} here too",
                    other.service.mesh.as_str(),
                    id(other),
                    other.service.mesh.as_str()
                ),
            ));
        }
    }
    for edge in edges {
        let (caller, callee) = (&members[edge.caller], &members[edge.callee]);
        let (ours, theirs) = (caller.service.mesh, callee.service.mesh);
        if theirs == Mesh::None || ours == theirs {
            continue;
        }
        let message = format!(
            "{} admits only {} identities, and this service runs mesh {}: it has none to prove; use mesh {}",
            id(callee),
            theirs.as_str(),
            ours.as_str(),
            theirs.as_str()
        );
        problems.push(match edge.egress {
            Some(entry) => caller.problem(&format!("spec.egress[{entry}]"), message),
            None => caller.problem("spec.mesh", message),
        });
    }
    problems
}
