//! What a rule can look up about the other objects of a check: the pods of each namespace,
//! the policies, budgets, autoscalers, accounts, roles and secrets. Built once per check.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::object::{Kind, Object};

/// The pods of one workload: its index and its pod template's labels.
pub struct Pods<'a> {
    pub object: usize,
    pub labels: Option<&'a Map<String, Value>>,
}

/// When a certificate counts as about to expire: within `days` of `now`.
#[derive(Debug, Clone, Copy)]
pub struct Expiry {
    pub now: time::OffsetDateTime,
    pub days: u32,
}

impl Expiry {
    /// `days` from this moment (`0`: only certificates that have expired).
    pub fn from_now(days: u32) -> Self {
        Expiry {
            now: time::OffsetDateTime::now_utc(),
            days,
        }
    }
}

/// Every object of a check, with lookups across them. Objects without a namespace share
/// the `None` namespace (a `helm template` stream usually has none).
pub struct Index<'a> {
    pub objects: &'a [Object],
    /// When a TLS Secret's certificate is reported as expiring.
    pub expiry: Expiry,
    /// Keyed by namespace, `""` for objects without one.
    pods: HashMap<&'a str, Vec<Pods<'a>>>,
    by_kind: HashMap<Kind, Vec<usize>>,
    namespaces: HashMap<&'a str, usize>,
    /// The first object of each namespace, where namespace-wide findings are anchored when
    /// the Namespace object itself is not part of the check.
    first_in_namespace: HashMap<Option<&'a str>, usize>,
    named: HashSet<(Kind, Option<&'a str>, &'a str)>,
    autoscaled: HashSet<(Option<&'a str>, &'a str, &'a str)>,
}

impl<'a> Index<'a> {
    pub fn new(objects: &'a [Object], expiry: Expiry) -> Self {
        let mut index = Index {
            objects,
            expiry,
            pods: HashMap::new(),
            by_kind: HashMap::new(),
            namespaces: HashMap::new(),
            first_in_namespace: HashMap::new(),
            named: HashSet::new(),
            autoscaled: HashSet::new(),
        };
        for (i, object) in objects.iter().enumerate() {
            let ns = object.namespace.as_deref();
            index.by_kind.entry(object.kind).or_default().push(i);
            index.named.insert((object.kind, ns, object.name.as_str()));
            if object.kind.is_namespaced() {
                index.first_in_namespace.entry(ns).or_insert(i);
            }
            if object.kind == Kind::Namespace {
                index.namespaces.entry(object.name.as_str()).or_insert(i);
            }
            if let Some(pod) = object.pod() {
                index
                    .pods
                    .entry(ns.unwrap_or_default())
                    .or_default()
                    .push(Pods {
                        object: i,
                        labels: pod.labels(),
                    });
            }
            if object.kind == Kind::HorizontalPodAutoscaler
                && let Some(target) = object.at(&["spec", "scaleTargetRef"])
            {
                let field = |k: &str| target.get(k).and_then(Value::as_str).unwrap_or_default();
                index.autoscaled.insert((ns, field("kind"), field("name")));
            }
        }
        index
    }

    /// The pod-carrying objects of a namespace.
    pub fn pods_in(&self, namespace: Option<&str>) -> &[Pods<'a>] {
        self.pods
            .get(namespace.unwrap_or_default())
            .map_or(&[], Vec::as_slice)
    }

    /// The objects of one kind, in input order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &'a Object> {
        let objects = self.objects;
        self.by_kind
            .get(&kind)
            .into_iter()
            .flatten()
            .map(move |&i| &objects[i])
    }

    /// The objects of one kind in one namespace.
    pub fn of_kind_in(
        &self,
        kind: Kind,
        namespace: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Object> {
        self.of_kind(kind)
            .filter(move |o| o.namespace.as_deref() == namespace)
    }

    /// Whether an object of `kind` named `name` is part of the check.
    pub fn has(&self, kind: Kind, namespace: Option<&str>, name: &str) -> bool {
        self.named.contains(&(kind, namespace, name))
    }

    /// The object of `kind` named `name`.
    pub fn find(&self, kind: Kind, namespace: Option<&str>, name: &str) -> Option<&'a Object> {
        if !self.has(kind, namespace, name) {
            return None;
        }
        self.of_kind(kind)
            .find(|o| o.namespace.as_deref() == namespace && o.name == name)
    }

    /// Whether the Namespace object `name` is part of the check.
    pub fn has_namespace(&self, name: &str) -> bool {
        self.namespaces.contains_key(name)
    }

    /// Whether `object` is the first object of its namespace.
    pub fn is_first_in_namespace(&self, object: &Object) -> bool {
        let ns = object.namespace.as_deref();
        self.first_in_namespace
            .get(&ns)
            .is_some_and(|&i| std::ptr::eq(&self.objects[i], object))
    }

    /// Whether a HorizontalPodAutoscaler scales `object`.
    pub fn is_autoscaled(&self, object: &Object) -> bool {
        self.autoscaled.contains(&(
            object.namespace.as_deref(),
            object.kind_name(),
            object.name.as_str(),
        ))
    }
}
