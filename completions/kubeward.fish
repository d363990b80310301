# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubeward_global_optspecs
    string join \n color= q/quiet deny-warnings h/help V/version
end

function __fish_kubeward_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubeward_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubeward_using_subcommand
    set -l cmd (__fish_kubeward_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubeward -n "__fish_kubeward_needs_command" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_needs_command" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_needs_command" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_needs_command" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_needs_command" -s V -l version -d 'Print version'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "render" -d 'Render the hardened bundle for a service'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "explain" -d 'Explain every decision of the plan: the answer that caused it, the threat it counters, its references'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "graph" -d 'Draw the traffic the NetworkPolicies allow (of a service, or of manifests in PATH)'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "diff-presets" -d 'Show what changes for a service between two presets (decisions and objects)'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "init" -d 'Describe a service by answering questions (or by flags), write kubeward.yaml and render it'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "schema" -d 'Print the JSON Schema (draft-07) of kubeward.yaml or of a preset file, for editors'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "completions" -d 'Print the completion script for a shell'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "man" -d 'Print the man page (roff) of kubeward or of one of its commands'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "presets" -d 'List, show and validate presets'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "templates" -d 'Export the shipped templates, to override some of them'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "check" -d 'Audit Kubernetes manifests (any, not only kubeward\'s) against the hardening rules'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "cluster" -d 'Render the control plane\'s encryption, audit, admission and kubeadm configuration for a cluster spec (kind SecureCluster)'
complete -c kubeward -n "__fish_kubeward_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -s f -l file -d 'The service spec (kubeward.yaml); without it, the service is described by flags. Repeat it, or give a folder (every spec in it and its sub-folders: each kubeward.yaml, each .yaml of kind SecureService), to render a system: both ends of every connection checked, one trust, into OUTPUT/<namespace>/<name> with one kustomization, or one stream' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -s o -l output -d 'Write one file per object (and kustomization.yaml) into this folder instead of stdout' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l state -d 'The state folder for generated secrets and keys [default: .kubeward beside the spec; for a system, in the folder of its specs]' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l rotate -d 'Generate a new value for this generated secret (repeatable)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l presets-dir -d 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l require-preset -d 'Refuse a preset chain that does not include the preset NAME (shipped or from the presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder\'s kubeward-presets.yaml require one too, and every requirement holds' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l templates -d 'Replace shipped templates with the files of the same name in DIR (over the preset\'s)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l allow-template-override -d 'Accept an override template that drops this control, recorded on the object (repeatable)' -r -f -a "run-as-non-root\t''
high-ids\t''
no-privilege-escalation\t''
drop-all-capabilities\t''
read-only-root-filesystem\t''
not-privileged\t''
no-host-namespaces\t''
seccomp-profile\t''
volume-types\t''
no-token-automount\t''
no-secret-env\t''
pod-security-restricted\t''
default-deny\t''
cluster-ip\t''
ingress-tls\t''
least-privilege-role\t''
autoscaler-bounds\t''
route-on-https-listener\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l api-server-cidr -d 'The API server\'s endpoint addresses, for apiAccess egress, in place of the preset\'s apiServer.cidrs (repeatable; on the preset\'s apiServer.ports): those of `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`, never the Service address 10.96.0.1' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l name -d 'The app name (DNS-1123 label); metadata.name' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -s n -l namespace -d 'The namespace (not `default`); metadata.namespace' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l image -d 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l port -d 'Port the container listens on' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l protocol -d 'What the port speaks' -r -f -a "http\t''
https\t''
grpc\t''
tcp\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l replicas -d 'How many pods (1-1000), when the count is fixed' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l autoscaling -d 'Whether a HorizontalPodAutoscaler owns the replica count' -r -f -a "on\t''
off\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l min-replicas -d 'The fewest pods the autoscaler keeps (2 or more)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l max-replicas -d 'The most pods the autoscaler runs' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l target-cpu -d 'The average CPU use, in percent of the request, the autoscaler keeps the pods at' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l preset -d 'Preset name or path to a preset file' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l exposure -d 'How far the service is reachable' -r -f -a "namespace\t''
cluster\t''
public\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l sensitivity -d 'How sensitive its data is' -r -f -a "public\t''
internal\t''
confidential\t''
restricted\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l mesh -d 'The service mesh the cluster runs' -r -f -a "none\t''
istio\t''
linkerd\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l caller -d 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l caller-cidr -d 'Clients by address range allowed in, e.g. 198.51.100.0/24; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l egress -d 'A pod destination, NAMESPACE/APP:PORT; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l egress-cidr -d 'An address-range destination, CIDR:PORT; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l host -d 'Public host name (exposure public)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l ingress-api -d 'What carries the public entry: Gateway API routes or an Ingress (exposure public)' -r -f -a "gateway\t''
ingress\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l gateway -d 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l gateway-listener -d 'The Gateway\'s HTTPS listener the route attaches to (api gateway)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l ingress-class -d 'Ingress class (api ingress)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l rate-limit -d 'Requests a second per client address, and the burst: RATE[:BURST]' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l connection-limit -d 'Concurrent connections at the entry' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l max-body-size -d 'The largest request body, e.g. 1Mi' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l request-timeout -d 'The longest a request may take, e.g. 30s' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l backend-timeout -d 'The longest one try to the service may take, e.g. 10s' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l source-range -d 'Only clients from this address range reach the entry; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l ingress-issuer -d 'The cert-manager issuer of the public host\'s certificate, [KIND/]NAME (exposure public)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l api -d 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l secret -d 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l seal-cert -d 'Seal every Secret for the Sealed Secrets controller\'s public certificate (PEM)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l seal-scope -d 'Where a sealed value may be unsealed' -r -f -a "strict\t''
namespace-wide\t''
cluster-wide\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l tls -d 'TLS mode for the service\'s own port' -r -f -a "none\t''
self-signed\t''
ca\t''
cert-manager\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l tls-ca-cert -d 'The CA certificate PEM file (TLS mode ca)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l tls-ca-key -d 'The CA private key PEM file (TLS mode ca)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l tls-issuer -d 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l client-auth -d 'Mutual TLS: whether callers must present client certificates' -r -f -a "none\t''
required\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l probe-port -d 'A clear-text container port for the probes, for a server whose port speaks only TLS' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l keep-going -d 'In a system, render the services whose specs are good even when others fail (the exit status still reports the failures)'
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l force -d 'Write into an output folder that holds files kubeward did not write'
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l allow-unpinned-image -d 'Accept a tag-only image at sensitivity confidential or restricted (recorded on the Deployment)'
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l annotate -d 'Comment the fields that carry a decision with why (the objects stay the same)'
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l gitops -d 'The output goes to git: refuse (exit 2, nothing written) any secret value in base64 that git would commit, or that goes where git cannot tell (stdout, a folder outside any work tree); seal the Secrets or keep their values in a store'
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand render" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l rule -d 'Explain one rule: a check rule (e.g. KW-SEC-001), a rubric row (rubric-1 .. rubric-35, rubric-37) or a decision id (e.g. non-root); with a service, also where its plan applies it' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l threat -d 'Only the decisions that counter this threat (e.g. exposed-secrets, man-in-the-middle)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l format -d 'text for people, json for tools' -r -f -a "text\t''
json\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -s f -l file -d 'The service spec (kubeward.yaml), or a folder of specs: a system; without it, the service is described by flags' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l presets-dir -d 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l require-preset -d 'Refuse a preset chain that does not include the preset NAME (shipped or from the presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder\'s kubeward-presets.yaml require one too, and every requirement holds' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l templates -d 'Replace shipped templates with the files of the same name in DIR (over the preset\'s)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l allow-template-override -d 'Accept an override template that drops this control, recorded on the object (repeatable)' -r -f -a "run-as-non-root\t''
high-ids\t''
no-privilege-escalation\t''
drop-all-capabilities\t''
read-only-root-filesystem\t''
not-privileged\t''
no-host-namespaces\t''
seccomp-profile\t''
volume-types\t''
no-token-automount\t''
no-secret-env\t''
pod-security-restricted\t''
default-deny\t''
cluster-ip\t''
ingress-tls\t''
least-privilege-role\t''
autoscaler-bounds\t''
route-on-https-listener\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l api-server-cidr -d 'The API server\'s endpoint addresses, for apiAccess egress, in place of the preset\'s apiServer.cidrs (repeatable; on the preset\'s apiServer.ports): those of `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`, never the Service address 10.96.0.1' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l name -d 'The app name (DNS-1123 label); metadata.name' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -s n -l namespace -d 'The namespace (not `default`); metadata.namespace' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l image -d 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l port -d 'Port the container listens on' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l protocol -d 'What the port speaks' -r -f -a "http\t''
https\t''
grpc\t''
tcp\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l replicas -d 'How many pods (1-1000), when the count is fixed' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l autoscaling -d 'Whether a HorizontalPodAutoscaler owns the replica count' -r -f -a "on\t''
off\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l min-replicas -d 'The fewest pods the autoscaler keeps (2 or more)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l max-replicas -d 'The most pods the autoscaler runs' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l target-cpu -d 'The average CPU use, in percent of the request, the autoscaler keeps the pods at' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l preset -d 'Preset name or path to a preset file' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l exposure -d 'How far the service is reachable' -r -f -a "namespace\t''
cluster\t''
public\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l sensitivity -d 'How sensitive its data is' -r -f -a "public\t''
internal\t''
confidential\t''
restricted\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l mesh -d 'The service mesh the cluster runs' -r -f -a "none\t''
istio\t''
linkerd\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l caller -d 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l caller-cidr -d 'Clients by address range allowed in, e.g. 198.51.100.0/24; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l egress -d 'A pod destination, NAMESPACE/APP:PORT; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l egress-cidr -d 'An address-range destination, CIDR:PORT; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l host -d 'Public host name (exposure public)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l ingress-api -d 'What carries the public entry: Gateway API routes or an Ingress (exposure public)' -r -f -a "gateway\t''
ingress\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l gateway -d 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l gateway-listener -d 'The Gateway\'s HTTPS listener the route attaches to (api gateway)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l ingress-class -d 'Ingress class (api ingress)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l rate-limit -d 'Requests a second per client address, and the burst: RATE[:BURST]' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l connection-limit -d 'Concurrent connections at the entry' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l max-body-size -d 'The largest request body, e.g. 1Mi' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l request-timeout -d 'The longest a request may take, e.g. 30s' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l backend-timeout -d 'The longest one try to the service may take, e.g. 10s' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l source-range -d 'Only clients from this address range reach the entry; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l ingress-issuer -d 'The cert-manager issuer of the public host\'s certificate, [KIND/]NAME (exposure public)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l api -d 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l secret -d 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l seal-cert -d 'Seal every Secret for the Sealed Secrets controller\'s public certificate (PEM)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l seal-scope -d 'Where a sealed value may be unsealed' -r -f -a "strict\t''
namespace-wide\t''
cluster-wide\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l tls -d 'TLS mode for the service\'s own port' -r -f -a "none\t''
self-signed\t''
ca\t''
cert-manager\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l tls-ca-cert -d 'The CA certificate PEM file (TLS mode ca)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l tls-ca-key -d 'The CA private key PEM file (TLS mode ca)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l tls-issuer -d 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l client-auth -d 'Mutual TLS: whether callers must present client certificates' -r -f -a "none\t''
required\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l probe-port -d 'A clear-text container port for the probes, for a server whose port speaks only TLS' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l allow-unpinned-image -d 'Accept a tag-only image at sensitivity confidential or restricted'
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand explain" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l format -d 'mermaid (a flowchart) or dot (Graphviz)' -r -f -a "mermaid\t''
dot\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -s f -l file -d 'The service spec (kubeward.yaml), or a folder of specs: a system; without it, the service is described by flags' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l presets-dir -d 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l require-preset -d 'Refuse a preset chain that does not include the preset NAME (shipped or from the presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder\'s kubeward-presets.yaml require one too, and every requirement holds' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l templates -d 'Replace shipped templates with the files of the same name in DIR (over the preset\'s)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l allow-template-override -d 'Accept an override template that drops this control, recorded on the object (repeatable)' -r -f -a "run-as-non-root\t''
high-ids\t''
no-privilege-escalation\t''
drop-all-capabilities\t''
read-only-root-filesystem\t''
not-privileged\t''
no-host-namespaces\t''
seccomp-profile\t''
volume-types\t''
no-token-automount\t''
no-secret-env\t''
pod-security-restricted\t''
default-deny\t''
cluster-ip\t''
ingress-tls\t''
least-privilege-role\t''
autoscaler-bounds\t''
route-on-https-listener\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l api-server-cidr -d 'The API server\'s endpoint addresses, for apiAccess egress, in place of the preset\'s apiServer.cidrs (repeatable; on the preset\'s apiServer.ports): those of `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`, never the Service address 10.96.0.1' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l name -d 'The app name (DNS-1123 label); metadata.name' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -s n -l namespace -d 'The namespace (not `default`); metadata.namespace' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l image -d 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l port -d 'Port the container listens on' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l protocol -d 'What the port speaks' -r -f -a "http\t''
https\t''
grpc\t''
tcp\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l replicas -d 'How many pods (1-1000), when the count is fixed' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l autoscaling -d 'Whether a HorizontalPodAutoscaler owns the replica count' -r -f -a "on\t''
off\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l min-replicas -d 'The fewest pods the autoscaler keeps (2 or more)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l max-replicas -d 'The most pods the autoscaler runs' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l target-cpu -d 'The average CPU use, in percent of the request, the autoscaler keeps the pods at' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l preset -d 'Preset name or path to a preset file' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l exposure -d 'How far the service is reachable' -r -f -a "namespace\t''
cluster\t''
public\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l sensitivity -d 'How sensitive its data is' -r -f -a "public\t''
internal\t''
confidential\t''
restricted\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l mesh -d 'The service mesh the cluster runs' -r -f -a "none\t''
istio\t''
linkerd\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l caller -d 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l caller-cidr -d 'Clients by address range allowed in, e.g. 198.51.100.0/24; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l egress -d 'A pod destination, NAMESPACE/APP:PORT; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l egress-cidr -d 'An address-range destination, CIDR:PORT; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l host -d 'Public host name (exposure public)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l ingress-api -d 'What carries the public entry: Gateway API routes or an Ingress (exposure public)' -r -f -a "gateway\t''
ingress\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l gateway -d 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l gateway-listener -d 'The Gateway\'s HTTPS listener the route attaches to (api gateway)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l ingress-class -d 'Ingress class (api ingress)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l rate-limit -d 'Requests a second per client address, and the burst: RATE[:BURST]' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l connection-limit -d 'Concurrent connections at the entry' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l max-body-size -d 'The largest request body, e.g. 1Mi' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l request-timeout -d 'The longest a request may take, e.g. 30s' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l backend-timeout -d 'The longest one try to the service may take, e.g. 10s' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l source-range -d 'Only clients from this address range reach the entry; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l ingress-issuer -d 'The cert-manager issuer of the public host\'s certificate, [KIND/]NAME (exposure public)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l api -d 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l secret -d 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l seal-cert -d 'Seal every Secret for the Sealed Secrets controller\'s public certificate (PEM)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l seal-scope -d 'Where a sealed value may be unsealed' -r -f -a "strict\t''
namespace-wide\t''
cluster-wide\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l tls -d 'TLS mode for the service\'s own port' -r -f -a "none\t''
self-signed\t''
ca\t''
cert-manager\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l tls-ca-cert -d 'The CA certificate PEM file (TLS mode ca)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l tls-ca-key -d 'The CA private key PEM file (TLS mode ca)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l tls-issuer -d 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l client-auth -d 'Mutual TLS: whether callers must present client certificates' -r -f -a "none\t''
required\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l probe-port -d 'A clear-text container port for the probes, for a server whose port speaks only TLS' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l allow-unpinned-image -d 'Accept a tag-only image at sensitivity confidential or restricted'
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand graph" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l format -d 'text for people, json for tools' -r -f -a "text\t''
json\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -s f -l file -d 'The service spec (kubeward.yaml), or a folder of specs: a system; without it, the service is described by flags' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l presets-dir -d 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l require-preset -d 'Refuse a preset chain that does not include the preset NAME (shipped or from the presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder\'s kubeward-presets.yaml require one too, and every requirement holds' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l templates -d 'Replace shipped templates with the files of the same name in DIR (over the preset\'s)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l allow-template-override -d 'Accept an override template that drops this control, recorded on the object (repeatable)' -r -f -a "run-as-non-root\t''
high-ids\t''
no-privilege-escalation\t''
drop-all-capabilities\t''
read-only-root-filesystem\t''
not-privileged\t''
no-host-namespaces\t''
seccomp-profile\t''
volume-types\t''
no-token-automount\t''
no-secret-env\t''
pod-security-restricted\t''
default-deny\t''
cluster-ip\t''
ingress-tls\t''
least-privilege-role\t''
autoscaler-bounds\t''
route-on-https-listener\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l api-server-cidr -d 'The API server\'s endpoint addresses, for apiAccess egress, in place of the preset\'s apiServer.cidrs (repeatable; on the preset\'s apiServer.ports): those of `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`, never the Service address 10.96.0.1' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l name -d 'The app name (DNS-1123 label); metadata.name' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -s n -l namespace -d 'The namespace (not `default`); metadata.namespace' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l image -d 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l port -d 'Port the container listens on' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l protocol -d 'What the port speaks' -r -f -a "http\t''
https\t''
grpc\t''
tcp\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l replicas -d 'How many pods (1-1000), when the count is fixed' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l autoscaling -d 'Whether a HorizontalPodAutoscaler owns the replica count' -r -f -a "on\t''
off\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l min-replicas -d 'The fewest pods the autoscaler keeps (2 or more)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l max-replicas -d 'The most pods the autoscaler runs' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l target-cpu -d 'The average CPU use, in percent of the request, the autoscaler keeps the pods at' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l preset -d 'Preset name or path to a preset file' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l exposure -d 'How far the service is reachable' -r -f -a "namespace\t''
cluster\t''
public\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l sensitivity -d 'How sensitive its data is' -r -f -a "public\t''
internal\t''
confidential\t''
restricted\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l mesh -d 'The service mesh the cluster runs' -r -f -a "none\t''
istio\t''
linkerd\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l caller -d 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l caller-cidr -d 'Clients by address range allowed in, e.g. 198.51.100.0/24; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l egress -d 'A pod destination, NAMESPACE/APP:PORT; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l egress-cidr -d 'An address-range destination, CIDR:PORT; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l host -d 'Public host name (exposure public)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l ingress-api -d 'What carries the public entry: Gateway API routes or an Ingress (exposure public)' -r -f -a "gateway\t''
ingress\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l gateway -d 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l gateway-listener -d 'The Gateway\'s HTTPS listener the route attaches to (api gateway)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l ingress-class -d 'Ingress class (api ingress)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l rate-limit -d 'Requests a second per client address, and the burst: RATE[:BURST]' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l connection-limit -d 'Concurrent connections at the entry' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l max-body-size -d 'The largest request body, e.g. 1Mi' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l request-timeout -d 'The longest a request may take, e.g. 30s' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l backend-timeout -d 'The longest one try to the service may take, e.g. 10s' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l source-range -d 'Only clients from this address range reach the entry; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l ingress-issuer -d 'The cert-manager issuer of the public host\'s certificate, [KIND/]NAME (exposure public)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l api -d 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l secret -d 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l seal-cert -d 'Seal every Secret for the Sealed Secrets controller\'s public certificate (PEM)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l seal-scope -d 'Where a sealed value may be unsealed' -r -f -a "strict\t''
namespace-wide\t''
cluster-wide\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l tls -d 'TLS mode for the service\'s own port' -r -f -a "none\t''
self-signed\t''
ca\t''
cert-manager\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l tls-ca-cert -d 'The CA certificate PEM file (TLS mode ca)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l tls-ca-key -d 'The CA private key PEM file (TLS mode ca)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l tls-issuer -d 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l client-auth -d 'Mutual TLS: whether callers must present client certificates' -r -f -a "none\t''
required\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l probe-port -d 'A clear-text container port for the probes, for a server whose port speaks only TLS' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l allow-unpinned-image -d 'Accept a tag-only image at sensitivity confidential or restricted'
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand diff-presets" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -s f -l file -d 'Where to write the spec' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -s o -l output -d 'The folder to render the bundle into' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l api-server-cidr -d 'The API server\'s endpoint addresses, for apiAccess egress, in place of the preset\'s apiServer.cidrs (repeatable); asked when the spec has apiAccess and the preset names none' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l presets-dir -d 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l require-preset -d 'Refuse a preset chain that does not include the preset NAME (shipped or from the presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder\'s kubeward-presets.yaml require one too, and every requirement holds' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l name -d 'The app name (DNS-1123 label); metadata.name' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -s n -l namespace -d 'The namespace (not `default`); metadata.namespace' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l image -d 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l port -d 'Port the container listens on' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l protocol -d 'What the port speaks' -r -f -a "http\t''
https\t''
grpc\t''
tcp\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l replicas -d 'How many pods (1-1000), when the count is fixed' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l autoscaling -d 'Whether a HorizontalPodAutoscaler owns the replica count' -r -f -a "on\t''
off\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l min-replicas -d 'The fewest pods the autoscaler keeps (2 or more)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l max-replicas -d 'The most pods the autoscaler runs' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l target-cpu -d 'The average CPU use, in percent of the request, the autoscaler keeps the pods at' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l preset -d 'Preset name or path to a preset file' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l exposure -d 'How far the service is reachable' -r -f -a "namespace\t''
cluster\t''
public\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l sensitivity -d 'How sensitive its data is' -r -f -a "public\t''
internal\t''
confidential\t''
restricted\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l mesh -d 'The service mesh the cluster runs' -r -f -a "none\t''
istio\t''
linkerd\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l caller -d 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l caller-cidr -d 'Clients by address range allowed in, e.g. 198.51.100.0/24; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l egress -d 'A pod destination, NAMESPACE/APP:PORT; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l egress-cidr -d 'An address-range destination, CIDR:PORT; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l host -d 'Public host name (exposure public)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l ingress-api -d 'What carries the public entry: Gateway API routes or an Ingress (exposure public)' -r -f -a "gateway\t''
ingress\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l gateway -d 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l gateway-listener -d 'The Gateway\'s HTTPS listener the route attaches to (api gateway)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l ingress-class -d 'Ingress class (api ingress)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l rate-limit -d 'Requests a second per client address, and the burst: RATE[:BURST]' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l connection-limit -d 'Concurrent connections at the entry' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l max-body-size -d 'The largest request body, e.g. 1Mi' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l request-timeout -d 'The longest a request may take, e.g. 30s' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l backend-timeout -d 'The longest one try to the service may take, e.g. 10s' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l source-range -d 'Only clients from this address range reach the entry; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l ingress-issuer -d 'The cert-manager issuer of the public host\'s certificate, [KIND/]NAME (exposure public)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l api -d 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l secret -d 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l seal-cert -d 'Seal every Secret for the Sealed Secrets controller\'s public certificate (PEM)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l seal-scope -d 'Where a sealed value may be unsealed' -r -f -a "strict\t''
namespace-wide\t''
cluster-wide\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l tls -d 'TLS mode for the service\'s own port' -r -f -a "none\t''
self-signed\t''
ca\t''
cert-manager\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l tls-ca-cert -d 'The CA certificate PEM file (TLS mode ca)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l tls-ca-key -d 'The CA private key PEM file (TLS mode ca)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l tls-issuer -d 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l client-auth -d 'Mutual TLS: whether callers must present client certificates' -r -f -a "none\t''
required\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l probe-port -d 'A clear-text container port for the probes, for a server whose port speaks only TLS' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l spec-only -d 'Write only the spec; render it later with `kubeward render -f SPEC -o DIR`'
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l force -d 'Replace an existing spec, and write into an output folder that holds files kubeward did not write'
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -s y -l yes -d 'Never ask: answers come from the flags and the preset\'s defaults'
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l allow-unpinned-image -d 'Accept a tag-only image at sensitivity confidential or restricted (recorded on the Deployment)'
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand init" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand schema" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand schema" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand schema" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeward -n "__fish_kubeward_using_subcommand completions" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand completions" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand completions" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand completions" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand man" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand man" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand man" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand man" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and not __fish_seen_subcommand_from list show validate help" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and not __fish_seen_subcommand_from list show validate help" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and not __fish_seen_subcommand_from list show validate help" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and not __fish_seen_subcommand_from list show validate help" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and not __fish_seen_subcommand_from list show validate help" -f -a "list" -d 'List the shipped presets and those of the presets folder'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and not __fish_seen_subcommand_from list show validate help" -f -a "show" -d 'Print a preset as written, or resolved with the preset that set each value'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and not __fish_seen_subcommand_from list show validate help" -f -a "validate" -d 'Check preset files (their whole chain, floors and templates); exits 2 if any is invalid'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and not __fish_seen_subcommand_from list show validate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from list" -l presets-dir -d 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from list" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from list" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from show" -l presets-dir -d 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from show" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from show" -l resolved -d 'Print the settings and floors after merging the whole chain'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from show" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from validate" -l presets-dir -d 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from validate" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from validate" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the shipped presets and those of the presets folder'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a preset as written, or resolved with the preset that set each value'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check preset files (their whole chain, floors and templates); exits 2 if any is invalid'
complete -c kubeward -n "__fish_kubeward_using_subcommand presets; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and not __fish_seen_subcommand_from export help" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and not __fish_seen_subcommand_from export help" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and not __fish_seen_subcommand_from export help" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and not __fish_seen_subcommand_from export help" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and not __fish_seen_subcommand_from export help" -f -a "export" -d 'Write the shipped templates into DIR, as a starting point for overrides'
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and not __fish_seen_subcommand_from export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and __fish_seen_subcommand_from export" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and __fish_seen_subcommand_from export" -l force -d 'Replace files that already exist in DIR'
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and __fish_seen_subcommand_from export" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write the shipped templates into DIR, as a starting point for overrides'
complete -c kubeward -n "__fish_kubeward_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l format -d 'The output form' -r -f -a "text\t''
json\t''
sarif\t'SARIF 2.1.0, for GitHub code scanning'
markdown\t'Markdown (with --list-rules only: the book\'s rule catalogue)'"
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l fail-on -d 'Exit 1 when a finding at or above this severity is not suppressed' -r -f -a "info\t''
warning\t''
error\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l preset -d 'Apply the floors of this preset (a name, or a preset file) to the manifests; repeatable. Without it, the floors of a required preset apply' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l presets-dir -d 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l require-preset -d 'Refuse a preset chain that does not include the preset NAME (shipped or from the presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder\'s kubeward-presets.yaml require one too, and every requirement holds' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l suppressions -d 'A suppressions file kept beside the CI configuration: rule, object, reason, expiry date' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l config -d 'A check configuration file (inlineSuppressions, suppressions, presets), which adds to the flags' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l stdin-name -d 'The name standard input is reported as; with `helm template` output, the chart\'s folder, which replaces the chart name of each `# Source:` path' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l kubernetes-version -d 'The cluster\'s Kubernetes version (MAJOR.MINOR.PATCH): a finding when its minor is out of upstream support, by the release table built into kubeward (dated in --version)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l expiry-days -d 'Report TLS Secrets whose certificate expires within this many days (or has expired)' -r
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l list-rules -d 'Print the rule catalogue instead of checking (text, json or markdown)'
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l no-inline-suppressions -d 'Ignore the suppression annotations in the checked manifests (kubeward\'s and the scanners\'): only --suppressions counts'
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeward -n "__fish_kubeward_using_subcommand cluster" -s f -l file -d 'The cluster spec (cluster.yaml, kind SecureCluster)' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand cluster" -s o -l output -d 'The folder to write the files into: the API server\'s encryption, audit and admission configuration, kubeadm\'s configuration, and a README saying where each goes' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand cluster" -l state -d 'The state folder that keeps the secretbox keys [default: .kubeward beside the spec]' -r -F
complete -c kubeward -n "__fish_kubeward_using_subcommand cluster" -l rotate -d 'Move a rotation one step on: `encryption-key` rotates the secretbox key in the six steps the Kubernetes documentation orders, one per run' -r -f -a "encryption-key\t'The secretbox key that encrypts Secrets at rest'"
complete -c kubeward -n "__fish_kubeward_using_subcommand cluster" -l color -d 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubeward -n "__fish_kubeward_using_subcommand cluster" -l force -d 'Write into a folder that holds files kubeward did not write'
complete -c kubeward -n "__fish_kubeward_using_subcommand cluster" -s q -l quiet -d 'Print nothing on stderr but errors and warnings'
complete -c kubeward -n "__fish_kubeward_using_subcommand cluster" -l deny-warnings -d 'Make every warning an error (exit 2, nothing written), for CI'
complete -c kubeward -n "__fish_kubeward_using_subcommand cluster" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "render" -d 'Render the hardened bundle for a service'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "explain" -d 'Explain every decision of the plan: the answer that caused it, the threat it counters, its references'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "graph" -d 'Draw the traffic the NetworkPolicies allow (of a service, or of manifests in PATH)'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "diff-presets" -d 'Show what changes for a service between two presets (decisions and objects)'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "init" -d 'Describe a service by answering questions (or by flags), write kubeward.yaml and render it'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "schema" -d 'Print the JSON Schema (draft-07) of kubeward.yaml or of a preset file, for editors'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "completions" -d 'Print the completion script for a shell'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "man" -d 'Print the man page (roff) of kubeward or of one of its commands'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "presets" -d 'List, show and validate presets'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "templates" -d 'Export the shipped templates, to override some of them'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "check" -d 'Audit Kubernetes manifests (any, not only kubeward\'s) against the hardening rules'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "cluster" -d 'Render the control plane\'s encryption, audit, admission and kubeadm configuration for a cluster spec (kind SecureCluster)'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and not __fish_seen_subcommand_from render explain graph diff-presets init schema completions man presets templates check cluster help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and __fish_seen_subcommand_from presets" -f -a "list" -d 'List the shipped presets and those of the presets folder'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and __fish_seen_subcommand_from presets" -f -a "show" -d 'Print a preset as written, or resolved with the preset that set each value'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and __fish_seen_subcommand_from presets" -f -a "validate" -d 'Check preset files (their whole chain, floors and templates); exits 2 if any is invalid'
complete -c kubeward -n "__fish_kubeward_using_subcommand help; and __fish_seen_subcommand_from templates" -f -a "export" -d 'Write the shipped templates into DIR, as a starting point for overrides'
