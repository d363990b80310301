//! The questionnaire of `kubeward init`; every dialoguer call of kubeward lives here.
//!
//! It asks, in plain words and in the contract's order, for each part of the spec that no flag
//! gave. Every answer is checked as it is typed with the rules of `validate`, and a bad answer
//! (or a bad flag value) is asked again with the reason. Defaults come from the preset.
//! Esc (at a choice) or Ctrl-C (anywhere) cancels; the caller writes nothing before
//! [`Questionnaire::confirm_plan`] returns.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};

use dialoguer::console::{Term, measure_text_width};
use dialoguer::theme::{ColorfulTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Select};

use crate::error::Error;
use crate::plan::Plan;
use crate::preset::{self, Platform, Preset};
use crate::spec::cidr::Cidr;
use crate::spec::flags::{comma_list, split_group};
use crate::spec::names;
use crate::spec::{
    ApiRuleSpec, AutoscalingSpec, CaFiles, CallerSpec, EgressSpec, EntryApi, Exposure,
    GatewayRefSpec, GenerateSpec, IngressSpec, Mesh, Protocol, SecretSpec, Sensitivity, SpecFile,
    TlsIssuer, TlsMode, TlsSpec,
};
use crate::validate::{self, AppRef, Overrides};

/// Whether nothing has been written yet, so that Ctrl-C may say so.
static ASKING: AtomicBool = AtomicBool::new(false);

/// Asks the questions on the terminal (stderr), with the defaults of one preset.
pub struct Questionnaire<'a> {
    term: Term,
    theme: ColorfulTheme,
    preset: &'a Preset,
    overrides: Overrides,
    /// Whether the bundle is rendered once the spec is written (not `--spec-only`).
    renders: bool,
}

/// The options of a choice: each value with its name and a one-line explanation.
type Choices<T> = [(T, &'static str, &'static str)];

/// The port question; no answer makes the service a worker.
const PORT_PROMPT: &str = "Port the container listens on (Enter if none: a worker)";

const PROTOCOLS: &Choices<Protocol> = &[
    (Protocol::Http, "http", "plain HTTP"),
    (Protocol::Https, "https", "HTTP over TLS"),
    (Protocol::Grpc, "grpc", "gRPC"),
    (Protocol::Tcp, "tcp", "any other protocol over TCP"),
];

const EXPOSURES: &Choices<Exposure> = &[
    (
        Exposure::Namespace,
        "namespace",
        "only the callers in its own namespace reach it",
    ),
    (
        Exposure::Cluster,
        "cluster",
        "the callers you named reach it, from any namespace",
    ),
    (
        Exposure::Public,
        "public",
        "the internet reaches it too, through the ingress controller",
    ),
];

const SENSITIVITIES: &Choices<Sensitivity> = &[
    (
        Sensitivity::Public,
        "public",
        "anyone may see it: full hardening, TLS only if asked",
    ),
    (
        Sensitivity::Internal,
        "internal",
        "company-internal: TLS by default for https and grpc",
    ),
    (
        Sensitivity::Confidential,
        "confidential",
        "business data: also a pinned image, 2+ replicas, a quota",
    ),
    (
        Sensitivity::Restricted,
        "restricted",
        "most sensitive: also TLS always",
    ),
];

const PLATFORMS: &Choices<Platform> = &[
    (
        Platform::Kubernetes,
        "kubernetes",
        "any Kubernetes: preset `restricted`, uid/gid 10001",
    ),
    (
        Platform::Openshift,
        "openshift",
        "OpenShift 4: preset `openshift`, ids from the SCC, a Route",
    ),
];

const ENTRY_APIS: &Choices<EntryApi> = &[
    (
        EntryApi::Gateway,
        "gateway",
        "a route on the platform's Gateway (Gateway API)",
    ),
    (
        EntryApi::Ingress,
        "ingress",
        "an Ingress, for a cluster that runs an Ingress controller",
    ),
    (
        EntryApi::Route,
        "route",
        "an OpenShift Route through the platform's router",
    ),
];

const MESHES: &Choices<Mesh> = &[
    (
        Mesh::None,
        "none",
        "no service mesh: NetworkPolicies (and TLS) only",
    ),
    (
        Mesh::Istio,
        "istio",
        "Istio: mutual TLS and only the callers' identities admitted",
    ),
    (
        Mesh::Linkerd,
        "linkerd",
        "Linkerd: mutual TLS and only the callers' identities admitted",
    ),
];

const TLS_MODES: &Choices<TlsMode> = &[
    (
        TlsMode::None,
        "none",
        "no certificate: plain traffic on its port",
    ),
    (
        TlsMode::SelfSigned,
        "self-signed",
        "kubeward's own CA for the namespace signs it",
    ),
    (
        TlsMode::Ca,
        "ca",
        "your CA signs it (give its certificate and key files)",
    ),
    (
        TlsMode::CertManager,
        "cert-manager",
        "cert-manager issues it from your Issuer or ClusterIssuer",
    ),
];

#[derive(Clone, Copy, PartialEq)]
enum Destination {
    Nothing,
    App,
    Range,
}

const DESTINATIONS: &Choices<Destination> = &[
    (Destination::Nothing, "no", "nothing (more)"),
    (Destination::App, "an app", "pods of an app in the cluster"),
    (
        Destination::Range,
        "addresses",
        "addresses outside the cluster (a range or one address)",
    ),
];

#[derive(Clone, Copy, PartialEq)]
enum Verbs {
    ReadOnly,
    ReadWrite,
    Pick,
}

const VERB_SETS: &Choices<Verbs> = &[
    (Verbs::ReadOnly, "read-only", "get, list, watch"),
    (
        Verbs::ReadWrite,
        "read-write",
        "get, list, watch, create, update, patch, delete",
    ),
    (Verbs::Pick, "pick", "choose the verbs one by one"),
];

#[derive(Clone, Copy, PartialEq)]
enum Source {
    Generate,
    Env,
    File,
}

const SOURCES: &Choices<Source> = &[
    (
        Source::Generate,
        "generate",
        "a random value, created once and kept in .kubeward/",
    ),
    (
        Source::Env,
        "env",
        "from an environment variable, read at each render",
    ),
    (Source::File, "file", "from a file, read at each render"),
];

const ISSUER_KINDS: &Choices<&str> = &[
    (
        "ClusterIssuer",
        "ClusterIssuer",
        "an issuer for the whole cluster",
    ),
    ("Issuer", "Issuer", "an issuer in the service's namespace"),
];

impl<'a> Questionnaire<'a> {
    /// Prepares the questions; from now until [`Self::confirm_plan`], Ctrl-C cancels with a
    /// word that nothing was written.
    pub fn new(preset: &'a Preset, overrides: Overrides, renders: bool) -> Self {
        ASKING.store(true, Ordering::SeqCst);
        // Only the first handler of a process can be set; a second questionnaire keeps it.
        let _ = ctrlc::set_handler(|| cancel_on_ctrl_c());
        Questionnaire {
            term: Term::stderr(),
            theme: ColorfulTheme::default(),
            preset,
            overrides,
            renders,
        }
    }

    /// The platform the service runs on, when the spec names no preset: OpenShift picks the
    /// `openshift` preset.
    pub fn platform(&self) -> Result<Platform, Error> {
        self.choose(
            "Which platform does it run on?",
            PLATFORMS,
            Platform::Kubernetes,
            |_| Ok(()),
        )
    }

    /// Asks for every part of `file` that no flag gave, in the contract's order.
    pub fn fill(&self, file: &mut SpecFile, preset_name: &str) -> Result<(), Error> {
        self.say(&format!(
            "Questions about your service; Enter takes the default (preset `{preset_name}`).\nEsc at a choice or Ctrl-C cancels: nothing is written before you confirm.\n"
        ));
        self.identity(file)?;
        self.callers(file)?;
        self.exposure(file)?;
        self.sensitivity(file)?;
        self.load(file)?;
        self.egress(file)?;
        self.api_access(file)?;
        self.secrets(file)?;
        self.tls(file)?;
        self.mesh(file)
    }

    fn mesh(&self, file: &mut SpecFile) -> Result<(), Error> {
        let protocol = file.spec.protocol.unwrap_or(self.preset.defaults.protocol);
        let probe_port = file.spec.probes.as_ref().is_some_and(|p| p.port.is_some());
        let by_address = file.spec.callers.iter().any(|c| c.cidr.is_some());
        let worker = file.spec.port.is_none();
        // A Gateway's data plane has no identity a spec can give, and OpenShift's router none
        // at all (validate::entry_identity).
        let entry_known = file
            .spec
            .ingress
            .as_ref()
            .is_none_or(|i| i.api.unwrap_or(self.preset.ingress.api) == EntryApi::Ingress);
        let default = self.preset.mesh.default;
        let mesh = self.given_choice(
            "--mesh",
            file.spec.mesh,
            "Which service mesh does the cluster run?",
            MESHES,
            default,
            |m| {
                if by_address {
                    validate::mesh_caller_by_address(m)?;
                }
                validate::mesh_entry(m, entry_known)?;
                match worker {
                    true => Ok(()), // its probes are commands, which no proxy sees
                    false => validate::mesh_probes(m, protocol, probe_port),
                }
            },
        )?;
        file.spec.mesh = (mesh != default || file.spec.mesh.is_some()).then_some(mesh);
        Ok(())
    }

    /// Shows what the plan will generate and why, and asks to go on with `action`.
    pub fn confirm_plan(&self, plan: &Plan, action: &str) -> Result<(), Error> {
        self.say(&format!(
            "\nThe plan for `{}` in namespace `{}` ({} objects):",
            plan.name,
            plan.namespace,
            plan.objects.len()
        ));
        let width = usize::from(self.term.size().1).max(40) - 1;
        for decision in &plan.decisions {
            self.say(&hanging_indent(&decision.summary, "  - ", width));
        }
        if !self.confirm(action, true)? {
            return Err(Error::Cancelled);
        }
        ASKING.store(false, Ordering::SeqCst);
        Ok(())
    }

    /// A yes/no question; Esc cancels.
    pub fn confirm(&self, prompt: &str, default: bool) -> Result<bool, Error> {
        answered(
            Confirm::with_theme(&self.theme)
                .with_prompt(prompt)
                .default(default)
                .interact_on_opt(&self.term),
        )?
        .ok_or(Error::Cancelled)
    }

    fn identity(&self, file: &mut SpecFile) -> Result<(), Error> {
        let name = self.text(
            "--name",
            file.metadata.name.take(),
            "Service name (lowercase letters, digits and '-')",
            None,
            names::dns_label,
        )?;
        let namespace = self.text(
            "--namespace",
            file.metadata.namespace.take(),
            "Namespace it runs in",
            None,
            names::namespace,
        )?;
        let s = &mut file.spec;
        let image = self.text(
            "--image",
            s.image.take(),
            "Container image (best pinned: repo:tag@sha256:...)",
            None,
            |v| names::image(v).map(drop),
        )?;
        let check_port = |v: &str| names::port_text(v).map(drop);
        let port = match s.port.take().map(|p| p.to_string()) {
            Some(given) => Some(self.text("--port", Some(given), PORT_PROMPT, None, check_port)?),
            None => self.optional(PORT_PROMPT, check_port)?,
        };
        file.metadata.name = Some(name);
        file.metadata.namespace = Some(namespace);
        s.image = Some(image);
        s.port = port
            .as_deref()
            .and_then(|p| names::port_text(p).ok())
            .map(i64::from);
        if s.port.is_none() {
            self.say("A worker: no Service, no callers and no certificate of its own; write its probes as commands in the spec (probes.readinessCommand, livenessCommand).");
            return Ok(());
        }
        let protocol = self.given_choice(
            "--protocol",
            s.protocol,
            "Protocol it speaks on that port",
            PROTOCOLS,
            self.preset.defaults.protocol,
            |_| Ok(()),
        )?;
        s.protocol = Some(protocol);
        Ok(())
    }

    fn callers(&self, file: &mut SpecFile) -> Result<(), Error> {
        if file.spec.port.is_none() {
            return Ok(()); // a worker: nothing may call it
        }
        let own = own_namespace(file);
        let given = std::mem::take(&mut file.spec.callers);
        file.spec.callers = self.list(
            "--caller",
            given,
            |c| match &c.cidr {
                Some(cidr) => cidr.parse::<Cidr>().map(drop),
                None => {
                    names::dns_label(c.app.as_deref().unwrap_or_default())?;
                    c.namespace.as_deref().map_or(Ok(()), names::dns_label)
                }
            },
            "Callers: the apps that may connect to it. Everything else is refused.",
            |callers| {
                let prompt = match callers.is_empty() {
                    true => "App that calls it (Enter if none)",
                    false => "Another app that calls it (Enter when done)",
                };
                let Some(app) = self.optional(prompt, names::dns_label)? else {
                    return Ok(None);
                };
                let namespace = self.namespace_of(&app, &own)?;
                Ok(Some(CallerSpec {
                    app: Some(app),
                    namespace,
                    ..CallerSpec::default()
                }))
            },
        )?;
        Ok(())
    }

    fn exposure(&self, file: &mut SpecFile) -> Result<(), Error> {
        if file.spec.port.is_none() {
            // A worker is exposed nowhere; a preset that would make it public is overruled.
            if self.preset.defaults.exposure == Exposure::Public {
                file.spec.exposure = Some(Exposure::Namespace);
            }
            return Ok(());
        }
        let own = own_namespace(file);
        let outsider = file.spec.callers.iter().find_map(|c| {
            let namespace = c.namespace.clone().filter(|n| *n != own)?;
            Some(AppRef {
                app: c.app.clone().unwrap_or_default(),
                namespace,
            })
        });
        let range = file.spec.callers.iter().find_map(|c| c.cidr.clone());
        let default = validate::default_exposure(
            self.preset.defaults.exposure,
            file.spec.ingress.is_some(),
            outsider.is_some() || range.is_some(),
        );
        let exposure = self.given_choice(
            "--exposure",
            file.spec.exposure,
            "How far should it be reachable?",
            EXPOSURES,
            default,
            |e| {
                if let Some(range) = range.as_ref().filter(|_| e == Exposure::Namespace) {
                    return Err(format!("caller `{range}` is an address range, outside the namespace: use exposure `cluster` or drop the caller"));
                }
                outsider
                    .as_ref()
                    .map_or(Ok(()), |c| validate::caller_allowed(c, e, &own))
            },
        )?;
        file.spec.exposure = Some(exposure);
        let given = file.spec.ingress.take();
        if exposure != Exposure::Public {
            if given.is_some() {
                self.error(
                    "--host and --ingress-class are only used with exposure public: left out",
                );
            }
            return Ok(());
        }
        let given = given.unwrap_or_default();
        let host = self.text(
            "--host",
            given.host,
            "Public host name (e.g. shop.example.com)",
            None,
            names::dns_subdomain,
        )?;
        let protocol = file.spec.protocol.unwrap_or(self.preset.defaults.protocol);
        let mut ingress = IngressSpec {
            host: Some(host),
            ..given
        };
        self.entry(&mut ingress, protocol)?;
        file.spec.ingress = Some(ingress);
        Ok(())
    }

    /// What carries the public entry, and its limits at the door.
    fn entry(&self, ingress: &mut IngressSpec, protocol: Protocol) -> Result<(), Error> {
        let defaults = &self.preset.ingress;
        let api = self.given_choice(
            "--ingress-api",
            ingress.api,
            "What carries the public entry?",
            ENTRY_APIS,
            defaults.api,
            |_| Ok(()),
        )?;
        ingress.api = (ingress.api.is_some() || api != defaults.api).then_some(api);
        let class_name = match api {
            EntryApi::Ingress => {
                let preset_class = &defaults.class_name;
                let class = self.text(
                    "--ingress-class",
                    ingress.class_name.take(),
                    "Ingress class",
                    Some(preset_class),
                    names::dns_subdomain,
                )?;
                ingress.class_name = (class != *preset_class).then_some(class.clone());
                class
            }
            // The router is the platform's; the Route's TLS follows the service's.
            EntryApi::Route => String::new(),
            EntryApi::Gateway => {
                let preset = &defaults.gateway;
                let given = ingress.gateway.take().unwrap_or_default();
                let default_gateway = format!("{}/{}", preset.namespace, preset.name);
                let gateway = self.text(
                    "--gateway",
                    given.name.map(|name| {
                        format!(
                            "{}/{name}",
                            given.namespace.as_deref().unwrap_or(&preset.namespace)
                        )
                    }),
                    "Gateway it is routed through (namespace/name)",
                    Some(&default_gateway),
                    |v| {
                        let (namespace, name) = v.split_once('/').ok_or_else(|| {
                            format!("`{v}` is not namespace/name, e.g. {default_gateway}")
                        })?;
                        names::dns_label(namespace)?;
                        names::dns_subdomain(name)
                    },
                )?;
                let listener = self.text(
                    "--gateway-listener",
                    given.section_name,
                    "Its HTTPS listener",
                    Some(&preset.section_name),
                    names::dns_subdomain,
                )?;
                let (namespace, name) = gateway.split_once('/').unwrap_or_default();
                let reference = GatewayRefSpec {
                    name: (name != preset.name).then(|| name.to_string()),
                    namespace: (namespace != preset.namespace).then(|| namespace.to_string()),
                    section_name: (listener != preset.section_name).then_some(listener),
                };
                ingress.gateway = (reference != GatewayRefSpec::default()).then_some(reference);
                String::new()
            }
        };
        let enforces = |field| {
            validate::entry_enforces(
                api,
                &class_name,
                defaults.gateway.implementation,
                protocol,
                field,
            )
        };
        if enforces("spec.ingress.rateLimit") {
            let default = defaults
                .rate_limit
                .as_ref()
                .and_then(|r| r.requests_per_second);
            let given = ingress
                .rate_limit
                .as_ref()
                .and_then(|r| r.requests_per_second);
            let rate = self.number(
                "--rate-limit",
                given,
                "Requests a second one client address may make",
                default,
                |v| {
                    (1..=100_000)
                        .contains(&v)
                        .then_some(())
                        .ok_or_else(|| format!("{v}: use 1-100000"))
                },
            )?;
            if rate != default && given.is_none() {
                ingress
                    .rate_limit
                    .get_or_insert_with(Default::default)
                    .requests_per_second = rate;
            }
        }
        if enforces("spec.ingress.maxBodySize") {
            let size = self.text(
                "--max-body-size",
                ingress.max_body_size.take(),
                "Largest request body (e.g. 1Mi)",
                defaults.max_body_size.as_deref(),
                |v| names::byte_size(v).map(drop),
            )?;
            ingress.max_body_size =
                (Some(&size) != defaults.max_body_size.as_ref()).then_some(size);
        }
        if enforces("spec.ingress.timeouts.request") {
            let preset_timeout = defaults.timeouts.as_ref().and_then(|t| t.request.clone());
            let given = ingress.timeouts.as_mut().and_then(|t| t.request.take());
            let timeout = self.text(
                "--request-timeout",
                given,
                "Longest a request may take (e.g. 30s)",
                preset_timeout.as_deref(),
                |v| names::duration(v).map(drop),
            )?;
            if Some(&timeout) != preset_timeout.as_ref() {
                ingress
                    .timeouts
                    .get_or_insert_with(Default::default)
                    .request = Some(timeout);
            }
        }
        if enforces("spec.ingress.sourceRanges") {
            let given = std::mem::take(&mut ingress.source_ranges);
            ingress.source_ranges = self.list(
                "--source-range",
                given,
                |r| r.parse::<Cidr>().map(drop),
                "",
                |ranges| {
                    if !ranges.is_empty() {
                        return Ok(None);
                    }
                    let answer = self.optional(
                        "Only clients from these address ranges (comma-separated CIDRs; Enter for everyone)",
                        |v| comma_list(v).iter().try_for_each(|r| r.parse::<Cidr>().map(drop)),
                    )?;
                    Ok(answer.map(|a| a.replace(' ', "")))
                },
            )?
            .iter()
            .flat_map(|entry| comma_list(entry))
            .collect();
        }
        Ok(())
    }

    /// How many pods under load: a fixed count, or the bounds of an autoscaler.
    fn load(&self, file: &mut SpecFile) -> Result<(), Error> {
        let defaults = &self.preset.autoscaling;
        let given = file.spec.autoscaling.take().unwrap_or_default();
        let default_on = given.enabled.unwrap_or(if file.spec.replicas.is_some() {
            false
        } else {
            defaults.enabled
        });
        let on = match given.enabled {
            Some(on) => on,
            None => self.confirm(
                "Scale the number of pods with the load (a HorizontalPodAutoscaler)?",
                default_on,
            )?,
        };
        let mut scaling = AutoscalingSpec {
            enabled: (on != defaults.enabled || given.enabled.is_some()).then_some(on),
            ..AutoscalingSpec::default()
        };
        if on {
            file.spec.replicas = None;
            let min = self
                .number(
                    "--min-replicas",
                    given.min_replicas,
                    "Fewest pods",
                    Some(i64::from(defaults.min_replicas)),
                    |v| {
                        (2..=999)
                            .contains(&v)
                            .then_some(())
                            .ok_or_else(|| format!("{v}: an autoscaler keeps 2 to 999 pods"))
                    },
                )?
                .unwrap_or(i64::from(defaults.min_replicas));
            let max = self
                .number(
                    "--max-replicas",
                    given.max_replicas,
                    "Most pods",
                    Some(i64::from(defaults.max_replicas).max(min + 1)),
                    |v| {
                        (v > min && v <= 1000).then_some(()).ok_or_else(|| {
                            format!("{v}: more than {min} (the fewest) and at most 1000")
                        })
                    },
                )?
                .unwrap_or(i64::from(defaults.max_replicas));
            scaling.min_replicas = (min != i64::from(defaults.min_replicas)).then_some(min);
            scaling.max_replicas = (max != i64::from(defaults.max_replicas)).then_some(max);
            scaling.target_cpu_utilization_percentage = given.target_cpu_utilization_percentage;
        }
        file.spec.autoscaling = (scaling != AutoscalingSpec::default()).then_some(scaling);
        Ok(())
    }

    /// A whole number: the flag's when it passes `check`, else typed (Enter: `default`, or
    /// none when there is no default).
    fn number(
        &self,
        flag: &str,
        given: Option<i64>,
        prompt: &str,
        default: Option<i64>,
        check: impl Fn(i64) -> Result<(), String>,
    ) -> Result<Option<i64>, Error> {
        let parse = |v: &str| {
            v.parse::<i64>()
                .map_err(|_| format!("`{v}` is not a whole number"))
                .and_then(|n| check(n).map(|()| n))
        };
        let shown = default.map(|d| d.to_string());
        let answer = match shown {
            Some(_) => Some(self.text(
                flag,
                given.map(|g| g.to_string()),
                prompt,
                shown.as_deref(),
                |v| parse(v).map(drop),
            )?),
            None => match given {
                Some(g) if check(g).is_ok() => Some(g.to_string()),
                _ => self.optional(&format!("{prompt} (Enter for no limit)"), |v| {
                    parse(v).map(drop)
                })?,
            },
        };
        Ok(answer.and_then(|a| parse(&a).ok()))
    }

    fn sensitivity(&self, file: &mut SpecFile) -> Result<(), Error> {
        let sensitivity = self.given_choice(
            "--sensitivity",
            file.spec.sensitivity,
            "How sensitive is the data it handles?",
            SENSITIVITIES,
            self.preset.defaults.sensitivity,
            |_| Ok(()),
        )?;
        file.spec.sensitivity = Some(sensitivity);
        let pinned = |v: &str| {
            names::image(v).and_then(|r| validate::image_pinned(&r, sensitivity, self.overrides))
        };
        let image = file.spec.image.take().unwrap_or_default();
        file.spec.image = Some(match pinned(&image) {
            Ok(()) => image,
            Err(why) => {
                self.error(&why);
                self.input(
                    "Container image, pinned by digest (repo:tag@sha256:...)",
                    None,
                    pinned,
                )?
            }
        });
        Ok(())
    }

    fn egress(&self, file: &mut SpecFile) -> Result<(), Error> {
        let own = own_namespace(file);
        let given = std::mem::take(&mut file.spec.egress);
        file.spec.egress = self.list(
            "--egress",
            given,
            |e| {
                match (&e.app, &e.cidr) {
                    (Some(app), _) => {
                        names::dns_label(app)?;
                        e.namespace.as_deref().map_or(Ok(()), names::dns_label)?;
                    }
                    (None, cidr) => drop(cidr.as_deref().unwrap_or_default().parse::<Cidr>()?),
                }
                names::port(e.port.unwrap_or_default()).map(drop)
            },
            "Destinations: what it may connect to. DNS is always allowed.",
            |egress| {
                let prompt = match egress.is_empty() {
                    true => "Does it call anything?",
                    false => "Does it call anything else?",
                };
                let entry =
                    match self.choose(prompt, DESTINATIONS, Destination::Nothing, |_| Ok(()))? {
                        Destination::Nothing => return Ok(None),
                        Destination::App => {
                            let app = self.input("App it calls", None, names::dns_label)?;
                            EgressSpec {
                                namespace: self.namespace_of(&app, &own)?,
                                port: Some(self.port(&format!("Port on `{app}`"))?),
                                app: Some(app),
                                ..EgressSpec::default()
                            }
                        }
                        Destination::Range => {
                            let cidr = self.input(
                                "Address range or address (e.g. 203.0.113.0/24 or 203.0.113.10)",
                                None,
                                |v| v.parse::<Cidr>().map(drop),
                            )?;
                            EgressSpec {
                                port: Some(self.port(&format!("Port in {cidr}"))?),
                                cidr: Some(cidr),
                                ..EgressSpec::default()
                            }
                        }
                    };
                Ok(Some(entry))
            },
        )?;
        Ok(())
    }

    fn api_access(&self, file: &mut SpecFile) -> Result<(), Error> {
        let given = std::mem::take(&mut file.spec.api_access);
        file.spec.api_access = self.list("--api", given, check_api_rule, "", |rules| {
            let more = match rules.is_empty() {
                true => self.confirm(
                    "Does it call the Kubernetes API? (most services do not)",
                    false,
                )?,
                false => self.confirm("Another API permission?", false)?,
            };
            match more {
                true => self.api_rule().map(Some),
                false => Ok(None),
            }
        })?;
        Ok(())
    }

    /// The API server's endpoint addresses, for a service with `apiAccess` whose preset names
    /// none: `given` (`--api-server-cidr`) when every one is good, else asked.
    pub fn api_server_cidrs(&self, given: Vec<String>) -> Result<Vec<String>, Error> {
        let services = &self.preset.cluster_ranges.services;
        let check = |c: &str| preset::api_server_cidr(c, services).map(drop);
        let problems: Vec<String> = given.iter().filter_map(|c| check(c).err()).collect();
        for why in &problems {
            self.error(&format!("--api-server-cidr: {why}"));
        }
        if !given.is_empty() && problems.is_empty() {
            return Ok(given);
        }
        self.say("The pod reaches the API server at its endpoints (policies never see the Service address 10.96.0.1): `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes` lists them.");
        let answer = self.input(
            "API server endpoint addresses (comma-separated; e.g. 192.0.2.10,192.0.2.11)",
            None,
            |v| endpoint_list(v).iter().try_for_each(|c| check(c)),
        )?;
        Ok(endpoint_list(&answer))
    }

    fn api_rule(&self) -> Result<ApiRuleSpec, Error> {
        let target = self.input(
            "Resources (plural, comma-separated; e.g. configmaps or apps/deployments)",
            None,
            |v| {
                let (group, resources) = split_group(v);
                names::role_entry(&group, true)?;
                if resources.is_empty() {
                    return Err("list at least one resource, e.g. [configmaps]".into());
                }
                resources
                    .iter()
                    .try_for_each(|r| names::role_entry(r, false))
            },
        )?;
        let (group, resources) = split_group(&target);
        let verbs = self.verbs()?;
        let names = if names::role_secret_names(&resources, &[]).is_err() {
            self.input(
                "Which secrets, by name? (comma-separated)",
                None,
                check_names,
            )?
        } else {
            self.optional(
                "Only these objects, by name (comma-separated; Enter for all)",
                check_names,
            )?
            .unwrap_or_default()
        };
        Ok(ApiRuleSpec {
            api_groups: vec![group],
            resources,
            verbs,
            resource_names: comma_list(&names),
        })
    }

    fn verbs(&self) -> Result<Vec<String>, Error> {
        let words = |list: &[&str]| list.iter().map(|v| v.to_string()).collect();
        match self.choose("Which verbs?", VERB_SETS, Verbs::ReadOnly, |_| Ok(()))? {
            Verbs::ReadOnly => Ok(words(&["get", "list", "watch"])),
            Verbs::ReadWrite => Ok(words(&names::ALLOWED_VERBS[..7])),
            Verbs::Pick => loop {
                let picked = answered(
                    MultiSelect::with_theme(&self.theme)
                        .with_prompt("Verbs (Space selects, Enter confirms)")
                        .items(names::ALLOWED_VERBS)
                        .interact_on_opt(&self.term),
                )?
                .ok_or(Error::Cancelled)?;
                if !picked.is_empty() {
                    break Ok(picked
                        .into_iter()
                        .map(|i| names::ALLOWED_VERBS[i].to_string())
                        .collect());
                }
                self.error("list at least one verb, e.g. [get, list, watch]");
            },
        }
    }

    fn secrets(&self, file: &mut SpecFile) -> Result<(), Error> {
        let given = std::mem::take(&mut file.spec.secrets);
        file.spec.secrets = self.list(
            "--secret",
            given,
            |secret| {
                check_secret(secret)?;
                secret
                    .from_env
                    .as_deref()
                    .map_or(Ok(()), |v| self.env_var_ready(v))
            },
            "Secrets: mounted as read-only files, never as environment variables.",
            |secrets| {
                let prompt = match secrets.is_empty() {
                    true => "Secret name (Enter if none)",
                    false => "Another secret (Enter when done)",
                };
                let Some(name) = self.optional(prompt, |v| {
                    names::dns_label(v)?;
                    match secrets.iter().any(|s| s.name.as_deref() == Some(v)) {
                        true => Err(format!("`{v}` is listed twice")),
                        false => Ok(()),
                    }
                })?
                else {
                    return Ok(None);
                };
                let mut secret = SecretSpec {
                    name: Some(name),
                    ..SecretSpec::default()
                };
                let source = self.choose(
                    "Where does its value come from?",
                    SOURCES,
                    Source::Generate,
                    |_| Ok(()),
                )?;
                match source {
                    Source::Generate => {
                        secret.generate = Some(GenerateSpec {
                            length: Some(names::DEFAULT_SECRET_LENGTH),
                        })
                    }
                    Source::Env => {
                        secret.from_env = Some(
                            self.input("Environment variable", None, |v| self.env_var_ready(v))?,
                        )
                    }
                    Source::File => {
                        secret.from_file = Some(self.input(
                            "File (relative paths start at the spec's folder)",
                            None,
                            not_empty,
                        )?)
                    }
                }
                Ok(Some(secret))
            },
        )?;
        Ok(())
    }

    fn tls(&self, file: &mut SpecFile) -> Result<(), Error> {
        if file.spec.port.is_none() {
            return Ok(()); // a worker has no port to encrypt
        }
        let sensitivity = file
            .spec
            .sensitivity
            .unwrap_or(self.preset.defaults.sensitivity);
        let protocol = file.spec.protocol.unwrap_or(self.preset.defaults.protocol);
        let default = validate::default_tls_mode(sensitivity, protocol);
        let given = file.spec.tls.take().unwrap_or_default();
        let mode = self.given_choice(
            "--tls",
            given.mode,
            "TLS on its own port",
            TLS_MODES,
            default,
            |m| {
                validate::tls_mode_allowed(m, sensitivity)
                    .and_then(|()| validate::protocol_matches_tls(protocol, m, None))
            },
        )?;
        let mut tls = TlsSpec {
            mode: (given.mode.is_some() || mode != default).then_some(mode),
            dns_names: given.dns_names,
            client_auth: given.client_auth,
            client_ca: given.client_ca,
            ..TlsSpec::default()
        };
        match mode {
            TlsMode::Ca => {
                let ca = given.ca.unwrap_or_default();
                let cert = self.text(
                    "--tls-ca-cert",
                    ca.cert,
                    "CA certificate file (PEM)",
                    None,
                    not_empty,
                )?;
                let key = self.text(
                    "--tls-ca-key",
                    ca.key,
                    "CA private key file (PEM)",
                    None,
                    not_empty,
                )?;
                tls.ca = Some(CaFiles {
                    cert: Some(cert),
                    key: Some(key),
                });
            }
            TlsMode::CertManager => {
                let issuer = given.issuer.unwrap_or_default();
                let kind = match issuer.kind {
                    Some(kind) => kind,
                    None => self
                        .choose("Kind of issuer", ISSUER_KINDS, "ClusterIssuer", |_| Ok(()))?
                        .to_string(),
                };
                let name =
                    self.text("--tls-issuer", issuer.name, "Issuer name", None, not_empty)?;
                tls.issuer = Some(TlsIssuer {
                    kind: Some(kind),
                    name: Some(name),
                    ca: issuer.ca,
                });
            }
            TlsMode::None | TlsMode::SelfSigned => {}
        }
        let probes = file.spec.probes.get_or_insert_with(Default::default);
        if validate::grpc_probe_reachable(protocol, mode, None).is_err() && probes.port.is_none() {
            let port = self.text(
                "--probe-port",
                None,
                "Clear-text port of the gRPC health service (the kubelet's gRPC probe speaks no TLS)",
                None,
                |v| names::port_text(v).map(drop),
            )?;
            probes.port = port.parse().ok();
        }
        if file
            .spec
            .probes
            .as_ref()
            .is_some_and(|p| *p == Default::default())
        {
            file.spec.probes = None;
        }
        file.spec.tls = (tls != TlsSpec::default()).then_some(tls);
        Ok(())
    }

    /// The flag's value when it passes `check`; otherwise the answer to `prompt`.
    fn text(
        &self,
        flag: &str,
        given: Option<String>,
        prompt: &str,
        default: Option<&str>,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<String, Error> {
        if let Some(value) = given {
            match check(&value) {
                Ok(()) => return Ok(value),
                Err(why) => self.error(&format!("{flag}: {why}")),
            }
        }
        self.input(prompt, default, check)
    }

    /// A repeatable answer: the flag's entries when they all pass `check` (the reasons are
    /// shown otherwise); else `intro`, then `ask_one` (given the entries so far) until it
    /// answers `None`.
    fn list<T>(
        &self,
        flag: &str,
        given: Vec<T>,
        check: impl Fn(&T) -> Result<(), String>,
        intro: &str,
        mut ask_one: impl FnMut(&[T]) -> Result<Option<T>, Error>,
    ) -> Result<Vec<T>, Error> {
        let problems: Vec<String> = given.iter().filter_map(|g| check(g).err()).collect();
        for why in &problems {
            self.error(&format!("{flag}: {why}"));
        }
        if !given.is_empty() && problems.is_empty() {
            return Ok(given);
        }
        if !intro.is_empty() {
            self.say(intro);
        }
        let mut entries = Vec::new();
        while let Some(entry) = ask_one(&entries)? {
            entries.push(entry);
        }
        Ok(entries)
    }

    /// The namespace of a peer app; `None` (the spec's default) when it is the service's own.
    fn namespace_of(&self, app: &str, own: &str) -> Result<Option<String>, Error> {
        let namespace = self.input(
            &format!("Namespace of `{app}` (Enter: the same namespace)"),
            Some(own),
            names::dns_label,
        )?;
        Ok((namespace != own).then_some(namespace))
    }

    /// A typed answer, asked again with the reason until `check` accepts it.
    fn input(
        &self,
        prompt: &str,
        default: Option<&str>,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<String, Error> {
        self.ask_text(prompt, default, false, check)
    }

    /// Like [`Self::input`], but Enter alone answers `None`.
    fn optional(
        &self,
        prompt: &str,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<Option<String>, Error> {
        let answer = self.ask_text(prompt, None, true, check)?;
        Ok(Some(answer).filter(|a| !a.is_empty()))
    }

    fn ask_text(
        &self,
        prompt: &str,
        default: Option<&str>,
        optional: bool,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<String, Error> {
        // Every verdict, so that the reason on screen when the answer came is known.
        let verdicts = RefCell::new(Vec::new());
        let mut input = Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt)
            .allow_empty(optional)
            .report(false)
            .validate_with(|v: &String| {
                let verdict = match optional && v.is_empty() {
                    true => Ok(()),
                    false => check(v),
                };
                verdicts.borrow_mut().push(verdict.clone().err());
                verdict
            });
        if let Some(default) = default {
            input = input.default(default.to_string());
        }
        let answer = answered(input.interact_text_on(&self.term))?;
        // dialoguer clears one row per line it wrote; the rows a long line wrapped onto stay
        // on screen unless cleared here.
        let cols = usize::from(self.term.size().1).max(1);
        let rows = |text: &str| measure_text_width(text).max(1).div_ceil(cols);
        let mut line = String::new();
        let _ = self.theme.format_input_prompt(&mut line, prompt, default);
        if default != Some(answer.as_str()) {
            line.push_str(&answer);
        }
        let mut leftover = rows(&line) - 1;
        if let Some(Some(reason)) = verdicts.borrow().iter().rev().nth(1) {
            let mut error = String::new();
            let _ = self.theme.format_error(&mut error, reason);
            leftover += rows(&error) - 1;
        }
        let _ = self.term.clear_last_lines(leftover);
        let mut report = String::new();
        let _ = self
            .theme
            .format_input_prompt_selection(&mut report, prompt, &answer);
        self.say(&report);
        Ok(answer)
    }

    fn port(&self, prompt: &str) -> Result<i64, Error> {
        let answer = self.input(prompt, None, |v| names::port_text(v).map(drop))?;
        Ok(names::port_text(&answer).map(i64::from).unwrap_or_default())
    }

    /// The flag's choice when it passes `check`; otherwise the answer to `prompt`.
    fn given_choice<T: Copy + PartialEq>(
        &self,
        flag: &str,
        given: Option<T>,
        prompt: &str,
        choices: &Choices<T>,
        default: T,
        check: impl Fn(T) -> Result<(), String>,
    ) -> Result<T, Error> {
        if let Some(value) = given {
            match check(value) {
                Ok(()) => return Ok(value),
                Err(why) => self.error(&format!("{flag}: {why}")),
            }
        }
        self.choose(prompt, choices, default, check)
    }

    /// A choice, asked again with the reason until `check` accepts it; Esc cancels.
    fn choose<T: Copy + PartialEq>(
        &self,
        prompt: &str,
        choices: &Choices<T>,
        default: T,
        check: impl Fn(T) -> Result<(), String>,
    ) -> Result<T, Error> {
        let mut cursor = choices.iter().position(|c| c.0 == default).unwrap_or(0);
        loop {
            let picked = answered(
                Select::with_theme(&self.theme)
                    .with_prompt(prompt)
                    .items(choice_lines(choices))
                    .default(cursor)
                    .report(false)
                    .interact_on_opt(&self.term),
            )?
            .ok_or(Error::Cancelled)?;
            let (value, name, _) = choices[picked];
            match check(value) {
                Ok(()) => {
                    let mut line = String::new();
                    let _ = self
                        .theme
                        .format_select_prompt_selection(&mut line, prompt, name);
                    self.say(&line);
                    return Ok(value);
                }
                Err(why) => {
                    self.error(&why);
                    // Off the refused choice: onto the next one that is allowed, if any.
                    cursor = (1..choices.len())
                        .map(|step| (picked + step) % choices.len())
                        .find(|&i| check(choices[i].0).is_ok())
                        .unwrap_or(picked);
                }
            }
        }
    }

    /// A variable name for a secret `fromEnv`; when the bundle is rendered right after, the
    /// variable must be set now, or rendering would fail after the spec is written.
    fn env_var_ready(&self, var: &str) -> Result<(), String> {
        names::env_var_name(var)?;
        match self.renders {
            true => env_var_set(var),
            false => Ok(()),
        }
    }

    fn say(&self, text: &str) {
        let _ = self.term.write_line(text);
    }

    fn error(&self, text: &str) {
        let mut line = String::new();
        let _ = self.theme.format_error(&mut line, text);
        self.say(&line);
    }
}

/// `text` after `marker`, wrapped at word boundaries to `width` columns, later lines
/// indented under the first.
fn hanging_indent(text: &str, marker: &str, width: usize) -> String {
    let indent = " ".repeat(marker.chars().count());
    let mut out = marker.to_string();
    let mut column = out.chars().count();
    for (i, word) in text.split(' ').enumerate() {
        let length = word.chars().count();
        if i > 0 && column + 1 + length > width {
            out.push('\n');
            out.push_str(&indent);
            column = indent.len();
        } else if i > 0 {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += length;
    }
    out
}

/// The lines of a choice on screen: names in a column, then the explanations.
fn choice_lines<T>(choices: &Choices<T>) -> Vec<String> {
    let width = choices.iter().map(|c| c.1.len()).max().unwrap_or(0) + 2;
    choices
        .iter()
        .map(|(_, name, why)| format!("{name:width$}{why}"))
        .collect()
}

fn own_namespace(file: &SpecFile) -> String {
    file.metadata.namespace.clone().unwrap_or_default()
}

fn check_names(text: &str) -> Result<(), String> {
    comma_list(text)
        .iter()
        .try_for_each(|n| names::role_entry(n, false))
}

fn check_api_rule(rule: &ApiRuleSpec) -> Result<(), String> {
    if rule.resources.is_empty() || rule.verbs.is_empty() {
        return Err(
            "give at least one resource and one verb, e.g. configmaps:get,list,watch".into(),
        );
    }
    for group in &rule.api_groups {
        names::role_entry(group, true)?;
    }
    for entry in rule.resources.iter().chain(&rule.resource_names) {
        names::role_entry(entry, false)?;
    }
    rule.verbs.iter().try_for_each(|v| names::role_verb(v))?;
    names::role_secret_names(&rule.resources, &rule.resource_names)
}

fn check_secret(secret: &SecretSpec) -> Result<(), String> {
    names::secret_name(secret.name.as_deref().unwrap_or_default())?;
    match (&secret.from_env, &secret.from_file) {
        (Some(var), _) => names::env_var_name(var),
        (None, Some(path)) => not_empty(path),
        (None, None) => Ok(()),
    }
}

/// Whether the environment variable `var`, which a secret is read from, is set.
pub fn env_var_set(var: &str) -> Result<(), String> {
    match std::env::var_os(var) {
        Some(_) => Ok(()),
        None => Err(format!(
            "environment variable {var} is not set, and the bundle is rendered right after the spec is written: set it first (export {var}=...), or pass --spec-only to render later"
        )),
    }
}

/// The addresses of a comma-separated answer, blanks around each dropped.
fn endpoint_list(text: &str) -> Vec<String> {
    text.split(',').map(|c| c.trim().to_string()).collect()
}

fn not_empty(text: &str) -> Result<(), String> {
    match text.is_empty() {
        true => Err("must not be empty".into()),
        false => Ok(()),
    }
}

/// A dialoguer result as kubeward's; Ctrl-C read in raw mode exits as the signal would.
fn answered<T>(result: dialoguer::Result<T>) -> Result<T, Error> {
    result.map_err(|dialoguer::Error::IO(e)| {
        if e.kind() == std::io::ErrorKind::Interrupted {
            cancel_on_ctrl_c();
        }
        Error::io("cannot ask on the terminal", e)
    })
}

/// Ctrl-C: restores the cursor, says nothing was written (when that is still true), and
/// exits 130. Called by the signal handler's thread and by a prompt that read the key.
fn cancel_on_ctrl_c() -> ! {
    static EXITING: AtomicBool = AtomicBool::new(false);
    if EXITING.swap(true, Ordering::SeqCst) {
        // The other caller is already on its way out.
        loop {
            std::thread::park();
        }
    }
    let term = Term::stderr();
    let _ = term.show_cursor();
    if ASKING.load(Ordering::SeqCst) {
        let _ = term.write_line(&format!("\nerror: {}", Error::Cancelled));
    }
    std::process::exit(Error::Cancelled.exit_code());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_wrap_at_words_under_their_marker() {
        assert_eq!(
            hanging_indent("one two three four", "  - ", 14),
            "  - one two\n    three four"
        );
        assert_eq!(
            hanging_indent("unbreakable-word", "- ", 6),
            "- unbreakable-word"
        );
    }

    /// dialoguer redraws a choice by counting lines: a line the terminal wraps would stay.
    #[test]
    fn every_choice_fits_on_one_line_of_an_80_column_terminal() {
        fn widest<T>(choices: &Choices<T>) -> usize {
            let marker = 2; // "❯ " before each line
            choice_lines(choices)
                .iter()
                .map(|l| marker + l.chars().count())
                .max()
                .unwrap_or(0)
        }
        for width in [
            widest(PROTOCOLS),
            widest(EXPOSURES),
            widest(SENSITIVITIES),
            widest(TLS_MODES),
            widest(ENTRY_APIS),
            widest(DESTINATIONS),
            widest(VERB_SETS),
            widest(SOURCES),
            widest(ISSUER_KINDS),
        ] {
            assert!(width < 80, "{width} columns");
        }
    }
}
