//! What a rule can look up about the other objects of a check: the pods of each namespace,
//! the policies, budgets, autoscalers, accounts, roles and secrets; and the preset floors the
//! check applies. Built once per check.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::object::{Kind, Object};
use crate::preset::floors::Locks;

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
    /// The index of a rule that judges one object alone ([`Index::alone`]): asking it about
    /// other objects is a bug of that rule.
    alone: bool,
    /// Keyed by namespace, `""` for objects without one.
    pods: HashMap<&'a str, Vec<Pods<'a>>>,
    by_kind: HashMap<Kind, Vec<usize>>,
    /// The objects of each kind in each namespace, in input order.
    by_kind_in: HashMap<(Kind, Option<&'a str>), Vec<usize>>,
    namespaces: HashMap<&'a str, usize>,
    /// The first object of each namespace, where namespace-wide findings are anchored when
    /// the Namespace object itself is not part of the check.
    first_in_namespace: HashMap<Option<&'a str>, usize>,
    /// The first object of each kind, namespace and name.
    named: HashMap<(Kind, Option<&'a str>, &'a str), usize>,
    /// The workloads autoscalers scale, by (namespace, kind, name), with their minReplicas.
    autoscaled: HashMap<(Option<&'a str>, &'a str, &'a str), i64>,
    /// The preset floors the objects are judged by (`check --preset`, a render's own preset).
    floors: &'a [Locks],
    /// When a TLS Secret's certificate is reported as expiring.
    pub expiry: Expiry,
}

impl<'a> Index<'a> {
    pub fn new(objects: &'a [Object]) -> Self {
        Self::judged_by(objects, &[], Expiry::from_now(0))
    }

    /// The index of `objects`, judged by the `floors` of some presets too, and certificates
    /// reported as expiring within `expiry`.
    pub fn judged_by(objects: &'a [Object], floors: &'a [Locks], expiry: Expiry) -> Self {
        let mut index = Index {
            objects,
            alone: false,
            pods: HashMap::new(),
            by_kind: HashMap::new(),
            by_kind_in: HashMap::new(),
            namespaces: HashMap::new(),
            first_in_namespace: HashMap::new(),
            named: HashMap::new(),
            autoscaled: HashMap::new(),
            floors,
            expiry,
        };
        for (i, object) in objects.iter().enumerate() {
            let ns = object.namespace.as_deref();
            index.by_kind.entry(object.kind).or_default().push(i);
            index
                .by_kind_in
                .entry((object.kind, ns))
                .or_default()
                .push(i);
            index
                .named
                .entry((object.kind, ns, object.name.as_str()))
                .or_insert(i);
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
                let min = object
                    .at(&["spec", "minReplicas"])
                    .and_then(Value::as_i64)
                    .unwrap_or(1);
                index
                    .autoscaled
                    .insert((ns, field("kind"), field("name")), min);
            }
        }
        index
    }

    /// The index given to the rules that judge one object alone, before the objects are
    /// joined: any question about other objects panics, naming the mistake. Certificates
    /// count as expiring within `expiry`.
    pub fn alone(expiry: Expiry) -> Index<'static> {
        Index {
            alone: true,
            ..Index::judged_by(&[], &[], expiry)
        }
    }

    fn joined(&self) {
        assert!(
            !self.alone,
            "a rule of check::rules asked about other objects: it joins objects, so it belongs in check::cross"
        );
    }

    /// The pod-carrying objects of a namespace.
    pub fn pods_in(&self, namespace: Option<&str>) -> &[Pods<'a>] {
        self.joined();
        self.pods
            .get(namespace.unwrap_or_default())
            .map_or(&[], Vec::as_slice)
    }

    /// The objects of one kind, in input order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &'a Object> {
        self.joined();
        let objects = self.objects;
        self.by_kind
            .get(&kind)
            .into_iter()
            .flatten()
            .map(move |&i| &objects[i])
    }

    /// The objects of one kind in one namespace, in input order.
    pub fn of_kind_in(
        &self,
        kind: Kind,
        namespace: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Object> + '_ {
        self.joined();
        let objects = self.objects;
        self.by_kind_in
            .get(&(kind, namespace))
            .into_iter()
            .flatten()
            .map(move |&i| &objects[i])
    }

    /// Whether an object of `kind` named `name` is part of the check.
    pub fn has(&self, kind: Kind, namespace: Option<&str>, name: &str) -> bool {
        self.joined();
        self.named.contains_key(&(kind, namespace, name))
    }

    /// The (first) object of `kind` named `name`.
    pub fn find(&self, kind: Kind, namespace: Option<&str>, name: &str) -> Option<&'a Object> {
        self.joined();
        self.named
            .get(&(kind, namespace, name))
            .map(|&i| &self.objects[i])
    }

    /// Whether the Namespace object `name` is part of the check.
    pub fn has_namespace(&self, name: &str) -> bool {
        self.joined();
        self.namespaces.contains_key(name)
    }

    /// Whether `object` is the first object of its namespace.
    pub fn is_first_in_namespace(&self, object: &Object) -> bool {
        self.joined();
        let ns = object.namespace.as_deref();
        self.first_in_namespace
            .get(&ns)
            .is_some_and(|&i| std::ptr::eq(&self.objects[i], object))
    }

    /// The preset floors of this check.
    pub fn floors(&self) -> &'a [Locks] {
        self.joined();
        self.floors
    }

    /// Whether a HorizontalPodAutoscaler scales `object`.
    pub fn is_autoscaled(&self, object: &Object) -> bool {
        self.autoscaler_minimum(object).is_some()
    }

    /// The `minReplicas` of the HorizontalPodAutoscaler that scales `object`, if one does.
    pub fn autoscaler_minimum(&self, object: &Object) -> Option<i64> {
        self.joined();
        self.autoscaled
            .get(&(
                object.namespace.as_deref(),
                object.kind_name(),
                object.name.as_str(),
            ))
            .copied()
    }

    /// The labels of the Namespace object `name`, when it is part of the check.
    pub fn namespace_labels(&self, name: &str) -> Option<&'a Map<String, Value>> {
        self.joined();
        let &i = self.namespaces.get(name)?;
        self.objects[i].at(&["metadata", "labels"])?.as_object()
    }
}
