
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubeward' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubeward'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubeward' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render the hardened bundle for a service')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain every decision of the plan: the answer that caused it, the threat it counters, its references')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'Draw the traffic the NetworkPolicies allow (of a service, or of manifests in PATH)')
            [CompletionResult]::new('diff-presets', 'diff-presets', [CompletionResultType]::ParameterValue, 'Show what changes for a service between two presets (decisions and objects)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Describe a service by answering questions (or by flags), write kubeward.yaml and render it')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema (draft-07) of kubeward.yaml or of a preset file, for editors')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) of kubeward or of one of its commands')
            [CompletionResult]::new('presets', 'presets', [CompletionResultType]::ParameterValue, 'List, show and validate presets')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'Export the shipped templates, to override some of them')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Audit Kubernetes manifests (any, not only kubeward''s) against the hardening rules')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Render the control plane''s encryption, audit, admission and kubeadm configuration for a cluster spec (kind SecureCluster)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubeward;render' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The service spec (kubeward.yaml); without it, the service is described by flags. Repeat it, or give a folder (every spec in it and its sub-folders: each kubeward.yaml, each .yaml of kind SecureService), to render a system: both ends of every connection checked, one trust, into OUTPUT/<namespace>/<name> with one kustomization, or one stream')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The service spec (kubeward.yaml); without it, the service is described by flags. Repeat it, or give a folder (every spec in it and its sub-folders: each kubeward.yaml, each .yaml of kind SecureService), to render a system: both ends of every connection checked, one trust, into OUTPUT/<namespace>/<name> with one kustomization, or one stream')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write one file per object (and kustomization.yaml) into this folder instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write one file per object (and kustomization.yaml) into this folder instead of stdout')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'The state folder for generated secrets and keys [default: .kubeward beside the spec; for a system, in the folder of its specs]')
            [CompletionResult]::new('--rotate', '--rotate', [CompletionResultType]::ParameterName, 'Generate a new value for this generated secret (repeatable)')
            [CompletionResult]::new('--presets-dir', '--presets-dir', [CompletionResultType]::ParameterName, 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)')
            [CompletionResult]::new('--require-preset', '--require-preset', [CompletionResultType]::ParameterName, 'Refuse a preset chain that does not include the preset NAME (shipped or from the presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder''s kubeward-presets.yaml require one too, and every requirement holds')
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'Replace shipped templates with the files of the same name in DIR (over the preset''s)')
            [CompletionResult]::new('--allow-template-override', '--allow-template-override', [CompletionResultType]::ParameterName, 'Accept an override template that drops this control, recorded on the object (repeatable)')
            [CompletionResult]::new('--api-server-cidr', '--api-server-cidr', [CompletionResultType]::ParameterName, 'The API server''s endpoint addresses, for apiAccess egress, in place of the preset''s apiServer.cidrs (repeatable; on the preset''s apiServer.ports): those of `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`, never the Service address 10.96.0.1')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The app name (DNS-1123 label); metadata.name')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace (not `default`); metadata.namespace')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace (not `default`); metadata.namespace')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port the container listens on')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'What the port speaks')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'How many pods (1-1000), when the count is fixed')
            [CompletionResult]::new('--autoscaling', '--autoscaling', [CompletionResultType]::ParameterName, 'Whether a HorizontalPodAutoscaler owns the replica count')
            [CompletionResult]::new('--min-replicas', '--min-replicas', [CompletionResultType]::ParameterName, 'The fewest pods the autoscaler keeps (2 or more)')
            [CompletionResult]::new('--max-replicas', '--max-replicas', [CompletionResultType]::ParameterName, 'The most pods the autoscaler runs')
            [CompletionResult]::new('--target-cpu', '--target-cpu', [CompletionResultType]::ParameterName, 'The average CPU use, in percent of the request, the autoscaler keeps the pods at')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Preset name or path to a preset file')
            [CompletionResult]::new('--exposure', '--exposure', [CompletionResultType]::ParameterName, 'How far the service is reachable')
            [CompletionResult]::new('--sensitivity', '--sensitivity', [CompletionResultType]::ParameterName, 'How sensitive its data is')
            [CompletionResult]::new('--mesh', '--mesh', [CompletionResultType]::ParameterName, 'The service mesh the cluster runs')
            [CompletionResult]::new('--caller', '--caller', [CompletionResultType]::ParameterName, 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable')
            [CompletionResult]::new('--caller-cidr', '--caller-cidr', [CompletionResultType]::ParameterName, 'Clients by address range allowed in, e.g. 198.51.100.0/24; repeatable')
            [CompletionResult]::new('--egress', '--egress', [CompletionResultType]::ParameterName, 'A pod destination, NAMESPACE/APP:PORT; repeatable')
            [CompletionResult]::new('--egress-cidr', '--egress-cidr', [CompletionResultType]::ParameterName, 'An address-range destination, CIDR:PORT; repeatable')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Public host name (exposure public)')
            [CompletionResult]::new('--ingress-api', '--ingress-api', [CompletionResultType]::ParameterName, 'What carries the public entry: Gateway API routes or an Ingress (exposure public)')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)')
            [CompletionResult]::new('--gateway-listener', '--gateway-listener', [CompletionResultType]::ParameterName, 'The Gateway''s HTTPS listener the route attaches to (api gateway)')
            [CompletionResult]::new('--ingress-class', '--ingress-class', [CompletionResultType]::ParameterName, 'Ingress class (api ingress)')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Requests a second per client address, and the burst: RATE[:BURST]')
            [CompletionResult]::new('--connection-limit', '--connection-limit', [CompletionResultType]::ParameterName, 'Concurrent connections at the entry')
            [CompletionResult]::new('--max-body-size', '--max-body-size', [CompletionResultType]::ParameterName, 'The largest request body, e.g. 1Mi')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'The longest a request may take, e.g. 30s')
            [CompletionResult]::new('--backend-timeout', '--backend-timeout', [CompletionResultType]::ParameterName, 'The longest one try to the service may take, e.g. 10s')
            [CompletionResult]::new('--source-range', '--source-range', [CompletionResultType]::ParameterName, 'Only clients from this address range reach the entry; repeatable')
            [CompletionResult]::new('--ingress-issuer', '--ingress-issuer', [CompletionResultType]::ParameterName, 'The cert-manager issuer of the public host''s certificate, [KIND/]NAME (exposure public)')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable')
            [CompletionResult]::new('--seal-cert', '--seal-cert', [CompletionResultType]::ParameterName, 'Seal every Secret for the Sealed Secrets controller''s public certificate (PEM)')
            [CompletionResult]::new('--seal-scope', '--seal-scope', [CompletionResultType]::ParameterName, 'Where a sealed value may be unsealed')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'TLS mode for the service''s own port')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'The CA certificate PEM file (TLS mode ca)')
            [CompletionResult]::new('--tls-ca-key', '--tls-ca-key', [CompletionResultType]::ParameterName, 'The CA private key PEM file (TLS mode ca)')
            [CompletionResult]::new('--tls-issuer', '--tls-issuer', [CompletionResultType]::ParameterName, 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)')
            [CompletionResult]::new('--client-auth', '--client-auth', [CompletionResultType]::ParameterName, 'Mutual TLS: whether callers must present client certificates')
            [CompletionResult]::new('--probe-port', '--probe-port', [CompletionResultType]::ParameterName, 'A clear-text container port for the probes, for a server whose port speaks only TLS')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('--keep-going', '--keep-going', [CompletionResultType]::ParameterName, 'In a system, render the services whose specs are good even when others fail (the exit status still reports the failures)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write into an output folder that holds files kubeward did not write')
            [CompletionResult]::new('--allow-unpinned-image', '--allow-unpinned-image', [CompletionResultType]::ParameterName, 'Accept a tag-only image at sensitivity confidential or restricted (recorded on the Deployment)')
            [CompletionResult]::new('--annotate', '--annotate', [CompletionResultType]::ParameterName, 'Comment the fields that carry a decision with why (the objects stay the same)')
            [CompletionResult]::new('--gitops', '--gitops', [CompletionResultType]::ParameterName, 'The output goes to git: refuse (exit 2, nothing written) any secret value in base64 that git would commit, or that goes where git cannot tell (stdout, a folder outside any work tree); seal the Secrets or keep their values in a store')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubeward;explain' {
            [CompletionResult]::new('--rule', '--rule', [CompletionResultType]::ParameterName, 'Explain one rule: a check rule (e.g. KW-SEC-001), a rubric row (rubric-1 .. rubric-35, rubric-37) or a decision id (e.g. non-root); with a service, also where its plan applies it')
            [CompletionResult]::new('--threat', '--threat', [CompletionResultType]::ParameterName, 'Only the decisions that counter this threat (e.g. exposed-secrets, man-in-the-middle)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'text for people, json for tools')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The service spec (kubeward.yaml), or a folder of specs: a system; without it, the service is described by flags')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The service spec (kubeward.yaml), or a folder of specs: a system; without it, the service is described by flags')
            [CompletionResult]::new('--presets-dir', '--presets-dir', [CompletionResultType]::ParameterName, 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)')
            [CompletionResult]::new('--require-preset', '--require-preset', [CompletionResultType]::ParameterName, 'Refuse a preset chain that does not include the preset NAME (shipped or from the presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder''s kubeward-presets.yaml require one too, and every requirement holds')
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'Replace shipped templates with the files of the same name in DIR (over the preset''s)')
            [CompletionResult]::new('--allow-template-override', '--allow-template-override', [CompletionResultType]::ParameterName, 'Accept an override template that drops this control, recorded on the object (repeatable)')
            [CompletionResult]::new('--api-server-cidr', '--api-server-cidr', [CompletionResultType]::ParameterName, 'The API server''s endpoint addresses, for apiAccess egress, in place of the preset''s apiServer.cidrs (repeatable; on the preset''s apiServer.ports): those of `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`, never the Service address 10.96.0.1')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The app name (DNS-1123 label); metadata.name')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace (not `default`); metadata.namespace')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace (not `default`); metadata.namespace')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port the container listens on')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'What the port speaks')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'How many pods (1-1000), when the count is fixed')
            [CompletionResult]::new('--autoscaling', '--autoscaling', [CompletionResultType]::ParameterName, 'Whether a HorizontalPodAutoscaler owns the replica count')
            [CompletionResult]::new('--min-replicas', '--min-replicas', [CompletionResultType]::ParameterName, 'The fewest pods the autoscaler keeps (2 or more)')
            [CompletionResult]::new('--max-replicas', '--max-replicas', [CompletionResultType]::ParameterName, 'The most pods the autoscaler runs')
            [CompletionResult]::new('--target-cpu', '--target-cpu', [CompletionResultType]::ParameterName, 'The average CPU use, in percent of the request, the autoscaler keeps the pods at')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Preset name or path to a preset file')
            [CompletionResult]::new('--exposure', '--exposure', [CompletionResultType]::ParameterName, 'How far the service is reachable')
            [CompletionResult]::new('--sensitivity', '--sensitivity', [CompletionResultType]::ParameterName, 'How sensitive its data is')
            [CompletionResult]::new('--mesh', '--mesh', [CompletionResultType]::ParameterName, 'The service mesh the cluster runs')
            [CompletionResult]::new('--caller', '--caller', [CompletionResultType]::ParameterName, 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable')
            [CompletionResult]::new('--caller-cidr', '--caller-cidr', [CompletionResultType]::ParameterName, 'Clients by address range allowed in, e.g. 198.51.100.0/24; repeatable')
            [CompletionResult]::new('--egress', '--egress', [CompletionResultType]::ParameterName, 'A pod destination, NAMESPACE/APP:PORT; repeatable')
            [CompletionResult]::new('--egress-cidr', '--egress-cidr', [CompletionResultType]::ParameterName, 'An address-range destination, CIDR:PORT; repeatable')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Public host name (exposure public)')
            [CompletionResult]::new('--ingress-api', '--ingress-api', [CompletionResultType]::ParameterName, 'What carries the public entry: Gateway API routes or an Ingress (exposure public)')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)')
            [CompletionResult]::new('--gateway-listener', '--gateway-listener', [CompletionResultType]::ParameterName, 'The Gateway''s HTTPS listener the route attaches to (api gateway)')
            [CompletionResult]::new('--ingress-class', '--ingress-class', [CompletionResultType]::ParameterName, 'Ingress class (api ingress)')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Requests a second per client address, and the burst: RATE[:BURST]')
            [CompletionResult]::new('--connection-limit', '--connection-limit', [CompletionResultType]::ParameterName, 'Concurrent connections at the entry')
            [CompletionResult]::new('--max-body-size', '--max-body-size', [CompletionResultType]::ParameterName, 'The largest request body, e.g. 1Mi')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'The longest a request may take, e.g. 30s')
            [CompletionResult]::new('--backend-timeout', '--backend-timeout', [CompletionResultType]::ParameterName, 'The longest one try to the service may take, e.g. 10s')
            [CompletionResult]::new('--source-range', '--source-range', [CompletionResultType]::ParameterName, 'Only clients from this address range reach the entry; repeatable')
            [CompletionResult]::new('--ingress-issuer', '--ingress-issuer', [CompletionResultType]::ParameterName, 'The cert-manager issuer of the public host''s certificate, [KIND/]NAME (exposure public)')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable')
            [CompletionResult]::new('--seal-cert', '--seal-cert', [CompletionResultType]::ParameterName, 'Seal every Secret for the Sealed Secrets controller''s public certificate (PEM)')
            [CompletionResult]::new('--seal-scope', '--seal-scope', [CompletionResultType]::ParameterName, 'Where a sealed value may be unsealed')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'TLS mode for the service''s own port')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'The CA certificate PEM file (TLS mode ca)')
            [CompletionResult]::new('--tls-ca-key', '--tls-ca-key', [CompletionResultType]::ParameterName, 'The CA private key PEM file (TLS mode ca)')
            [CompletionResult]::new('--tls-issuer', '--tls-issuer', [CompletionResultType]::ParameterName, 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)')
            [CompletionResult]::new('--client-auth', '--client-auth', [CompletionResultType]::ParameterName, 'Mutual TLS: whether callers must present client certificates')
            [CompletionResult]::new('--probe-port', '--probe-port', [CompletionResultType]::ParameterName, 'A clear-text container port for the probes, for a server whose port speaks only TLS')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('--allow-unpinned-image', '--allow-unpinned-image', [CompletionResultType]::ParameterName, 'Accept a tag-only image at sensitivity confidential or restricted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubeward;graph' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'mermaid (a flowchart) or dot (Graphviz)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The service spec (kubeward.yaml), or a folder of specs: a system; without it, the service is described by flags')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The service spec (kubeward.yaml), or a folder of specs: a system; without it, the service is described by flags')
            [CompletionResult]::new('--presets-dir', '--presets-dir', [CompletionResultType]::ParameterName, 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)')
            [CompletionResult]::new('--require-preset', '--require-preset', [CompletionResultType]::ParameterName, 'Refuse a preset chain that does not include the preset NAME (shipped or from the presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder''s kubeward-presets.yaml require one too, and every requirement holds')
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'Replace shipped templates with the files of the same name in DIR (over the preset''s)')
            [CompletionResult]::new('--allow-template-override', '--allow-template-override', [CompletionResultType]::ParameterName, 'Accept an override template that drops this control, recorded on the object (repeatable)')
            [CompletionResult]::new('--api-server-cidr', '--api-server-cidr', [CompletionResultType]::ParameterName, 'The API server''s endpoint addresses, for apiAccess egress, in place of the preset''s apiServer.cidrs (repeatable; on the preset''s apiServer.ports): those of `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`, never the Service address 10.96.0.1')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The app name (DNS-1123 label); metadata.name')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace (not `default`); metadata.namespace')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace (not `default`); metadata.namespace')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port the container listens on')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'What the port speaks')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'How many pods (1-1000), when the count is fixed')
            [CompletionResult]::new('--autoscaling', '--autoscaling', [CompletionResultType]::ParameterName, 'Whether a HorizontalPodAutoscaler owns the replica count')
            [CompletionResult]::new('--min-replicas', '--min-replicas', [CompletionResultType]::ParameterName, 'The fewest pods the autoscaler keeps (2 or more)')
            [CompletionResult]::new('--max-replicas', '--max-replicas', [CompletionResultType]::ParameterName, 'The most pods the autoscaler runs')
            [CompletionResult]::new('--target-cpu', '--target-cpu', [CompletionResultType]::ParameterName, 'The average CPU use, in percent of the request, the autoscaler keeps the pods at')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Preset name or path to a preset file')
            [CompletionResult]::new('--exposure', '--exposure', [CompletionResultType]::ParameterName, 'How far the service is reachable')
            [CompletionResult]::new('--sensitivity', '--sensitivity', [CompletionResultType]::ParameterName, 'How sensitive its data is')
            [CompletionResult]::new('--mesh', '--mesh', [CompletionResultType]::ParameterName, 'The service mesh the cluster runs')
            [CompletionResult]::new('--caller', '--caller', [CompletionResultType]::ParameterName, 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable')
            [CompletionResult]::new('--caller-cidr', '--caller-cidr', [CompletionResultType]::ParameterName, 'Clients by address range allowed in, e.g. 198.51.100.0/24; repeatable')
            [CompletionResult]::new('--egress', '--egress', [CompletionResultType]::ParameterName, 'A pod destination, NAMESPACE/APP:PORT; repeatable')
            [CompletionResult]::new('--egress-cidr', '--egress-cidr', [CompletionResultType]::ParameterName, 'An address-range destination, CIDR:PORT; repeatable')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Public host name (exposure public)')
            [CompletionResult]::new('--ingress-api', '--ingress-api', [CompletionResultType]::ParameterName, 'What carries the public entry: Gateway API routes or an Ingress (exposure public)')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)')
            [CompletionResult]::new('--gateway-listener', '--gateway-listener', [CompletionResultType]::ParameterName, 'The Gateway''s HTTPS listener the route attaches to (api gateway)')
            [CompletionResult]::new('--ingress-class', '--ingress-class', [CompletionResultType]::ParameterName, 'Ingress class (api ingress)')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Requests a second per client address, and the burst: RATE[:BURST]')
            [CompletionResult]::new('--connection-limit', '--connection-limit', [CompletionResultType]::ParameterName, 'Concurrent connections at the entry')
            [CompletionResult]::new('--max-body-size', '--max-body-size', [CompletionResultType]::ParameterName, 'The largest request body, e.g. 1Mi')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'The longest a request may take, e.g. 30s')
            [CompletionResult]::new('--backend-timeout', '--backend-timeout', [CompletionResultType]::ParameterName, 'The longest one try to the service may take, e.g. 10s')
            [CompletionResult]::new('--source-range', '--source-range', [CompletionResultType]::ParameterName, 'Only clients from this address range reach the entry; repeatable')
            [CompletionResult]::new('--ingress-issuer', '--ingress-issuer', [CompletionResultType]::ParameterName, 'The cert-manager issuer of the public host''s certificate, [KIND/]NAME (exposure public)')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable')
            [CompletionResult]::new('--seal-cert', '--seal-cert', [CompletionResultType]::ParameterName, 'Seal every Secret for the Sealed Secrets controller''s public certificate (PEM)')
            [CompletionResult]::new('--seal-scope', '--seal-scope', [CompletionResultType]::ParameterName, 'Where a sealed value may be unsealed')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'TLS mode for the service''s own port')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'The CA certificate PEM file (TLS mode ca)')
            [CompletionResult]::new('--tls-ca-key', '--tls-ca-key', [CompletionResultType]::ParameterName, 'The CA private key PEM file (TLS mode ca)')
            [CompletionResult]::new('--tls-issuer', '--tls-issuer', [CompletionResultType]::ParameterName, 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)')
            [CompletionResult]::new('--client-auth', '--client-auth', [CompletionResultType]::ParameterName, 'Mutual TLS: whether callers must present client certificates')
            [CompletionResult]::new('--probe-port', '--probe-port', [CompletionResultType]::ParameterName, 'A clear-text container port for the probes, for a server whose port speaks only TLS')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('--allow-unpinned-image', '--allow-unpinned-image', [CompletionResultType]::ParameterName, 'Accept a tag-only image at sensitivity confidential or restricted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubeward;diff-presets' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'text for people, json for tools')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The service spec (kubeward.yaml), or a folder of specs: a system; without it, the service is described by flags')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The service spec (kubeward.yaml), or a folder of specs: a system; without it, the service is described by flags')
            [CompletionResult]::new('--presets-dir', '--presets-dir', [CompletionResultType]::ParameterName, 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)')
            [CompletionResult]::new('--require-preset', '--require-preset', [CompletionResultType]::ParameterName, 'Refuse a preset chain that does not include the preset NAME (shipped or from the presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder''s kubeward-presets.yaml require one too, and every requirement holds')
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'Replace shipped templates with the files of the same name in DIR (over the preset''s)')
            [CompletionResult]::new('--allow-template-override', '--allow-template-override', [CompletionResultType]::ParameterName, 'Accept an override template that drops this control, recorded on the object (repeatable)')
            [CompletionResult]::new('--api-server-cidr', '--api-server-cidr', [CompletionResultType]::ParameterName, 'The API server''s endpoint addresses, for apiAccess egress, in place of the preset''s apiServer.cidrs (repeatable; on the preset''s apiServer.ports): those of `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`, never the Service address 10.96.0.1')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The app name (DNS-1123 label); metadata.name')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace (not `default`); metadata.namespace')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace (not `default`); metadata.namespace')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port the container listens on')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'What the port speaks')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'How many pods (1-1000), when the count is fixed')
            [CompletionResult]::new('--autoscaling', '--autoscaling', [CompletionResultType]::ParameterName, 'Whether a HorizontalPodAutoscaler owns the replica count')
            [CompletionResult]::new('--min-replicas', '--min-replicas', [CompletionResultType]::ParameterName, 'The fewest pods the autoscaler keeps (2 or more)')
            [CompletionResult]::new('--max-replicas', '--max-replicas', [CompletionResultType]::ParameterName, 'The most pods the autoscaler runs')
            [CompletionResult]::new('--target-cpu', '--target-cpu', [CompletionResultType]::ParameterName, 'The average CPU use, in percent of the request, the autoscaler keeps the pods at')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Preset name or path to a preset file')
            [CompletionResult]::new('--exposure', '--exposure', [CompletionResultType]::ParameterName, 'How far the service is reachable')
            [CompletionResult]::new('--sensitivity', '--sensitivity', [CompletionResultType]::ParameterName, 'How sensitive its data is')
            [CompletionResult]::new('--mesh', '--mesh', [CompletionResultType]::ParameterName, 'The service mesh the cluster runs')
            [CompletionResult]::new('--caller', '--caller', [CompletionResultType]::ParameterName, 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable')
            [CompletionResult]::new('--caller-cidr', '--caller-cidr', [CompletionResultType]::ParameterName, 'Clients by address range allowed in, e.g. 198.51.100.0/24; repeatable')
            [CompletionResult]::new('--egress', '--egress', [CompletionResultType]::ParameterName, 'A pod destination, NAMESPACE/APP:PORT; repeatable')
            [CompletionResult]::new('--egress-cidr', '--egress-cidr', [CompletionResultType]::ParameterName, 'An address-range destination, CIDR:PORT; repeatable')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Public host name (exposure public)')
            [CompletionResult]::new('--ingress-api', '--ingress-api', [CompletionResultType]::ParameterName, 'What carries the public entry: Gateway API routes or an Ingress (exposure public)')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)')
            [CompletionResult]::new('--gateway-listener', '--gateway-listener', [CompletionResultType]::ParameterName, 'The Gateway''s HTTPS listener the route attaches to (api gateway)')
            [CompletionResult]::new('--ingress-class', '--ingress-class', [CompletionResultType]::ParameterName, 'Ingress class (api ingress)')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Requests a second per client address, and the burst: RATE[:BURST]')
            [CompletionResult]::new('--connection-limit', '--connection-limit', [CompletionResultType]::ParameterName, 'Concurrent connections at the entry')
            [CompletionResult]::new('--max-body-size', '--max-body-size', [CompletionResultType]::ParameterName, 'The largest request body, e.g. 1Mi')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'The longest a request may take, e.g. 30s')
            [CompletionResult]::new('--backend-timeout', '--backend-timeout', [CompletionResultType]::ParameterName, 'The longest one try to the service may take, e.g. 10s')
            [CompletionResult]::new('--source-range', '--source-range', [CompletionResultType]::ParameterName, 'Only clients from this address range reach the entry; repeatable')
            [CompletionResult]::new('--ingress-issuer', '--ingress-issuer', [CompletionResultType]::ParameterName, 'The cert-manager issuer of the public host''s certificate, [KIND/]NAME (exposure public)')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable')
            [CompletionResult]::new('--seal-cert', '--seal-cert', [CompletionResultType]::ParameterName, 'Seal every Secret for the Sealed Secrets controller''s public certificate (PEM)')
            [CompletionResult]::new('--seal-scope', '--seal-scope', [CompletionResultType]::ParameterName, 'Where a sealed value may be unsealed')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'TLS mode for the service''s own port')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'The CA certificate PEM file (TLS mode ca)')
            [CompletionResult]::new('--tls-ca-key', '--tls-ca-key', [CompletionResultType]::ParameterName, 'The CA private key PEM file (TLS mode ca)')
            [CompletionResult]::new('--tls-issuer', '--tls-issuer', [CompletionResultType]::ParameterName, 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)')
            [CompletionResult]::new('--client-auth', '--client-auth', [CompletionResultType]::ParameterName, 'Mutual TLS: whether callers must present client certificates')
            [CompletionResult]::new('--probe-port', '--probe-port', [CompletionResultType]::ParameterName, 'A clear-text container port for the probes, for a server whose port speaks only TLS')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('--allow-unpinned-image', '--allow-unpinned-image', [CompletionResultType]::ParameterName, 'Accept a tag-only image at sensitivity confidential or restricted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubeward;init' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Where to write the spec')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Where to write the spec')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The folder to render the bundle into')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The folder to render the bundle into')
            [CompletionResult]::new('--api-server-cidr', '--api-server-cidr', [CompletionResultType]::ParameterName, 'The API server''s endpoint addresses, for apiAccess egress, in place of the preset''s apiServer.cidrs (repeatable); asked when the spec has apiAccess and the preset names none')
            [CompletionResult]::new('--presets-dir', '--presets-dir', [CompletionResultType]::ParameterName, 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)')
            [CompletionResult]::new('--require-preset', '--require-preset', [CompletionResultType]::ParameterName, 'Refuse a preset chain that does not include the preset NAME (shipped or from the presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder''s kubeward-presets.yaml require one too, and every requirement holds')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The app name (DNS-1123 label); metadata.name')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace (not `default`); metadata.namespace')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace (not `default`); metadata.namespace')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port the container listens on')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'What the port speaks')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'How many pods (1-1000), when the count is fixed')
            [CompletionResult]::new('--autoscaling', '--autoscaling', [CompletionResultType]::ParameterName, 'Whether a HorizontalPodAutoscaler owns the replica count')
            [CompletionResult]::new('--min-replicas', '--min-replicas', [CompletionResultType]::ParameterName, 'The fewest pods the autoscaler keeps (2 or more)')
            [CompletionResult]::new('--max-replicas', '--max-replicas', [CompletionResultType]::ParameterName, 'The most pods the autoscaler runs')
            [CompletionResult]::new('--target-cpu', '--target-cpu', [CompletionResultType]::ParameterName, 'The average CPU use, in percent of the request, the autoscaler keeps the pods at')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Preset name or path to a preset file')
            [CompletionResult]::new('--exposure', '--exposure', [CompletionResultType]::ParameterName, 'How far the service is reachable')
            [CompletionResult]::new('--sensitivity', '--sensitivity', [CompletionResultType]::ParameterName, 'How sensitive its data is')
            [CompletionResult]::new('--mesh', '--mesh', [CompletionResultType]::ParameterName, 'The service mesh the cluster runs')
            [CompletionResult]::new('--caller', '--caller', [CompletionResultType]::ParameterName, 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable')
            [CompletionResult]::new('--caller-cidr', '--caller-cidr', [CompletionResultType]::ParameterName, 'Clients by address range allowed in, e.g. 198.51.100.0/24; repeatable')
            [CompletionResult]::new('--egress', '--egress', [CompletionResultType]::ParameterName, 'A pod destination, NAMESPACE/APP:PORT; repeatable')
            [CompletionResult]::new('--egress-cidr', '--egress-cidr', [CompletionResultType]::ParameterName, 'An address-range destination, CIDR:PORT; repeatable')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Public host name (exposure public)')
            [CompletionResult]::new('--ingress-api', '--ingress-api', [CompletionResultType]::ParameterName, 'What carries the public entry: Gateway API routes or an Ingress (exposure public)')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)')
            [CompletionResult]::new('--gateway-listener', '--gateway-listener', [CompletionResultType]::ParameterName, 'The Gateway''s HTTPS listener the route attaches to (api gateway)')
            [CompletionResult]::new('--ingress-class', '--ingress-class', [CompletionResultType]::ParameterName, 'Ingress class (api ingress)')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Requests a second per client address, and the burst: RATE[:BURST]')
            [CompletionResult]::new('--connection-limit', '--connection-limit', [CompletionResultType]::ParameterName, 'Concurrent connections at the entry')
            [CompletionResult]::new('--max-body-size', '--max-body-size', [CompletionResultType]::ParameterName, 'The largest request body, e.g. 1Mi')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'The longest a request may take, e.g. 30s')
            [CompletionResult]::new('--backend-timeout', '--backend-timeout', [CompletionResultType]::ParameterName, 'The longest one try to the service may take, e.g. 10s')
            [CompletionResult]::new('--source-range', '--source-range', [CompletionResultType]::ParameterName, 'Only clients from this address range reach the entry; repeatable')
            [CompletionResult]::new('--ingress-issuer', '--ingress-issuer', [CompletionResultType]::ParameterName, 'The cert-manager issuer of the public host''s certificate, [KIND/]NAME (exposure public)')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable')
            [CompletionResult]::new('--seal-cert', '--seal-cert', [CompletionResultType]::ParameterName, 'Seal every Secret for the Sealed Secrets controller''s public certificate (PEM)')
            [CompletionResult]::new('--seal-scope', '--seal-scope', [CompletionResultType]::ParameterName, 'Where a sealed value may be unsealed')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'TLS mode for the service''s own port')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'The CA certificate PEM file (TLS mode ca)')
            [CompletionResult]::new('--tls-ca-key', '--tls-ca-key', [CompletionResultType]::ParameterName, 'The CA private key PEM file (TLS mode ca)')
            [CompletionResult]::new('--tls-issuer', '--tls-issuer', [CompletionResultType]::ParameterName, 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)')
            [CompletionResult]::new('--client-auth', '--client-auth', [CompletionResultType]::ParameterName, 'Mutual TLS: whether callers must present client certificates')
            [CompletionResult]::new('--probe-port', '--probe-port', [CompletionResultType]::ParameterName, 'A clear-text container port for the probes, for a server whose port speaks only TLS')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('--spec-only', '--spec-only', [CompletionResultType]::ParameterName, 'Write only the spec; render it later with `kubeward render -f SPEC -o DIR`')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing spec, and write into an output folder that holds files kubeward did not write')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never ask: answers come from the flags and the preset''s defaults')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never ask: answers come from the flags and the preset''s defaults')
            [CompletionResult]::new('--allow-unpinned-image', '--allow-unpinned-image', [CompletionResultType]::ParameterName, 'Accept a tag-only image at sensitivity confidential or restricted (recorded on the Deployment)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubeward;schema' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeward;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubeward;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubeward;presets' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the shipped presets and those of the presets folder')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a preset as written, or resolved with the preset that set each value')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check preset files (their whole chain, floors and templates); exits 2 if any is invalid')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubeward;presets;list' {
            [CompletionResult]::new('--presets-dir', '--presets-dir', [CompletionResultType]::ParameterName, 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubeward;presets;show' {
            [CompletionResult]::new('--presets-dir', '--presets-dir', [CompletionResultType]::ParameterName, 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('--resolved', '--resolved', [CompletionResultType]::ParameterName, 'Print the settings and floors after merging the whole chain')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubeward;presets;validate' {
            [CompletionResult]::new('--presets-dir', '--presets-dir', [CompletionResultType]::ParameterName, 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubeward;presets;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the shipped presets and those of the presets folder')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a preset as written, or resolved with the preset that set each value')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check preset files (their whole chain, floors and templates); exits 2 if any is invalid')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubeward;presets;help;list' {
            break
        }
        'kubeward;presets;help;show' {
            break
        }
        'kubeward;presets;help;validate' {
            break
        }
        'kubeward;presets;help;help' {
            break
        }
        'kubeward;templates' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the shipped templates into DIR, as a starting point for overrides')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubeward;templates;export' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace files that already exist in DIR')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubeward;templates;help' {
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the shipped templates into DIR, as a starting point for overrides')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubeward;templates;help;export' {
            break
        }
        'kubeward;templates;help;help' {
            break
        }
        'kubeward;check' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The output form')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding at or above this severity is not suppressed')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'Apply the floors of this preset (a name, or a preset file) to the manifests; repeatable. Without it, the floors of a required preset apply')
            [CompletionResult]::new('--presets-dir', '--presets-dir', [CompletionResultType]::ParameterName, 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)')
            [CompletionResult]::new('--require-preset', '--require-preset', [CompletionResultType]::ParameterName, 'Refuse a preset chain that does not include the preset NAME (shipped or from the presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder''s kubeward-presets.yaml require one too, and every requirement holds')
            [CompletionResult]::new('--suppressions', '--suppressions', [CompletionResultType]::ParameterName, 'A suppressions file kept beside the CI configuration: rule, object, reason, expiry date')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'A check configuration file (inlineSuppressions, suppressions, presets), which adds to the flags')
            [CompletionResult]::new('--stdin-name', '--stdin-name', [CompletionResultType]::ParameterName, 'The name standard input is reported as; with `helm template` output, the chart''s folder, which replaces the chart name of each `# Source:` path')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'The cluster''s Kubernetes version (MAJOR.MINOR.PATCH): a finding when its minor is out of upstream support, by the release table built into kubeward (dated in --version)')
            [CompletionResult]::new('--expiry-days', '--expiry-days', [CompletionResultType]::ParameterName, 'Report TLS Secrets whose certificate expires within this many days (or has expired)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('--list-rules', '--list-rules', [CompletionResultType]::ParameterName, 'Print the rule catalogue instead of checking (text, json or markdown)')
            [CompletionResult]::new('--no-inline-suppressions', '--no-inline-suppressions', [CompletionResultType]::ParameterName, 'Ignore the suppression annotations in the checked manifests (kubeward''s and the scanners''): only --suppressions counts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeward;cluster' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The cluster spec (cluster.yaml, kind SecureCluster)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The cluster spec (cluster.yaml, kind SecureCluster)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The folder to write the files into: the API server''s encryption, audit and admission configuration, kubeadm''s configuration, and a README saying where each goes')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The folder to write the files into: the API server''s encryption, audit and admission configuration, kubeadm''s configuration, and a README saying where each goes')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'The state folder that keeps the secretbox keys [default: .kubeward beside the spec]')
            [CompletionResult]::new('--rotate', '--rotate', [CompletionResultType]::ParameterName, 'Move a rotation one step on: `encryption-key` rotates the secretbox key in the six steps the Kubernetes documentation orders, one per run')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write into a folder that holds files kubeward did not write')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors and warnings')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Make every warning an error (exit 2, nothing written), for CI')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeward;help' {
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render the hardened bundle for a service')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain every decision of the plan: the answer that caused it, the threat it counters, its references')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'Draw the traffic the NetworkPolicies allow (of a service, or of manifests in PATH)')
            [CompletionResult]::new('diff-presets', 'diff-presets', [CompletionResultType]::ParameterValue, 'Show what changes for a service between two presets (decisions and objects)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Describe a service by answering questions (or by flags), write kubeward.yaml and render it')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema (draft-07) of kubeward.yaml or of a preset file, for editors')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) of kubeward or of one of its commands')
            [CompletionResult]::new('presets', 'presets', [CompletionResultType]::ParameterValue, 'List, show and validate presets')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'Export the shipped templates, to override some of them')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Audit Kubernetes manifests (any, not only kubeward''s) against the hardening rules')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Render the control plane''s encryption, audit, admission and kubeadm configuration for a cluster spec (kind SecureCluster)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubeward;help;render' {
            break
        }
        'kubeward;help;explain' {
            break
        }
        'kubeward;help;graph' {
            break
        }
        'kubeward;help;diff-presets' {
            break
        }
        'kubeward;help;init' {
            break
        }
        'kubeward;help;schema' {
            break
        }
        'kubeward;help;completions' {
            break
        }
        'kubeward;help;man' {
            break
        }
        'kubeward;help;presets' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the shipped presets and those of the presets folder')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a preset as written, or resolved with the preset that set each value')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check preset files (their whole chain, floors and templates); exits 2 if any is invalid')
            break
        }
        'kubeward;help;presets;list' {
            break
        }
        'kubeward;help;presets;show' {
            break
        }
        'kubeward;help;presets;validate' {
            break
        }
        'kubeward;help;templates' {
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the shipped templates into DIR, as a starting point for overrides')
            break
        }
        'kubeward;help;templates;export' {
            break
        }
        'kubeward;help;check' {
            break
        }
        'kubeward;help;cluster' {
            break
        }
        'kubeward;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
