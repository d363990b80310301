//! The `EncryptionConfiguration` (apiserver.config.k8s.io/v1): one entry for the resources
//! the spec names, whose first provider is `kms` v2 or `secretbox`; the providers that can
//! still read what is stored the old way follow while migrating, `identity` last.

use serde_json::{Value, json};

use crate::cluster::keys::Key;
use crate::cluster::validate::{Cluster, Provider};

pub fn configuration(cluster: &Cluster, keys: &[Key]) -> Value {
    let encryption = &cluster.encryption;
    let secretbox = || json!({"secretbox": {"keys": keys}});
    let mut providers = match &encryption.provider {
        Provider::Secretbox => vec![secretbox()],
        Provider::Kms {
            name,
            endpoint,
            timeout,
        } => {
            let mut providers = vec![json!({"kms": {
                "apiVersion": "v2",
                "name": name,
                "endpoint": endpoint,
                "timeout": timeout,
            }})];
            if encryption.migrating && !keys.is_empty() {
                providers.push(secretbox());
            }
            providers
        }
    };
    if encryption.migrating {
        providers.push(json!({"identity": {}}));
    }
    json!({
        "apiVersion": "apiserver.config.k8s.io/v1",
        "kind": "EncryptionConfiguration",
        "resources": [{
            "resources": encryption.resources,
            "providers": providers,
        }],
    })
}
