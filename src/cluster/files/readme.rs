//! The README.md of the rendered folder: what each file does, where it goes, and the order
//! in which to install it, on a new cluster and on a running one; how the kubelets get
//! serving certificates signed by the cluster CA; how nodes join with anonymous requests
//! refused; where a key rotation stands. Every value in it was validated to a plain
//! character set (names, paths), so none can break the Markdown.

use std::fmt::Write;

use super::kubeadm::API_SERVER_PORT;
use super::{
    ADMISSION_FILE, AUDIT_FILE, CONFIG_DIR, ENCRYPTION_FILE, Inputs, KUBEADM_FILE, PATCH_FILE,
    PATCHES_DIR,
};
use crate::cluster::validate::Provider;

pub fn text(inputs: &Inputs) -> String {
    let cluster = inputs.cluster;
    let mut out = String::new();
    let _ = write!(
        out,
        "# Control plane files for cluster `{name}` (Kubernetes {version})\n\n\
Rendered by `kubeward cluster`. They configure the API server, the controller manager, the \
scheduler and etcd as the CIS Kubernetes Benchmark (v1.12) asks; `kubeward check` judges them, \
and kube-bench judges the running nodes.\n\n",
        name = cluster.name,
        version = cluster.version,
    );
    for warning in inputs.warnings {
        let _ = writeln!(out, "**Warning:** {warning}.\n");
    }
    out.push_str("| File | Goes to | What it does |\n|---|---|---|\n");
    let provider = match &cluster.encryption.provider {
        Provider::Secretbox => "`secretbox` with the key kept in kubeward's state folder: it holds that key, keep it mode 0600".to_string(),
        Provider::Kms { name, .. } => format!("the KMS v2 plugin `{name}`: the key stays in the KMS"),
    };
    let rows = [
        (
            ENCRYPTION_FILE.to_string(),
            format!("`{CONFIG_DIR}/{ENCRYPTION_FILE}`"),
            format!("Encrypts {} in etcd with {provider}.", list(&cluster.encryption.resources)),
        ),
        (
            AUDIT_FILE.to_string(),
            format!("`{CONFIG_DIR}/{AUDIT_FILE}`"),
            format!(
                "The audit policy: Secrets, ConfigMaps and tokens at `Metadata` only, RBAC changes, exec, attach, port-forward and proxies, workload changes; the log goes to `{}`.",
                cluster.audit.log_path
            ),
        ),
        (
            ADMISSION_FILE.to_string(),
            format!("`{CONFIG_DIR}/{ADMISSION_FILE}`"),
            format!(
                "Pod Security `{}` (version `{}`) for every namespace without a label of its own, exempting {}; and EventRateLimit's limits.",
                cluster.pod_security.enforce.as_str(),
                cluster.pod_security.version,
                exempted(inputs)
            ),
        ),
        (
            PATCH_FILE.to_string(),
            format!("`{PATCHES_DIR}/{PATCH_FILE}`"),
            format!("kubeadm's patch of the API server's probes: TCP on port {API_SERVER_PORT}, since `/livez` and `/readyz` no longer answer anonymous requests."),
        ),
        (
            KUBEADM_FILE.to_string(),
            "`kubeadm init --config` (the first control-plane node)".to_string(),
            "The flags of the API server, controller manager, scheduler and etcd, the folders above mounted into the API server, the patch folder, and kubelet serving certificates from the cluster CA.".to_string(),
        ),
    ];
    for (file, goes, does) in rows {
        let _ = writeln!(out, "| `{file}` | {goes} | {does} |");
    }
    if cluster.encryption.provider == Provider::Secretbox {
        let _ = write!(
            out,
            "\nThe secretbox key is also in kubeward's state folder, `_clusters/{}/encryption-keys.json`: keep a copy with etcd's backups, since nothing it encrypted can be read without it.\n",
            cluster.name
        );
    }
    out.push_str(&install(inputs));
    if let Some(progress) = inputs.rotation {
        let _ = write!(
            out,
            "\n## Key rotation\n\nThe rotation of the encryption key is at step {} of 6: {}.\n\nNext: {}.\n",
            progress.step,
            progress.done(),
            progress.next()
        );
    }
    out
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn exempted(inputs: &Inputs) -> String {
    let pss = &inputs.cluster.pod_security;
    let mut parts = Vec::new();
    if !pss.exempt_namespaces.is_empty() {
        parts.push(format!("the namespaces {}", list(&pss.exempt_namespaces)));
    }
    if !pss.exempt_runtime_classes.is_empty() {
        parts.push(format!(
            "the RuntimeClasses {}",
            list(&pss.exempt_runtime_classes)
        ));
    }
    if !pss.exempt_usernames.is_empty() {
        parts.push(format!("{} user(s)", pss.exempt_usernames.len()));
    }
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join(", ")
    }
}

/// The order of installation.
fn install(inputs: &Inputs) -> String {
    let cluster = inputs.cluster;
    let mut out = String::from("\n## In this order\n\n");
    let mut step = 0;
    let mut item = |text: String| {
        step += 1;
        let _ = writeln!(out, "{step}. {text}");
    };
    if let Provider::Kms { endpoint, .. } = &cluster.encryption.provider {
        item(format!(
            "Run the KMS v2 plugin on every control-plane node, listening on `{endpoint}`, before the API server starts: without it the API server cannot read or write Secrets."
        ));
    }
    item(format!(
        "On every control-plane node, as root:\n\n   ```sh\n   install -d -m 0700 {CONFIG_DIR} {PATCHES_DIR} {log}\n   install -m 0600 {ENCRYPTION_FILE} {AUDIT_FILE} {ADMISSION_FILE} {CONFIG_DIR}/\n   install -m 0600 '{PATCH_FILE}' {PATCHES_DIR}/\n   ```",
        log = cluster.audit.log_dir()
    ));
    item(format!(
        "A new cluster: `kubeadm init --config {KUBEADM_FILE}` on the first control-plane node. A running kubeadm cluster: on each control-plane node in turn, `kubeadm init phase control-plane all --config {KUBEADM_FILE}` and `kubeadm init phase etcd local --config {KUBEADM_FILE}` rewrite the static Pods (the kubelet restarts them), then `kubeadm init phase upload-config kubeadm --config {KUBEADM_FILE}` once. Later upgrades keep the patch with `kubeadm upgrade apply --patches {PATCHES_DIR}` (and `kubeadm upgrade node --patches {PATCHES_DIR}`)."
    ));
    item("Kubelet serving certificates for `--kubelet-certificate-authority`: `serverTLSBootstrap: true` in the `KubeletConfiguration` has each kubelet ask the cluster CA (signer `kubernetes.io/kubelet-serving`) for its serving certificate instead of signing its own; kube-controller-manager signs it once approved, and nothing approves it automatically. Check each request names its node's own names and addresses, then approve it:\n\n   ```sh\n   kubectl get csr --field-selector spec.signerName=kubernetes.io/kubelet-serving\n   kubectl certificate approve <name>\n   ```\n\n   Until it is approved, `kubectl logs`, `exec` and `port-forward` to that node fail. On a running cluster set `serverTLSBootstrap: true` in `/var/lib/kubelet/config.yaml` of every node and in the `kubelet-config` ConfigMap of `kube-system`, restart the kubelets and approve their requests: do this before rewriting the static Pods with the step above.".to_string());
    item(format!(
        "Encrypt what is already stored: once every API server runs with {ENCRYPTION_FILE}, `kubectl get secrets -A -o json | kubectl replace -f -` rewrites every Secret (and so for every other resource listed){}.",
        if cluster.encryption.migrating {
            "; then set `spec.encryption.migrating: false`, render again and install the new file: the readers of the old storage are then dropped"
        } else {
            ""
        }
    ));
    item(format!(
        "Joining nodes: anonymous requests are refused, and token discovery reads `kube-public/cluster-info` anonymously. Use file discovery: `kubectl -n kube-public get configmap cluster-info -o jsonpath='{{.data.kubeconfig}}' > cluster-info.kubeconfig`, copy it to the node, and `kubeadm join --discovery-file cluster-info.kubeconfig --tls-bootstrap-token <token>`; a control-plane node joins with `--control-plane --patches {PATCHES_DIR}` after step 1. A load balancer in front of the API servers checks TCP port {API_SERVER_PORT}, not `/readyz`."
    ));
    item("Verify: `etcdctl get /registry/secrets/<namespace>/<name>` shows a value starting with `k8s:enc:`, and `kube-bench run --targets master,etcd,controlplane` on a control-plane node passes the checks of sections 1.2, 1.3, 1.4, 2 and 3.2.".to_string());
    out
}
