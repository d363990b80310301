//! The flags that describe a service (shared by `render` and `init`) and how they fill or
//! override the fields of a spec file.

use clap::Args;

use super::entry::{EntryApi, GatewayRefSpec, IngressSpec, RateLimitSpec, TimeoutsSpec};
use super::model::{
    self, ApiRuleSpec, AutoscalingSpec, CaFiles, CallerSpec, ClientAuth, EgressSpec, Exposure,
    GenerateSpec, IssuerRef, Mesh, Protocol, SealingScope, SealingSpec, SecretSpec, Sensitivity,
    SpecFile, StoreRefSpec, TlsMode,
};
use super::names::DEFAULT_SECRET_LENGTH;

/// Every spec field that has a flag. A flag given on the command line replaces the field.
#[derive(Debug, Clone, Default, Args)]
pub struct SpecFlags {
    /// The app name (DNS-1123 label); metadata.name
    #[arg(long, help_heading = "Service")]
    pub name: Option<String>,
    /// The namespace (not `default`); metadata.namespace
    #[arg(long, short = 'n', help_heading = "Service")]
    pub namespace: Option<String>,
    /// Container image, e.g. ghcr.io/acme/api:1.2@sha256:...
    #[arg(long, help_heading = "Service")]
    pub image: Option<String>,
    /// Port the container listens on
    #[arg(long, help_heading = "Service")]
    pub port: Option<i64>,
    /// What the port speaks
    #[arg(long, value_enum, help_heading = "Service")]
    pub protocol: Option<ProtocolArg>,
    /// How many pods (1-1000), when the count is fixed
    #[arg(long, help_heading = "Load")]
    pub replicas: Option<i64>,
    /// Whether a HorizontalPodAutoscaler owns the replica count
    #[arg(long, value_enum, value_name = "ON|OFF", help_heading = "Load")]
    pub autoscaling: Option<OnOff>,
    /// The fewest pods the autoscaler keeps (2 or more)
    #[arg(long, help_heading = "Load")]
    pub min_replicas: Option<i64>,
    /// The most pods the autoscaler runs
    #[arg(long, help_heading = "Load")]
    pub max_replicas: Option<i64>,
    /// The average CPU use, in percent of the request, the autoscaler keeps the pods at
    #[arg(long, value_name = "PERCENT", help_heading = "Load")]
    pub target_cpu: Option<i64>,
    /// Preset name or path to a preset file
    #[arg(long, help_heading = "Service")]
    pub preset: Option<String>,
    /// How far the service is reachable
    #[arg(long, value_enum, help_heading = "Traffic")]
    pub exposure: Option<ExposureArg>,
    /// How sensitive its data is
    #[arg(long, value_enum, help_heading = "Service")]
    pub sensitivity: Option<SensitivityArg>,
    /// The service mesh the cluster runs
    #[arg(long, value_enum, help_heading = "Traffic")]
    pub mesh: Option<MeshArg>,
    /// A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable
    #[arg(long = "caller", value_name = "NS/APP", help_heading = "Traffic")]
    pub callers: Vec<String>,
    /// Clients by address range allowed in, e.g. 198.51.100.0/24; repeatable
    #[arg(long = "caller-cidr", value_name = "CIDR", help_heading = "Traffic")]
    pub caller_cidrs: Vec<String>,
    /// A pod destination, NAMESPACE/APP:PORT; repeatable
    #[arg(long = "egress", value_name = "NS/APP:PORT", help_heading = "Traffic")]
    pub egress: Vec<String>,
    /// An address-range destination, CIDR:PORT; repeatable
    #[arg(
        long = "egress-cidr",
        value_name = "CIDR:PORT",
        help_heading = "Traffic"
    )]
    pub egress_cidr: Vec<String>,
    /// Public host name (exposure public)
    #[arg(long, help_heading = "Entry")]
    pub host: Option<String>,
    /// What carries the public entry: Gateway API routes or an Ingress (exposure public)
    #[arg(long, value_enum, help_heading = "Entry")]
    pub ingress_api: Option<IngressApiArg>,
    /// The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)
    #[arg(long, value_name = "[NS/]NAME", help_heading = "Entry")]
    pub gateway: Option<String>,
    /// The Gateway's HTTPS listener the route attaches to (api gateway)
    #[arg(long, value_name = "NAME", help_heading = "Entry")]
    pub gateway_listener: Option<String>,
    /// Ingress class (api ingress)
    #[arg(long, help_heading = "Entry")]
    pub ingress_class: Option<String>,
    /// Requests a second per client address, and the burst: RATE[:BURST]
    #[arg(long, value_name = "RATE[:BURST]", help_heading = "Entry")]
    pub rate_limit: Option<String>,
    /// Concurrent connections at the entry
    #[arg(long, value_name = "N", help_heading = "Entry")]
    pub connection_limit: Option<i64>,
    /// The largest request body, e.g. 1Mi
    #[arg(long, value_name = "SIZE", help_heading = "Entry")]
    pub max_body_size: Option<String>,
    /// The longest a request may take, e.g. 30s
    #[arg(long, value_name = "DURATION", help_heading = "Entry")]
    pub request_timeout: Option<String>,
    /// The longest one try to the service may take, e.g. 10s
    #[arg(long, value_name = "DURATION", help_heading = "Entry")]
    pub backend_timeout: Option<String>,
    /// Only clients from this address range reach the entry; repeatable
    #[arg(long = "source-range", value_name = "CIDR", help_heading = "Entry")]
    pub source_ranges: Vec<String>,
    /// The cert-manager issuer of the public host's certificate, [KIND/]NAME (exposure public)
    #[arg(long, value_name = "[KIND/]NAME", help_heading = "Entry")]
    pub ingress_issuer: Option<String>,
    /// Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g.
    /// configmaps:get,list,watch or apps/deployments:get; repeatable
    #[arg(long = "api", value_name = "RESOURCE:VERBS", help_heading = "Access")]
    pub api: Vec<String>,
    /// A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or
    /// NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable
    #[arg(long = "secret", value_name = "NAME=SOURCE", help_heading = "Access")]
    pub secrets: Vec<String>,
    /// Seal every Secret for the Sealed Secrets controller's public certificate (PEM)
    #[arg(long, value_name = "PATH", help_heading = "Access")]
    pub seal_cert: Option<String>,
    /// Where a sealed value may be unsealed
    #[arg(long, value_enum, value_name = "SCOPE", help_heading = "Access")]
    pub seal_scope: Option<SealScopeArg>,
    /// TLS mode for the service's own port
    #[arg(long, value_enum, help_heading = "Service")]
    pub tls: Option<TlsArg>,
    /// The CA certificate PEM file (TLS mode ca)
    #[arg(long, value_name = "PATH", help_heading = "Service")]
    pub tls_ca_cert: Option<String>,
    /// The CA private key PEM file (TLS mode ca)
    #[arg(long, value_name = "PATH", help_heading = "Service")]
    pub tls_ca_key: Option<String>,
    /// The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)
    #[arg(long, value_name = "[KIND/]NAME", help_heading = "Service")]
    pub tls_issuer: Option<String>,
    /// Mutual TLS: whether callers must present client certificates
    #[arg(long, value_enum, value_name = "WHEN", help_heading = "Service")]
    pub client_auth: Option<ClientAuthArg>,
    /// A clear-text container port for the probes, for a server whose port speaks only TLS
    #[arg(long, help_heading = "Service")]
    pub probe_port: Option<i64>,
}

macro_rules! value_enum {
    ($arg:ident => $target:ty { $($variant:ident),+ }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        pub enum $arg { $($variant),+ }
        impl From<$arg> for $target {
            fn from(value: $arg) -> Self {
                match value { $($arg::$variant => <$target>::$variant),+ }
            }
        }
    };
}

value_enum!(ProtocolArg => Protocol { Http, Https, Grpc, Tcp });
value_enum!(ExposureArg => Exposure { Namespace, Cluster, Public });
value_enum!(SensitivityArg => Sensitivity { Public, Internal, Confidential, Restricted });
value_enum!(TlsArg => TlsMode { None, SelfSigned, Ca, CertManager });
value_enum!(MeshArg => Mesh { None, Istio, Linkerd });
value_enum!(ClientAuthArg => ClientAuth { None, Required });
value_enum!(IngressApiArg => EntryApi { Gateway, Ingress });
value_enum!(SealScopeArg => SealingScope { Strict, NamespaceWide, ClusterWide });

/// A switch given as a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

/// Splits `RATE[:BURST]` into a rate limit; a part that is not a number is an error.
fn parse_rate(text: &str) -> Result<(i64, Option<i64>), String> {
    let number = |part: &str| {
        part.parse::<i64>()
            .map_err(|_| format!("--rate-limit `{text}`: `{part}` is not a number (RATE[:BURST])"))
    };
    match text.split_once(':') {
        Some((rate, burst)) => Ok((number(rate)?, Some(number(burst)?))),
        None => Ok((number(text)?, None)),
    }
}

/// Splits `PREFIX/NAME` (or `NAME`) at the first `/`.
fn split_prefix(text: &str) -> (Option<String>, String) {
    match text.split_once('/') {
        Some((prefix, name)) => (Some(prefix.to_string()), name.to_string()),
        None => (None, text.to_string()),
    }
}

/// Splits `NS/APP` (or `APP`) into a caller.
fn parse_app(text: &str) -> CallerSpec {
    let (namespace, app) = split_prefix(text);
    CallerSpec {
        app: Some(app),
        namespace,
        ..CallerSpec::default()
    }
}

/// Splits `TARGET:PORT` at the last colon; a port that is not a number is kept as an
/// impossible value so validation names the field.
fn split_port(flag: &str, text: &str) -> Result<(String, i64), String> {
    let (target, port) = text
        .rsplit_once(':')
        .ok_or_else(|| format!("--{flag} `{text}` needs a port: TARGET:PORT"))?;
    let port = port
        .parse::<i64>()
        .map_err(|_| format!("--{flag} `{text}`: `{port}` is not a port number"))?;
    Ok((target.to_string(), port))
}

/// Splits a comma list; an empty text is an empty list.
pub fn comma_list(text: &str) -> Vec<String> {
    if text.is_empty() {
        return vec![];
    }
    text.split(',').map(str::to_string).collect()
}

/// The API groups whose names have no dot; every other group's name has one
/// (`networking.k8s.io`, and every custom resource's group).
const DOTLESS_GROUPS: [&str; 5] = ["apps", "autoscaling", "batch", "extensions", "policy"];

/// Splits `[GROUP/]RESOURCES` into the API group (empty: the core API) and the resources.
/// What stands before the first `/` is a group only when it can be one, so `pods/log` is the
/// core API's subresource and `apps/deployments/scale` the `apps` group's.
pub fn split_group(text: &str) -> (String, Vec<String>) {
    match text.split_once('/') {
        Some((group, resources))
            if group.is_empty() || group.contains('.') || DOTLESS_GROUPS.contains(&group) =>
        {
            (group.to_string(), comma_list(resources))
        }
        _ => (String::new(), comma_list(text)),
    }
}

/// Parses `[GROUP/]RESOURCES:VERBS[:NAMES]` into a Role rule.
fn parse_api(text: &str) -> Result<ApiRuleSpec, String> {
    let mut parts = text.splitn(3, ':');
    let (target, verbs, names) = (parts.next(), parts.next(), parts.next());
    let (Some(target), Some(verbs)) = (target, verbs) else {
        return Err(format!(
            "--api `{text}` needs verbs: [GROUP/]RESOURCES:VERBS, e.g. configmaps:get,list,watch"
        ));
    };
    let (group, resources) = split_group(target);
    Ok(ApiRuleSpec {
        api_groups: vec![group],
        resources,
        verbs: comma_list(verbs),
        resource_names: comma_list(names.unwrap_or_default()),
    })
}

/// Parses `NAME=generate[:LENGTH]`, `NAME=env:VAR`, `NAME=file:PATH` or
/// `NAME=store:[KIND/]STORE:KEY[#PROPERTY]` into a secret.
fn parse_secret(text: &str) -> Result<SecretSpec, String> {
    let usage = || {
        format!(
            "--secret `{text}`: use NAME=generate, NAME=generate:LENGTH, NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY]"
        )
    };
    let (name, source) = text.split_once('=').ok_or_else(usage)?;
    let mut secret = SecretSpec {
        name: Some(name.to_string()),
        ..SecretSpec::default()
    };
    if source == "generate" {
        secret.generate = Some(GenerateSpec {
            length: Some(DEFAULT_SECRET_LENGTH),
        });
    } else if let Some(length) = source.strip_prefix("generate:") {
        let length = length
            .parse::<i64>()
            .map_err(|_| format!("--secret `{text}`: `{length}` is not a length"))?;
        secret.generate = Some(GenerateSpec {
            length: Some(length),
        });
    } else if let Some(var) = source.strip_prefix("env:") {
        secret.from_env = Some(var.to_string());
    } else if let Some(path) = source.strip_prefix("file:") {
        secret.from_file = Some(path.to_string());
    } else if let Some(reference) = source.strip_prefix("store:") {
        let (store, key) = reference.split_once(':').ok_or_else(usage)?;
        let (kind, store) = split_prefix(store);
        let (key, property) = match key.rsplit_once('#') {
            Some((key, property)) => (key, Some(property.to_string())),
            None => (key, None),
        };
        secret.from_store = Some(StoreRefSpec {
            store: Some(store),
            kind,
            key: Some(key.to_string()),
            property,
            version: None,
        });
    } else {
        return Err(usage());
    }
    Ok(secret)
}

/// Parses `[KIND/]NAME` into a cert-manager issuer reference.
fn parse_issuer(text: &str) -> IssuerRef {
    let (kind, name) = split_prefix(text);
    IssuerRef {
        kind,
        name: Some(name),
    }
}

impl SpecFlags {
    /// Whether any service field was given as a flag.
    pub fn any(&self) -> bool {
        let mut empty = SpecFile::default();
        self.apply(&mut empty).is_err() || empty != SpecFile::default()
    }

    /// Writes every given flag into `file`, replacing what it had.
    pub fn apply(&self, file: &mut SpecFile) -> Result<(), String> {
        let set = |target: &mut Option<String>, value: &Option<String>| {
            if value.is_some() {
                target.clone_from(value);
            }
        };
        set(&mut file.metadata.name, &self.name);
        set(&mut file.metadata.namespace, &self.namespace);
        let s = &mut file.spec;
        set(&mut s.image, &self.image);
        set(&mut s.preset, &self.preset);
        s.port = self.port.or(s.port);
        s.replicas = self.replicas.or(s.replicas);
        s.protocol = self.protocol.map(Into::into).or(s.protocol);
        s.exposure = self.exposure.map(Into::into).or(s.exposure);
        s.sensitivity = self.sensitivity.map(Into::into).or(s.sensitivity);
        s.mesh = self.mesh.map(Into::into).or(s.mesh);
        if !self.callers.is_empty() || !self.caller_cidrs.is_empty() {
            s.callers = self.callers.iter().map(|c| parse_app(c)).collect();
            s.callers
                .extend(self.caller_cidrs.iter().map(|cidr| CallerSpec {
                    cidr: Some(cidr.clone()),
                    ..CallerSpec::default()
                }));
        }
        if !self.egress.is_empty() || !self.egress_cidr.is_empty() {
            let mut egress = Vec::new();
            for text in &self.egress {
                let (target, port) = split_port("egress", text)?;
                let app = parse_app(&target);
                egress.push(EgressSpec {
                    app: app.app,
                    namespace: app.namespace,
                    port: Some(port),
                    ..EgressSpec::default()
                });
            }
            for text in &self.egress_cidr {
                let (cidr, port) = split_port("egress-cidr", text)?;
                egress.push(EgressSpec {
                    cidr: Some(cidr),
                    port: Some(port),
                    ..EgressSpec::default()
                });
            }
            s.egress = egress;
        }
        self.apply_load(s);
        self.apply_entry(s)?;
        if !self.api.is_empty() {
            s.api_access = self
                .api
                .iter()
                .map(|a| parse_api(a))
                .collect::<Result<_, _>>()?;
        }
        if !self.secrets.is_empty() {
            s.secrets = self
                .secrets
                .iter()
                .map(|a| parse_secret(a))
                .collect::<Result<_, _>>()?;
        }
        if let Some(mode) = self.tls {
            s.tls.get_or_insert_with(model::TlsSpec::default).mode = Some(mode.into());
        }
        if self.tls_ca_cert.is_some() || self.tls_ca_key.is_some() {
            let tls = s.tls.get_or_insert_with(model::TlsSpec::default);
            let ca = tls.ca.get_or_insert_with(CaFiles::default);
            set(&mut ca.cert, &self.tls_ca_cert);
            set(&mut ca.key, &self.tls_ca_key);
        }
        if let Some(issuer) = &self.tls_issuer {
            let IssuerRef { kind, name } = parse_issuer(issuer);
            let tls = s.tls.get_or_insert_with(model::TlsSpec::default);
            let ca = tls.issuer.take().and_then(|given| given.ca);
            tls.issuer = Some(model::TlsIssuer { kind, name, ca });
        }
        if let Some(client_auth) = self.client_auth {
            s.tls
                .get_or_insert_with(model::TlsSpec::default)
                .client_auth = Some(client_auth.into());
        }
        if self.probe_port.is_some() {
            s.probes.get_or_insert_with(model::ProbesSpec::default).port = self.probe_port;
        }
        if self.seal_cert.is_some() || self.seal_scope.is_some() {
            let sealing = s.sealing.get_or_insert_with(SealingSpec::default);
            set(&mut sealing.certificate, &self.seal_cert);
            sealing.scope = self.seal_scope.map(Into::into).or(sealing.scope);
        }
        Ok(())
    }

    fn apply_load(&self, s: &mut model::ServiceSpec) {
        let given = self.autoscaling.is_some()
            || self.min_replicas.is_some()
            || self.max_replicas.is_some()
            || self.target_cpu.is_some();
        if !given {
            return;
        }
        let scaling = s.autoscaling.get_or_insert_with(AutoscalingSpec::default);
        if let Some(on) = self.autoscaling {
            scaling.enabled = Some(on == OnOff::On);
        }
        scaling.min_replicas = self.min_replicas.or(scaling.min_replicas);
        scaling.max_replicas = self.max_replicas.or(scaling.max_replicas);
        scaling.target_cpu_utilization_percentage = self
            .target_cpu
            .or(scaling.target_cpu_utilization_percentage);
    }

    fn apply_entry(&self, s: &mut model::ServiceSpec) -> Result<(), String> {
        let set = |target: &mut Option<String>, value: &Option<String>| {
            if value.is_some() {
                target.clone_from(value);
            }
        };
        let given = self.host.is_some()
            || self.ingress_class.is_some()
            || self.ingress_issuer.is_some()
            || self.ingress_api.is_some()
            || self.gateway.is_some()
            || self.gateway_listener.is_some()
            || self.rate_limit.is_some()
            || self.connection_limit.is_some()
            || self.max_body_size.is_some()
            || self.request_timeout.is_some()
            || self.backend_timeout.is_some()
            || !self.source_ranges.is_empty();
        if !given {
            return Ok(());
        }
        let ingress = s.ingress.get_or_insert_with(IngressSpec::default);
        set(&mut ingress.host, &self.host);
        set(&mut ingress.class_name, &self.ingress_class);
        if let Some(issuer) = &self.ingress_issuer {
            ingress.issuer = Some(parse_issuer(issuer));
        }
        if let Some(api) = self.ingress_api {
            ingress.api = Some(api.into());
        }
        if self.gateway.is_some() || self.gateway_listener.is_some() {
            let gateway = ingress.gateway.get_or_insert_with(GatewayRefSpec::default);
            if let Some(text) = &self.gateway {
                let (namespace, name) = split_prefix(text);
                gateway.name = Some(name);
                if namespace.is_some() {
                    gateway.namespace = namespace;
                }
            }
            set(&mut gateway.section_name, &self.gateway_listener);
        }
        if self.rate_limit.is_some() || self.connection_limit.is_some() {
            let rate = ingress
                .rate_limit
                .get_or_insert_with(RateLimitSpec::default);
            if let Some(text) = &self.rate_limit {
                let (per_second, burst) = parse_rate(text)?;
                rate.requests_per_second = Some(per_second);
                rate.burst = burst.or(rate.burst);
            }
            rate.connections = self.connection_limit.or(rate.connections);
        }
        set(&mut ingress.max_body_size, &self.max_body_size);
        if self.request_timeout.is_some() || self.backend_timeout.is_some() {
            let timeouts = ingress.timeouts.get_or_insert_with(TimeoutsSpec::default);
            set(&mut timeouts.request, &self.request_timeout);
            set(&mut timeouts.backend_request, &self.backend_timeout);
        }
        if !self.source_ranges.is_empty() {
            ingress.source_ranges = self.source_ranges.clone();
        }
        Ok(())
    }

    /// The spec fields the given flags set, with the flag that set each: errors in those
    /// fields are the flag's, not the file's. A field below another comes first.
    pub fn given(&self) -> Vec<(&'static str, &'static str)> {
        let mut given = Vec::new();
        let mut mark = |set: bool, field, flag| {
            if set {
                given.push((field, flag));
            }
        };
        mark(self.name.is_some(), "metadata.name", "--name");
        mark(
            self.namespace.is_some(),
            "metadata.namespace",
            "--namespace",
        );
        mark(self.image.is_some(), "spec.image", "--image");
        mark(self.port.is_some(), "spec.port", "--port");
        mark(self.replicas.is_some(), "spec.replicas", "--replicas");
        mark(
            self.autoscaling.is_some(),
            "spec.autoscaling.enabled",
            "--autoscaling",
        );
        mark(
            self.min_replicas.is_some(),
            "spec.autoscaling.minReplicas",
            "--min-replicas",
        );
        mark(
            self.max_replicas.is_some(),
            "spec.autoscaling.maxReplicas",
            "--max-replicas",
        );
        mark(
            self.target_cpu.is_some(),
            "spec.autoscaling.targetCPUUtilizationPercentage",
            "--target-cpu",
        );
        mark(self.preset.is_some(), "spec.preset", "--preset");
        mark(
            !self.callers.is_empty() || !self.caller_cidrs.is_empty(),
            "spec.callers",
            "--caller/--caller-cidr",
        );
        mark(
            self.client_auth.is_some(),
            "spec.tls.clientAuth",
            "--client-auth",
        );
        mark(
            !self.egress.is_empty() || !self.egress_cidr.is_empty(),
            "spec.egress",
            "--egress/--egress-cidr",
        );
        mark(self.host.is_some(), "spec.ingress.host", "--host");
        mark(
            self.ingress_class.is_some(),
            "spec.ingress.className",
            "--ingress-class",
        );
        mark(
            self.ingress_issuer.is_some(),
            "spec.ingress.issuer",
            "--ingress-issuer",
        );
        mark(
            self.ingress_api.is_some(),
            "spec.ingress.api",
            "--ingress-api",
        );
        mark(
            self.gateway_listener.is_some(),
            "spec.ingress.gateway.sectionName",
            "--gateway-listener",
        );
        mark(self.gateway.is_some(), "spec.ingress.gateway", "--gateway");
        mark(
            self.connection_limit.is_some(),
            "spec.ingress.rateLimit.connections",
            "--connection-limit",
        );
        mark(
            self.rate_limit.is_some(),
            "spec.ingress.rateLimit",
            "--rate-limit",
        );
        mark(
            self.max_body_size.is_some(),
            "spec.ingress.maxBodySize",
            "--max-body-size",
        );
        mark(
            self.request_timeout.is_some(),
            "spec.ingress.timeouts.request",
            "--request-timeout",
        );
        mark(
            self.backend_timeout.is_some(),
            "spec.ingress.timeouts.backendRequest",
            "--backend-timeout",
        );
        mark(
            !self.source_ranges.is_empty(),
            "spec.ingress.sourceRanges",
            "--source-range",
        );
        mark(
            self.probe_port.is_some(),
            "spec.probes.port",
            "--probe-port",
        );
        mark(
            self.seal_cert.is_some(),
            "spec.sealing.certificate",
            "--seal-cert",
        );
        mark(
            self.seal_scope.is_some(),
            "spec.sealing.scope",
            "--seal-scope",
        );
        given
    }

    /// A spec built from flags alone, with the fixed header filled in.
    pub fn to_spec(&self) -> Result<SpecFile, String> {
        let mut file = SpecFile {
            api_version: Some(model::API_VERSION.to_string()),
            kind: Some(model::KIND.to_string()),
            ..SpecFile::default()
        };
        self.apply(&mut file)?;
        Ok(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_secret_names_its_store_key_and_property() {
        let secret = parse_secret("stripe=store:ClusterSecretStore/vault:payments/stripe#api-key")
            .unwrap()
            .from_store
            .unwrap();
        assert_eq!(
            (secret.kind.as_deref(), secret.store.as_deref()),
            (Some("ClusterSecretStore"), Some("vault"))
        );
        assert_eq!(
            (secret.key.as_deref(), secret.property.as_deref()),
            (Some("payments/stripe"), Some("api-key"))
        );
        let plain = parse_secret("db=store:vault:arn:aws:secretsmanager:db").unwrap();
        let plain = plain.from_store.unwrap();
        assert_eq!(plain.kind, None);
        assert_eq!(plain.key.as_deref(), Some("arn:aws:secretsmanager:db"));
        assert!(parse_secret("db=store:vault").is_err());
    }

    #[test]
    fn a_group_is_read_before_the_slash_only_when_it_can_be_one() {
        for (text, group, resources) in [
            ("configmaps,secrets", "", &["configmaps", "secrets"][..]),
            ("apps/deployments", "apps", &["deployments"]),
            ("apps/deployments/scale", "apps", &["deployments/scale"]),
            (
                "networking.k8s.io/networkpolicies",
                "networking.k8s.io",
                &["networkpolicies"],
            ),
            ("pods/log", "", &["pods/log"]),
            ("/configmaps", "", &["configmaps"]),
            ("pods,pods/log", "", &["pods", "pods/log"]),
        ] {
            assert_eq!(
                split_group(text),
                (
                    group.to_string(),
                    resources.iter().map(|r| r.to_string()).collect()
                ),
                "{text}"
            );
        }
    }
}
