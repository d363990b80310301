#!/usr/bin/env python3
"""Generates a corpus of Kubernetes manifests for benchmarking `kubeward check`.

Usage: scripts/gen-check-corpus.py OUT_DIR [SERVICES]   (default 1000 services)

Each service is one multi-document YAML file (OUT_DIR/<team>/<service>.yaml) of ten objects:
ServiceAccount, Role, RoleBinding, ConfigMap, Deployment (with an init container), Service,
PodDisruptionBudget, NetworkPolicy, Ingress and HorizontalPodAutoscaler, in one namespace per
team. Most are hardened; deliberate violations rotate through the services (privileged and
root containers, host namespaces and paths, missing resources and probes, latest tags,
secrets in env, wildcard roles, NodePort services, snippets, selectors that match nothing,
suppression annotations with and without reasons), so every rule family has work to do.
Deterministic: the same arguments give the same files.
"""
import os
import sys

DIGEST = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def service(i, team):
    name = f"svc-{i:05d}"
    ns = team
    v = lambda k: i % k == 0  # a deliberate violation on every k-th service
    tagged = f"registry.example.com/{team}/{name}:1.{i % 50}.0"
    if v(17):
        image = "nginx"
    elif v(13):
        image = f"registry.example.com/{team}/{name}:latest"
    elif v(3):
        image = tagged
    else:
        image = f"{tagged}@{DIGEST}"
    run_as_non_root = "false" if v(11) else "true"
    privileged = "true" if v(29) else "false"
    caps = "[NET_ADMIN]" if v(23) else "[]"
    resources = "" if v(7) else """
          resources:
            requests: {cpu: 100m, memory: 128Mi, ephemeral-storage: 64Mi}
            limits: {cpu: 500m, memory: 256Mi, ephemeral-storage: 256Mi}"""
    probes = "" if v(9) else f"""
          readinessProbe:
            httpGet: {{path: /readyz, port: http}}
          livenessProbe:
            httpGet: {{path: {'/readyz' if v(19) else '/livez'}, port: http}}"""
    env = """
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}""" if v(8) else ""
    host = "\n      hostNetwork: true" if v(31) else ""
    host_path = """
        - name: docker
          hostPath: {path: /var/run/docker.sock}""" if v(37) else ""
    annotations = ""
    if v(6):
        annotations = """
  annotations:
    checkov.io/skip1: "CKV_K8S_43=pinned by the registry's immutable tags"
    kubeward.dev/ignore: "KW-SEC-019=the digest makes the pull policy moot\""""
    elif v(41):
        annotations = """
  annotations:
    kubeward.dev/ignore: KW-SEC-018"""
    verbs = '["*"]' if v(43) else "[get, list, watch]"
    secrets_rule = "\n  - apiGroups: [\"\"]\n    resources: [secrets]\n    verbs: [get]" if v(47) else ""
    svc_type = "NodePort" if v(53) else "ClusterIP"
    selector_app = f"{name}-old" if v(59) else name
    snippet = '\n    nginx.ingress.kubernetes.io/server-snippet: "return 200;"' if v(61) else ""
    pdb = "maxUnavailable: 0" if v(67) else "maxUnavailable: 1\n  unhealthyPodEvictionPolicy: AlwaysAllow"
    return f"""---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
  namespace: {ns}
automountServiceAccountToken: false
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {name}
  namespace: {ns}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: {verbs}
    resourceNames: [{name}]{secrets_rule}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {name}
  namespace: {ns}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: {name}}}
subjects:
  - {{kind: ServiceAccount, name: {name}, namespace: {ns}}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  namespace: {ns}
data:
  settings.yaml: |
    level: info
    name: {name}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels: {{app.kubernetes.io/name: {name}, team: {team}}}{annotations}
spec:
  revisionHistoryLimit: 5
  selector:
    matchLabels: {{app.kubernetes.io/name: {name}}}
  template:
    metadata:
      labels: {{app.kubernetes.io/name: {name}, team: {team}}}
    spec:
      serviceAccountName: {name}
      automountServiceAccountToken: false{host}
      securityContext:
        runAsNonRoot: {run_as_non_root}
        runAsUser: 10001
        runAsGroup: 10001
        seccompProfile: {{type: RuntimeDefault}}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: {{app.kubernetes.io/name: {name}}}
      initContainers:
        - name: migrate
          image: {image}
          imagePullPolicy: Always
          args: [migrate]
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {{drop: [ALL]}}
          resources:
            requests: {{cpu: 50m, memory: 64Mi, ephemeral-storage: 16Mi}}
            limits: {{cpu: 100m, memory: 128Mi, ephemeral-storage: 64Mi}}
      containers:
        - name: app
          image: {image}
          imagePullPolicy: Always
          ports:
            - {{name: http, containerPort: 8080}}
          securityContext:
            allowPrivilegeEscalation: false
            privileged: {privileged}
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
              add: {caps}{resources}{probes}{env}
          volumeMounts:
            - {{name: tmp, mountPath: /tmp}}
            - {{name: config, mountPath: /etc/app, readOnly: true}}
      volumes:
        - name: tmp
          emptyDir: {{sizeLimit: 64Mi}}
        - name: config
          configMap: {{name: {name}}}{host_path}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  type: {svc_type}
  selector: {{app.kubernetes.io/name: {selector_app}}}
  ports:
    - {{name: http, port: 80, targetPort: http}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
  namespace: {ns}
spec:
  {pdb}
  selector:
    matchLabels: {{app.kubernetes.io/name: {name}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}
  namespace: {ns}
spec:
  podSelector:
    matchLabels: {{app.kubernetes.io/name: {name}}}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector: {{matchLabels: {{app.kubernetes.io/name: gateway}}}}
      ports: [{{protocol: TCP, port: 8080}}]
  egress:
    - to:
        - namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: kube-system}}}}
          podSelector: {{matchLabels: {{k8s-app: kube-dns}}}}
      ports: [{{protocol: UDP, port: 53}}, {{protocol: TCP, port: 53}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {ns}
  annotations:
    nginx.ingress.kubernetes.io/backend-protocol: HTTP{snippet}
spec:
  ingressClassName: nginx
  tls:
    - hosts: [{name}.example.com]
      secretName: {name}-tls
  rules:
    - host: {name}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {name}
                port: {{name: http}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
  namespace: {ns}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}
  minReplicas: {1 if v(71) else 2}
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 70}}}}
"""


def namespace(team):
    return f"""---
apiVersion: v1
kind: Namespace
metadata:
  name: {team}
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/audit-version: latest
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/warn-version: latest
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: {team}
spec:
  podSelector: {{}}
  policyTypes: [Ingress, Egress]
"""


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.split("\n\n")[1])
    out = sys.argv[1]
    services = int(sys.argv[2]) if len(sys.argv) == 3 else 1000
    teams = [f"team-{t:02d}" for t in range(max(1, services // 100))]
    for t, team in enumerate(teams):
        os.makedirs(os.path.join(out, team), exist_ok=True)
        # Every fifth team forgets its default deny and Pod Security labels.
        if t % 5 != 4:
            with open(os.path.join(out, team, "namespace.yaml"), "w") as f:
                f.write(namespace(team))
    for i in range(services):
        team = teams[i % len(teams)]
        with open(os.path.join(out, team, f"svc-{i:05d}.yaml"), "w") as f:
            f.write(service(i, team))


if __name__ == "__main__":
    main()
