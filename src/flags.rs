//! The flags that describe a service (shared by `render` and `init`) and how they fill or
//! override the fields of a spec file.

use clap::Args;

use crate::spec::{
    self, CallerSpec, EgressSpec, Exposure, IngressSpec, Protocol, Sensitivity, SpecFile, TlsMode,
};

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
    /// How many pods (1-1000)
    #[arg(long, help_heading = "Service")]
    pub replicas: Option<i64>,
    /// Preset name or path to a preset file
    #[arg(long, help_heading = "Service")]
    pub preset: Option<String>,
    /// How far the service is reachable
    #[arg(long, value_enum, help_heading = "Traffic")]
    pub exposure: Option<ExposureArg>,
    /// How sensitive its data is
    #[arg(long, value_enum, help_heading = "Service")]
    pub sensitivity: Option<SensitivityArg>,
    /// A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable
    #[arg(long = "caller", value_name = "NS/APP", help_heading = "Traffic")]
    pub callers: Vec<String>,
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
    #[arg(long, help_heading = "Traffic")]
    pub host: Option<String>,
    /// Ingress class (exposure public)
    #[arg(long, help_heading = "Traffic")]
    pub ingress_class: Option<String>,
    /// TLS mode for the service's own port
    #[arg(long, value_enum, help_heading = "Service")]
    pub tls: Option<TlsArg>,
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

/// Splits `NS/APP` (or `APP`) into a caller.
fn parse_app(text: &str) -> CallerSpec {
    match text.split_once('/') {
        Some((ns, app)) => CallerSpec {
            app: Some(app.to_string()),
            namespace: Some(ns.to_string()),
        },
        None => CallerSpec {
            app: Some(text.to_string()),
            namespace: None,
        },
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
        if !self.callers.is_empty() {
            s.callers = self.callers.iter().map(|c| parse_app(c)).collect();
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
        if self.host.is_some() || self.ingress_class.is_some() {
            let ingress = s.ingress.get_or_insert_with(IngressSpec::default);
            set(&mut ingress.host, &self.host);
            set(&mut ingress.class_name, &self.ingress_class);
        }
        if let Some(mode) = self.tls {
            s.tls.get_or_insert_with(spec::TlsSpec::default).mode = Some(mode.into());
        }
        Ok(())
    }

    /// The spec fields the given flags set, with the flag that set each: errors in those
    /// fields are the flag's, not the file's.
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
        mark(self.preset.is_some(), "spec.preset", "--preset");
        mark(!self.callers.is_empty(), "spec.callers", "--caller");
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
        given
    }

    /// A spec built from flags alone, with the fixed header filled in.
    pub fn to_spec(&self) -> Result<SpecFile, String> {
        let mut file = SpecFile {
            api_version: Some(spec::API_VERSION.to_string()),
            kind: Some(spec::KIND.to_string()),
            ..SpecFile::default()
        };
        self.apply(&mut file)?;
        Ok(file)
    }
}
