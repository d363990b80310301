// The typical service of benches/typical/kubeward.yaml as a cdk8s-plus-33 chart, as close as
// cdk8s-plus gets: the same objects, labels, security contexts, probes and network policies.
// cdk8s generates no secret material: the Secrets hold fixed placeholder values.
const { App, Chart, ApiObject, Duration, Size } = require('cdk8s');
const kplus = require('cdk8s-plus-33');

const name = 'payments-api';
const namespace = 'payments';
const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'cdk8s' };
const selector = { 'app.kubernetes.io/name': name };

class TypicalService extends Chart {
  constructor(scope, id) {
    super(scope, id, { namespace, labels, disableResourceNameHashes: true });
    const level = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      level[`pod-security.kubernetes.io/${mode}`] = 'restricted';
      level[`pod-security.kubernetes.io/${mode}-version`] = 'latest';
    }
    new kplus.Namespace(this, 'namespace', { metadata: { name: namespace, labels: level } });
    const account = new kplus.ServiceAccount(this, 'account', {
      metadata: { name }, automountToken: false,
    });
    const password = new kplus.Secret(this, 'db-password', {
      metadata: { name: `${name}-db-password` }, stringData: { value: 'x'.repeat(32) },
    });
    const tls = new kplus.TlsSecret(this, 'tls', {
      metadata: { name: `${name}-tls` }, tlsCert: 'placeholder', tlsKey: 'placeholder',
    });
    const user = { user: 10001, group: 10001, ensureNonRoot: true };
    const deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name }, replicas: 3, serviceAccount: account,
      automountServiceAccountToken: false, podMetadata: { labels: selector },
      select: false, securityContext: { ...user, fsGroup: 10001 },
    });
    deployment.select(kplus.LabelSelector.of({ labels: selector }));
    const probe = (path) => kplus.Probe.fromHttpGet(path, {
      port: 8443, scheme: kplus.ConnectionScheme.HTTPS, periodSeconds: Duration.seconds(10),
    });
    const container = deployment.addContainer({
      name, image: 'ghcr.io/acme/payments-api:1.4.2@sha256:3b2e5f8a9c1d4e7f6a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f',
      ports: [{ name: 'https', number: 8443 }],
      securityContext: { ...user, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false },
      readiness: probe('/readyz'), liveness: probe('/livez'),
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      },
    });
    container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp'));
    container.mount('/var/run/secrets/kubeward/db-password', kplus.Volume.fromSecret(this, 'pw', password));
    container.mount('/var/run/secrets/kubeward/tls', kplus.Volume.fromSecret(this, 'tlsv', tls));
    deployment.exposeViaService({ name, ports: [{ name: 'https', port: 443, targetPort: 8443 }] });
    new ApiObject(this, 'pdb', {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    });
    const pods = (id, ns, app) => kplus.Pods.select(this, id, {
      labels: { 'app.kubernetes.io/name': app },
      namespaces: kplus.Namespaces.select(this, `${id}-ns`, { names: [ns] }),
    });
    new kplus.NetworkPolicy(this, 'default-deny', {
      metadata: { name: 'default-deny' },
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    const policy = new kplus.NetworkPolicy(this, 'policy', { metadata: { name }, selector: deployment });
    policy.addIngressRule(pods('web', 'checkout', 'web'), [kplus.NetworkPolicyPort.tcp(8443)]);
    policy.addIngressRule(pods('billing', namespace, 'billing-worker'), [kplus.NetworkPolicyPort.tcp(8443)]);
    const dns = kplus.Pods.select(this, 'dns', {
      labels: { 'k8s-app': 'kube-dns' },
      namespaces: kplus.Namespaces.select(this, 'dns-ns', { names: ['kube-system'] }),
    });
    policy.addEgressRule(dns, [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)]);
    policy.addEgressRule(pods('postgres', 'db', 'postgres'), [kplus.NetworkPolicyPort.tcp(5432)]);
    policy.addEgressRule(kplus.NetworkPolicyIpBlock.ipv4(this, 'partner', '203.0.113.0/24'),
      [kplus.NetworkPolicyPort.tcp(443)]);
  }
}

const app = new App();
new TypicalService(app, 'payments-api');
app.synth();
