//! What each decision is grouped under (its concern) and what it stands in the way of (its
//! threat): the vocabulary of the rationale, of `explain` and of the annotations.

use serde::Serialize;

/// Groups of decisions, as `explain` presents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Concern {
    Identity,
    Network,
    Runtime,
    SecretsAndTls,
    Availability,
}

impl Concern {
    pub const ALL: [Concern; 5] = [
        Concern::Identity,
        Concern::Network,
        Concern::Runtime,
        Concern::SecretsAndTls,
        Concern::Availability,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Concern::Identity => "Identity",
            Concern::Network => "Network",
            Concern::Runtime => "Runtime",
            Concern::SecretsAndTls => "Secrets and TLS",
            Concern::Availability => "Availability",
        }
    }
}

/// What an attacker (or an accident) could do that a decision stands in the way of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Threat {
    UnauthorisedAccess,
    ExposedSecrets,
    ManInTheMiddle,
    DenialOfService,
    ContainerBreakout,
    ApiServerAttack,
    /// A re-pushed tag or a swapped registry image runs code nobody reviewed.
    TamperedImage,
}

impl Threat {
    pub const ALL: [Threat; 7] = [
        Threat::UnauthorisedAccess,
        Threat::ExposedSecrets,
        Threat::ManInTheMiddle,
        Threat::DenialOfService,
        Threat::ContainerBreakout,
        Threat::ApiServerAttack,
        Threat::TamperedImage,
    ];

    /// The id used on the command line and in JSON, e.g. `man-in-the-middle`.
    pub fn id(self) -> &'static str {
        match self {
            Threat::UnauthorisedAccess => "unauthorised-access",
            Threat::ExposedSecrets => "exposed-secrets",
            Threat::ManInTheMiddle => "man-in-the-middle",
            Threat::DenialOfService => "denial-of-service",
            Threat::ContainerBreakout => "container-breakout",
            Threat::ApiServerAttack => "api-server-attack",
            Threat::TamperedImage => "tampered-image",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Threat::UnauthorisedAccess => "unauthorised access between components",
            Threat::ExposedSecrets => "exposed secrets",
            Threat::ManInTheMiddle => "man-in-the-middle",
            Threat::DenialOfService => "denial of service",
            Threat::ContainerBreakout => "container breakout",
            Threat::ApiServerAttack => "attacks on the API server",
            Threat::TamperedImage => "a tampered or swapped image",
        }
    }
}
