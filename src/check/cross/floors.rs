//! The rules of preset floors (KW-FLOOR): the minimums a preset locks, applied to any
//! manifests (`kubeward check --preset NAME`, and every render's self-check with its own
//! preset). Without floors they find nothing. Each finding names the floor and the preset,
//! file and line that locked it, and no annotation or suppressions file excuses it: an
//! exception to a floor belongs in the preset. `minSensitivity` is not judged here: manifests
//! do not carry a sensitivity.

use serde_json::Value;

use super::availability::replicas_unspread;
use crate::check::index::Index;
use crate::check::object::{Container, Kind, Object};
use crate::check::rules::{NONE, for_containers, pod_of, replicas};
use crate::check::{Applies, Hits, Rule, Severity};
use crate::preset::floors::{Floors, Locks, from_allowed_registry};
use crate::spec::image::ImageRef;

/// What the API server issues when a projected token gives no `expirationSeconds`.
const DEFAULT_TOKEN_SECONDS: u64 = 3600;

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-FLOOR-001",
        severity: Severity::Error,
        title: "Images come from the registries a preset floor allows (`allowedRegistries`)",
        explanation: "A preset's `allowedRegistries` floor names the registry prefixes images may \
come from (`ghcr.io/acme` covers `ghcr.io/acme/api`, not `ghcr.io/acme-evil/api`; Docker Hub's \
short names are read as `docker.io/library/...`). Every container's image, init containers \
included, must lie under one of them. Applied with `kubeward check --preset NAME`.",
        rubric: &[13],
        scanners: NONE,
        applies: Applies::Pods,
        check: allowed_registries,
    },
    Rule {
        id: "KW-FLOOR-002",
        severity: Severity::Error,
        title: "Images are pinned by digest where a preset floor requires it (`requireImageDigest`)",
        explanation: "A preset's `requireImageDigest` floor requires every image to name its \
digest (`repo:tag@sha256:<digest>`), whatever the sensitivity and whatever an annotation says.",
        rubric: &[13],
        scanners: NONE,
        applies: Applies::Pods,
        check: image_digest,
    },
    Rule {
        id: "KW-FLOOR-003",
        severity: Severity::Error,
        title: "Replicas reach a preset floor's minimum (`minReplicas`)",
        explanation: "A preset's `minReplicas` floor is the fewest pods a Deployment or StatefulSet \
may run: `spec.replicas` (1 when absent), or the `minReplicas` of the HorizontalPodAutoscaler \
that scales it.",
        rubric: &[19],
        scanners: NONE,
        applies: Applies::Replicated,
        check: min_replicas,
    },
    Rule {
        id: "KW-FLOOR-004",
        severity: Severity::Error,
        title: "API tokens live no longer than a preset floor allows (`maxTokenExpirationSeconds`)",
        explanation: "A preset's `maxTokenExpirationSeconds` floor bounds the lifetime of the pod's \
API token: every projected `serviceAccountToken` gives an `expirationSeconds` at most that long \
(3600 when absent), and the pod does not get the automounted token, which the API server extends \
to a year by default (`automountServiceAccountToken: false` on the pod or its ServiceAccount).",
        rubric: &[10, 12],
        scanners: NONE,
        applies: Applies::Pods,
        check: token_lifetime,
    },
    Rule {
        id: "KW-FLOOR-005",
        severity: Severity::Error,
        title: "Root filesystems are read-only where a preset floor requires it (`readOnlyRootFilesystem`)",
        explanation: "A preset's `readOnlyRootFilesystem` floor requires \
`securityContext.readOnlyRootFilesystem: true` on every container, init containers included.",
        rubric: &[6],
        scanners: NONE,
        applies: Applies::Pods,
        check: read_only_root,
    },
    Rule {
        id: "KW-FLOOR-006",
        severity: Severity::Error,
        title: "Containers run under RuntimeDefault seccomp where a preset floor requires it (`seccompProfile`)",
        explanation: "A preset's `seccompProfile: RuntimeDefault` floor requires every container \
to run under the runtime's default profile: its own `securityContext.seccompProfile`, or the \
pod's when it sets none, of type `RuntimeDefault` (not `Localhost`, not `Unconfined`).",
        rubric: &[8],
        scanners: NONE,
        applies: Applies::Pods,
        check: seccomp,
    },
    Rule {
        id: "KW-FLOOR-007",
        severity: Severity::Error,
        title: "Replicas are spread across nodes where a preset floor requires it (`spreadAcrossNodes`)",
        explanation: "A preset's `spreadAcrossNodes` floor requires a Deployment or StatefulSet with \
more than one pod to spread them: a `podAntiAffinity` term on `kubernetes.io/hostname` or a \
`topologySpreadConstraints` entry, selecting the pod's own labels.",
        rubric: &[20],
        scanners: NONE,
        applies: Applies::Replicated,
        check: spread,
    },
];

/// Every preset of the check that sets a floor, with that floor.
fn locks_with<'a, T>(
    index: &Index<'a>,
    floor: impl Fn(&'a Floors) -> Option<T>,
) -> impl Iterator<Item = (&'a Locks, T)> {
    index
        .floors()
        .iter()
        .filter_map(move |locks| floor(&locks.floors).map(|value| (locks, value)))
}

/// `; floor NAME VALUE, locked by preset ...`: the tail of every floor finding.
fn locked(locks: &Locks, floor: &str, value: impl std::fmt::Display) -> String {
    format!(
        "; floor {floor}: {value}, locked by {}",
        locks.locked_at(floor)
    )
}

fn image_of<'a>(container: &Container<'a>) -> &'a str {
    container
        .value
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn allowed_registries(index: &Index, object: &Object, hits: &mut Hits) {
    for (locks, allowed) in locks_with(index, |f| f.allowed_registries.as_ref()) {
        for_containers(object, hits, |c| {
            let image = image_of(c);
            let allowed_here =
                ImageRef::parse(image).is_ok_and(|i| from_allowed_registry(allowed, &i));
            (!allowed_here).then(|| {
                format!(
                    "{}: image `{image}` is not from an allowed registry{}",
                    c.label(),
                    locked(
                        locks,
                        "allowedRegistries",
                        format!("[{}]", allowed.join(", "))
                    )
                )
            })
        });
    }
}

fn image_digest(index: &Index, object: &Object, hits: &mut Hits) {
    for (locks, _) in locks_with(index, |f| f.require_image_digest.filter(|r| *r)) {
        for_containers(object, hits, |c| {
            let image = image_of(c);
            let pinned = ImageRef::parse(image).is_ok_and(|i| i.is_pinned_by_digest());
            (!pinned).then(|| {
                format!(
                    "{}: image `{image}` is not pinned by digest{}",
                    c.label(),
                    locked(locks, "requireImageDigest", true)
                )
            })
        });
    }
}

/// The autoscaler that scales `object`, if one is part of the check.
fn autoscaler<'a>(index: &Index<'a>, object: &'a Object) -> Option<&'a Object> {
    index
        .of_kind_in(Kind::HorizontalPodAutoscaler, object.namespace.as_deref())
        .find(|hpa| {
            let target = |k: &str| {
                hpa.at(&["spec", "scaleTargetRef", k])
                    .and_then(Value::as_str)
            };
            target("kind") == Some(object.kind_name()) && target("name") == Some(&object.name)
        })
}

fn min_replicas(index: &Index, object: &Object, hits: &mut Hits) {
    for (locks, min) in locks_with(index, |f| f.min_replicas) {
        let (count, what) = match autoscaler(index, object) {
            Some(hpa) => {
                let count = hpa
                    .at(&["spec", "minReplicas"])
                    .and_then(Value::as_i64)
                    .unwrap_or(1);
                let what = format!(
                    "its HorizontalPodAutoscaler {} may scale it down to {count} replica(s)",
                    hpa.name
                );
                (count, what)
            }
            None => {
                let count = replicas(object);
                (count, format!("{count} replica(s)"))
            }
        };
        if count < i64::from(min) {
            hits.add(
                "spec.replicas",
                format!("{what}{}", locked(locks, "minReplicas", min)),
            );
        }
    }
}

/// Whether the pod's ServiceAccount (when part of the check) turns the token automount off.
fn account_disables_automount(index: &Index, object: &Object, spec: &Value) -> bool {
    let account = spec
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .unwrap_or("default");
    index
        .find(Kind::ServiceAccount, object.namespace.as_deref(), account)
        .and_then(|sa| sa.at(&["automountServiceAccountToken"]))
        .and_then(Value::as_bool)
        == Some(false)
}

fn token_lifetime(index: &Index, object: &Object, hits: &mut Hits) {
    let Some((pod, _)) = pod_of(object) else {
        return;
    };
    for (locks, max) in locks_with(index, |f| f.max_token_expiration_seconds) {
        let tail = locked(locks, "maxTokenExpirationSeconds", max);
        let automount = pod
            .spec
            .get("automountServiceAccountToken")
            .and_then(Value::as_bool);
        let mounted = match automount {
            Some(value) => value,
            None => !account_disables_automount(index, object, pod.spec),
        };
        if mounted {
            hits.add(
                pod.spec_path,
                format!("the pod gets the automounted API token, which the API server extends to a year by default: set automountServiceAccountToken: false and project a short-lived token{tail}"),
            );
        }
        for (path, volume) in pod.volumes() {
            let sources = volume
                .get("projected")
                .and_then(|p| p.get("sources"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate();
            for (i, source) in sources {
                let Some(token) = source.get("serviceAccountToken") else {
                    continue;
                };
                let seconds = token
                    .get("expirationSeconds")
                    .and_then(Value::as_u64)
                    .unwrap_or(DEFAULT_TOKEN_SECONDS);
                if seconds > u64::from(max) {
                    hits.add(
                        format!("{path}.projected.sources[{i}].serviceAccountToken"),
                        format!("the projected API token lives {seconds} s{tail}"),
                    );
                }
            }
        }
    }
}

fn read_only_root(index: &Index, object: &Object, hits: &mut Hits) {
    for (locks, _) in locks_with(index, |f| f.read_only_root_filesystem.filter(|r| *r)) {
        for_containers(object, hits, |c| {
            let read_only = c
                .security("readOnlyRootFilesystem")
                .and_then(Value::as_bool);
            (read_only != Some(true)).then(|| {
                format!(
                    "{}: the root filesystem is writable (readOnlyRootFilesystem is not true){}",
                    c.label(),
                    locked(locks, "readOnlyRootFilesystem", true)
                )
            })
        });
    }
}

fn seccomp(index: &Index, object: &Object, hits: &mut Hits) {
    let Some((pod, _)) = pod_of(object) else {
        return;
    };
    let pod_type = pod.security("seccompProfile").and_then(|p| p.get("type"));
    for (locks, _) in locks_with(index, |f| f.seccomp_profile) {
        for_containers(object, hits, |c| {
            let kind = c
                .security("seccompProfile")
                .and_then(|p| p.get("type"))
                .or(pod_type)
                .and_then(Value::as_str);
            (kind != Some("RuntimeDefault")).then(|| {
                format!(
                    "{}: runs under seccomp {}{}",
                    c.label(),
                    kind.map_or("(none set: Unconfined by default)".to_string(), |k| {
                        format!("`{k}`")
                    }),
                    locked(locks, "seccompProfile", "RuntimeDefault")
                )
            })
        });
    }
}

fn spread(index: &Index, object: &Object, hits: &mut Hits) {
    for (locks, _) in locks_with(index, |f| f.spread_across_nodes.filter(|s| *s)) {
        if let Some((path, message)) = replicas_unspread(index, object) {
            hits.add(
                path,
                format!("{message}{}", locked(locks, "spreadAcrossNodes", true)),
            );
        }
    }
}
