
use builtin;
use str;

set edit:completion:arg-completer[kubeward] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'kubeward'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'kubeward'= {
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand render 'Render the hardened bundle for a service'
            cand explain 'Explain every decision of the plan: the answer that caused it, the threat it counters, its references'
            cand graph 'Draw the traffic the NetworkPolicies allow (of a service, or of manifests in PATH)'
            cand diff-presets 'Show what changes for a service between two presets (decisions and objects)'
            cand init 'Describe a service by answering questions (or by flags), write kubeward.yaml and render it'
            cand schema 'Print the JSON Schema (draft-07) of kubeward.yaml or of a preset file, for editors'
            cand completions 'Print the completion script for a shell'
            cand man 'Print the man page (roff) of kubeward or of one of its commands'
            cand presets 'List, show and validate presets'
            cand templates 'Export the shipped templates, to override some of them'
            cand check 'Audit Kubernetes manifests (any, not only kubeward''s) against the hardening rules'
            cand cluster 'Render the control plane''s encryption, audit, admission and kubeadm configuration for a cluster spec (kind SecureCluster)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubeward;render'= {
            cand -f 'The service spec (kubeward.yaml); without it, the service is described by flags. Repeat it, or give a folder (every kubeward.yaml in it and its sub-folders), to render a batch: each service into OUTPUT/<namespace>/<name>, or all in one stream'
            cand --file 'The service spec (kubeward.yaml); without it, the service is described by flags. Repeat it, or give a folder (every kubeward.yaml in it and its sub-folders), to render a batch: each service into OUTPUT/<namespace>/<name>, or all in one stream'
            cand -o 'Write one file per object (and kustomization.yaml) into this folder instead of stdout'
            cand --output 'Write one file per object (and kustomization.yaml) into this folder instead of stdout'
            cand --state 'The state folder for generated secrets and keys [default: .kubeward beside the spec]'
            cand --rotate 'Generate a new value for this generated secret (repeatable)'
            cand --presets-dir 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)'
            cand --templates 'Replace shipped templates with the files of the same name in DIR (over the preset''s)'
            cand --allow-template-override 'Accept an override template that drops this control, recorded on the object (repeatable)'
            cand --name 'The app name (DNS-1123 label); metadata.name'
            cand -n 'The namespace (not `default`); metadata.namespace'
            cand --namespace 'The namespace (not `default`); metadata.namespace'
            cand --image 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...'
            cand --port 'Port the container listens on'
            cand --protocol 'What the port speaks'
            cand --replicas 'How many pods (1-1000), when the count is fixed'
            cand --autoscaling 'Whether a HorizontalPodAutoscaler owns the replica count'
            cand --min-replicas 'The fewest pods the autoscaler keeps (2 or more)'
            cand --max-replicas 'The most pods the autoscaler runs'
            cand --target-cpu 'The average CPU use, in percent of the request, the autoscaler keeps the pods at'
            cand --preset 'Preset name or path to a preset file'
            cand --exposure 'How far the service is reachable'
            cand --sensitivity 'How sensitive its data is'
            cand --caller 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable'
            cand --egress 'A pod destination, NAMESPACE/APP:PORT; repeatable'
            cand --egress-cidr 'An address-range destination, CIDR:PORT; repeatable'
            cand --host 'Public host name (exposure public)'
            cand --ingress-api 'What carries the public entry: Gateway API routes or an Ingress (exposure public)'
            cand --gateway 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)'
            cand --gateway-listener 'The Gateway''s HTTPS listener the route attaches to (api gateway)'
            cand --ingress-class 'Ingress class (api ingress)'
            cand --rate-limit 'Requests a second per client address, and the burst: RATE[:BURST]'
            cand --connection-limit 'Concurrent connections at the entry'
            cand --max-body-size 'The largest request body, e.g. 1Mi'
            cand --request-timeout 'The longest a request may take, e.g. 30s'
            cand --backend-timeout 'The longest one try to the service may take, e.g. 10s'
            cand --source-range 'Only clients from this address range reach the entry; repeatable'
            cand --ingress-issuer 'The cert-manager issuer of the public host''s certificate, [KIND/]NAME (exposure public)'
            cand --api 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable'
            cand --secret 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable'
            cand --seal-cert 'Seal every Secret for the Sealed Secrets controller''s public certificate (PEM)'
            cand --seal-scope 'Where a sealed value may be unsealed'
            cand --tls 'TLS mode for the service''s own port'
            cand --tls-ca-cert 'The CA certificate PEM file (TLS mode ca)'
            cand --tls-ca-key 'The CA private key PEM file (TLS mode ca)'
            cand --tls-issuer 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)'
            cand --probe-port 'A clear-text container port for the probes, for a server whose port speaks only TLS'
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand --keep-going 'In a batch, render the services whose specs are good even when others fail (the exit status still reports the failures)'
            cand --force 'Write into an output folder that holds files kubeward did not write'
            cand --allow-unpinned-image 'Accept a tag-only image at sensitivity confidential or restricted (recorded on the Deployment)'
            cand --annotate 'Comment the fields that carry a decision with why (the objects stay the same)'
            cand --gitops 'The output goes to git: refuse (exit 2, nothing written) any secret value in base64 that git would commit, or that goes where git cannot tell (stdout, a folder outside any work tree); seal the Secrets or keep their values in a store'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubeward;explain'= {
            cand --rule 'Explain one rule: a check rule (e.g. KW-SEC-001), a rubric row (rubric-1 .. rubric-33, rubric-37) or a decision id (e.g. non-root); with a service, also where its plan applies it'
            cand --threat 'Only the decisions that counter this threat (e.g. exposed-secrets, man-in-the-middle)'
            cand --format 'text for people, json for tools'
            cand -f 'The service spec (kubeward.yaml); without it, the service is described by flags'
            cand --file 'The service spec (kubeward.yaml); without it, the service is described by flags'
            cand --presets-dir 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)'
            cand --templates 'Replace shipped templates with the files of the same name in DIR (over the preset''s)'
            cand --allow-template-override 'Accept an override template that drops this control, recorded on the object (repeatable)'
            cand --name 'The app name (DNS-1123 label); metadata.name'
            cand -n 'The namespace (not `default`); metadata.namespace'
            cand --namespace 'The namespace (not `default`); metadata.namespace'
            cand --image 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...'
            cand --port 'Port the container listens on'
            cand --protocol 'What the port speaks'
            cand --replicas 'How many pods (1-1000), when the count is fixed'
            cand --autoscaling 'Whether a HorizontalPodAutoscaler owns the replica count'
            cand --min-replicas 'The fewest pods the autoscaler keeps (2 or more)'
            cand --max-replicas 'The most pods the autoscaler runs'
            cand --target-cpu 'The average CPU use, in percent of the request, the autoscaler keeps the pods at'
            cand --preset 'Preset name or path to a preset file'
            cand --exposure 'How far the service is reachable'
            cand --sensitivity 'How sensitive its data is'
            cand --caller 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable'
            cand --egress 'A pod destination, NAMESPACE/APP:PORT; repeatable'
            cand --egress-cidr 'An address-range destination, CIDR:PORT; repeatable'
            cand --host 'Public host name (exposure public)'
            cand --ingress-api 'What carries the public entry: Gateway API routes or an Ingress (exposure public)'
            cand --gateway 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)'
            cand --gateway-listener 'The Gateway''s HTTPS listener the route attaches to (api gateway)'
            cand --ingress-class 'Ingress class (api ingress)'
            cand --rate-limit 'Requests a second per client address, and the burst: RATE[:BURST]'
            cand --connection-limit 'Concurrent connections at the entry'
            cand --max-body-size 'The largest request body, e.g. 1Mi'
            cand --request-timeout 'The longest a request may take, e.g. 30s'
            cand --backend-timeout 'The longest one try to the service may take, e.g. 10s'
            cand --source-range 'Only clients from this address range reach the entry; repeatable'
            cand --ingress-issuer 'The cert-manager issuer of the public host''s certificate, [KIND/]NAME (exposure public)'
            cand --api 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable'
            cand --secret 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable'
            cand --seal-cert 'Seal every Secret for the Sealed Secrets controller''s public certificate (PEM)'
            cand --seal-scope 'Where a sealed value may be unsealed'
            cand --tls 'TLS mode for the service''s own port'
            cand --tls-ca-cert 'The CA certificate PEM file (TLS mode ca)'
            cand --tls-ca-key 'The CA private key PEM file (TLS mode ca)'
            cand --tls-issuer 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)'
            cand --probe-port 'A clear-text container port for the probes, for a server whose port speaks only TLS'
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand --allow-unpinned-image 'Accept a tag-only image at sensitivity confidential or restricted'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubeward;graph'= {
            cand --format 'mermaid (a flowchart) or dot (Graphviz)'
            cand -f 'The service spec (kubeward.yaml); without it, the service is described by flags'
            cand --file 'The service spec (kubeward.yaml); without it, the service is described by flags'
            cand --presets-dir 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)'
            cand --templates 'Replace shipped templates with the files of the same name in DIR (over the preset''s)'
            cand --allow-template-override 'Accept an override template that drops this control, recorded on the object (repeatable)'
            cand --name 'The app name (DNS-1123 label); metadata.name'
            cand -n 'The namespace (not `default`); metadata.namespace'
            cand --namespace 'The namespace (not `default`); metadata.namespace'
            cand --image 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...'
            cand --port 'Port the container listens on'
            cand --protocol 'What the port speaks'
            cand --replicas 'How many pods (1-1000), when the count is fixed'
            cand --autoscaling 'Whether a HorizontalPodAutoscaler owns the replica count'
            cand --min-replicas 'The fewest pods the autoscaler keeps (2 or more)'
            cand --max-replicas 'The most pods the autoscaler runs'
            cand --target-cpu 'The average CPU use, in percent of the request, the autoscaler keeps the pods at'
            cand --preset 'Preset name or path to a preset file'
            cand --exposure 'How far the service is reachable'
            cand --sensitivity 'How sensitive its data is'
            cand --caller 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable'
            cand --egress 'A pod destination, NAMESPACE/APP:PORT; repeatable'
            cand --egress-cidr 'An address-range destination, CIDR:PORT; repeatable'
            cand --host 'Public host name (exposure public)'
            cand --ingress-api 'What carries the public entry: Gateway API routes or an Ingress (exposure public)'
            cand --gateway 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)'
            cand --gateway-listener 'The Gateway''s HTTPS listener the route attaches to (api gateway)'
            cand --ingress-class 'Ingress class (api ingress)'
            cand --rate-limit 'Requests a second per client address, and the burst: RATE[:BURST]'
            cand --connection-limit 'Concurrent connections at the entry'
            cand --max-body-size 'The largest request body, e.g. 1Mi'
            cand --request-timeout 'The longest a request may take, e.g. 30s'
            cand --backend-timeout 'The longest one try to the service may take, e.g. 10s'
            cand --source-range 'Only clients from this address range reach the entry; repeatable'
            cand --ingress-issuer 'The cert-manager issuer of the public host''s certificate, [KIND/]NAME (exposure public)'
            cand --api 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable'
            cand --secret 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable'
            cand --seal-cert 'Seal every Secret for the Sealed Secrets controller''s public certificate (PEM)'
            cand --seal-scope 'Where a sealed value may be unsealed'
            cand --tls 'TLS mode for the service''s own port'
            cand --tls-ca-cert 'The CA certificate PEM file (TLS mode ca)'
            cand --tls-ca-key 'The CA private key PEM file (TLS mode ca)'
            cand --tls-issuer 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)'
            cand --probe-port 'A clear-text container port for the probes, for a server whose port speaks only TLS'
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand --allow-unpinned-image 'Accept a tag-only image at sensitivity confidential or restricted'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubeward;diff-presets'= {
            cand --format 'text for people, json for tools'
            cand -f 'The service spec (kubeward.yaml); without it, the service is described by flags'
            cand --file 'The service spec (kubeward.yaml); without it, the service is described by flags'
            cand --presets-dir 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)'
            cand --templates 'Replace shipped templates with the files of the same name in DIR (over the preset''s)'
            cand --allow-template-override 'Accept an override template that drops this control, recorded on the object (repeatable)'
            cand --name 'The app name (DNS-1123 label); metadata.name'
            cand -n 'The namespace (not `default`); metadata.namespace'
            cand --namespace 'The namespace (not `default`); metadata.namespace'
            cand --image 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...'
            cand --port 'Port the container listens on'
            cand --protocol 'What the port speaks'
            cand --replicas 'How many pods (1-1000), when the count is fixed'
            cand --autoscaling 'Whether a HorizontalPodAutoscaler owns the replica count'
            cand --min-replicas 'The fewest pods the autoscaler keeps (2 or more)'
            cand --max-replicas 'The most pods the autoscaler runs'
            cand --target-cpu 'The average CPU use, in percent of the request, the autoscaler keeps the pods at'
            cand --preset 'Preset name or path to a preset file'
            cand --exposure 'How far the service is reachable'
            cand --sensitivity 'How sensitive its data is'
            cand --caller 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable'
            cand --egress 'A pod destination, NAMESPACE/APP:PORT; repeatable'
            cand --egress-cidr 'An address-range destination, CIDR:PORT; repeatable'
            cand --host 'Public host name (exposure public)'
            cand --ingress-api 'What carries the public entry: Gateway API routes or an Ingress (exposure public)'
            cand --gateway 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)'
            cand --gateway-listener 'The Gateway''s HTTPS listener the route attaches to (api gateway)'
            cand --ingress-class 'Ingress class (api ingress)'
            cand --rate-limit 'Requests a second per client address, and the burst: RATE[:BURST]'
            cand --connection-limit 'Concurrent connections at the entry'
            cand --max-body-size 'The largest request body, e.g. 1Mi'
            cand --request-timeout 'The longest a request may take, e.g. 30s'
            cand --backend-timeout 'The longest one try to the service may take, e.g. 10s'
            cand --source-range 'Only clients from this address range reach the entry; repeatable'
            cand --ingress-issuer 'The cert-manager issuer of the public host''s certificate, [KIND/]NAME (exposure public)'
            cand --api 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable'
            cand --secret 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable'
            cand --seal-cert 'Seal every Secret for the Sealed Secrets controller''s public certificate (PEM)'
            cand --seal-scope 'Where a sealed value may be unsealed'
            cand --tls 'TLS mode for the service''s own port'
            cand --tls-ca-cert 'The CA certificate PEM file (TLS mode ca)'
            cand --tls-ca-key 'The CA private key PEM file (TLS mode ca)'
            cand --tls-issuer 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)'
            cand --probe-port 'A clear-text container port for the probes, for a server whose port speaks only TLS'
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand --allow-unpinned-image 'Accept a tag-only image at sensitivity confidential or restricted'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubeward;init'= {
            cand -f 'Where to write the spec'
            cand --file 'Where to write the spec'
            cand -o 'The folder to render the bundle into'
            cand --output 'The folder to render the bundle into'
            cand --presets-dir 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)'
            cand --name 'The app name (DNS-1123 label); metadata.name'
            cand -n 'The namespace (not `default`); metadata.namespace'
            cand --namespace 'The namespace (not `default`); metadata.namespace'
            cand --image 'Container image, e.g. ghcr.io/acme/api:1.2@sha256:...'
            cand --port 'Port the container listens on'
            cand --protocol 'What the port speaks'
            cand --replicas 'How many pods (1-1000), when the count is fixed'
            cand --autoscaling 'Whether a HorizontalPodAutoscaler owns the replica count'
            cand --min-replicas 'The fewest pods the autoscaler keeps (2 or more)'
            cand --max-replicas 'The most pods the autoscaler runs'
            cand --target-cpu 'The average CPU use, in percent of the request, the autoscaler keeps the pods at'
            cand --preset 'Preset name or path to a preset file'
            cand --exposure 'How far the service is reachable'
            cand --sensitivity 'How sensitive its data is'
            cand --caller 'A caller allowed in, NAMESPACE/APP or APP (same namespace); repeatable'
            cand --egress 'A pod destination, NAMESPACE/APP:PORT; repeatable'
            cand --egress-cidr 'An address-range destination, CIDR:PORT; repeatable'
            cand --host 'Public host name (exposure public)'
            cand --ingress-api 'What carries the public entry: Gateway API routes or an Ingress (exposure public)'
            cand --gateway 'The Gateway the route attaches to, [NAMESPACE/]NAME (api gateway)'
            cand --gateway-listener 'The Gateway''s HTTPS listener the route attaches to (api gateway)'
            cand --ingress-class 'Ingress class (api ingress)'
            cand --rate-limit 'Requests a second per client address, and the burst: RATE[:BURST]'
            cand --connection-limit 'Concurrent connections at the entry'
            cand --max-body-size 'The largest request body, e.g. 1Mi'
            cand --request-timeout 'The longest a request may take, e.g. 30s'
            cand --backend-timeout 'The longest one try to the service may take, e.g. 10s'
            cand --source-range 'Only clients from this address range reach the entry; repeatable'
            cand --ingress-issuer 'The cert-manager issuer of the public host''s certificate, [KIND/]NAME (exposure public)'
            cand --api 'Kubernetes API access, [GROUP/]RESOURCES:VERBS[:NAMES] (comma lists), e.g. configmaps:get,list,watch or apps/deployments:get; repeatable'
            cand --secret 'A secret, NAME=generate[:LENGTH], NAME=env:VAR, NAME=file:PATH or NAME=store:[KIND/]STORE:KEY[#PROPERTY] (an external store); repeatable'
            cand --seal-cert 'Seal every Secret for the Sealed Secrets controller''s public certificate (PEM)'
            cand --seal-scope 'Where a sealed value may be unsealed'
            cand --tls 'TLS mode for the service''s own port'
            cand --tls-ca-cert 'The CA certificate PEM file (TLS mode ca)'
            cand --tls-ca-key 'The CA private key PEM file (TLS mode ca)'
            cand --tls-issuer 'The cert-manager issuer, [KIND/]NAME with KIND Issuer or ClusterIssuer (TLS mode cert-manager)'
            cand --probe-port 'A clear-text container port for the probes, for a server whose port speaks only TLS'
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand --spec-only 'Write only the spec; render it later with `kubeward render -f SPEC -o DIR`'
            cand --force 'Replace an existing spec, and write into an output folder that holds files kubeward did not write'
            cand -y 'Never ask: answers come from the flags and the preset''s defaults'
            cand --yes 'Never ask: answers come from the flags and the preset''s defaults'
            cand --allow-unpinned-image 'Accept a tag-only image at sensitivity confidential or restricted (recorded on the Deployment)'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubeward;schema'= {
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubeward;completions'= {
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubeward;man'= {
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubeward;presets'= {
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List the shipped presets and those of the presets folder'
            cand show 'Print a preset as written, or resolved with the preset that set each value'
            cand validate 'Check preset files (their whole chain, floors and templates); exits 2 if any is invalid'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubeward;presets;list'= {
            cand --presets-dir 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)'
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubeward;presets;show'= {
            cand --presets-dir 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)'
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand --resolved 'Print the settings and floors after merging the whole chain'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubeward;presets;validate'= {
            cand --presets-dir 'A folder of presets, each found by name as NAME.yaml (shipped names are reserved)'
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubeward;presets;help'= {
            cand list 'List the shipped presets and those of the presets folder'
            cand show 'Print a preset as written, or resolved with the preset that set each value'
            cand validate 'Check preset files (their whole chain, floors and templates); exits 2 if any is invalid'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubeward;presets;help;list'= {
        }
        &'kubeward;presets;help;show'= {
        }
        &'kubeward;presets;help;validate'= {
        }
        &'kubeward;presets;help;help'= {
        }
        &'kubeward;templates'= {
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
            cand export 'Write the shipped templates into DIR, as a starting point for overrides'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubeward;templates;export'= {
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand --force 'Replace files that already exist in DIR'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubeward;templates;help'= {
            cand export 'Write the shipped templates into DIR, as a starting point for overrides'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubeward;templates;help;export'= {
        }
        &'kubeward;templates;help;help'= {
        }
        &'kubeward;check'= {
            cand --format 'The output form'
            cand --fail-on 'Exit 1 when a finding at or above this severity is not suppressed'
            cand --kubernetes-version 'The cluster''s Kubernetes version (MAJOR.MINOR.PATCH): a finding when its minor is out of upstream support, by the release table built into kubeward (dated in --version)'
            cand --expiry-days 'Report TLS Secrets whose certificate expires within this many days (or has expired)'
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand --list-rules 'Print the rule catalogue instead of checking (text, json or markdown)'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubeward;cluster'= {
            cand -f 'The cluster spec (cluster.yaml, kind SecureCluster)'
            cand --file 'The cluster spec (cluster.yaml, kind SecureCluster)'
            cand -o 'The folder to write the files into: the API server''s encryption, audit and admission configuration, kubeadm''s configuration, and a README saying where each goes'
            cand --output 'The folder to write the files into: the API server''s encryption, audit and admission configuration, kubeadm''s configuration, and a README saying where each goes'
            cand --state 'The state folder that keeps the secretbox keys [default: .kubeward beside the spec]'
            cand --rotate 'Move a rotation one step on: `encryption-key` rotates the secretbox key in the six steps the Kubernetes documentation orders, one per run'
            cand --color 'When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always, never'
            cand --force 'Write into a folder that holds files kubeward did not write'
            cand -q 'Print nothing on stderr but errors and warnings'
            cand --quiet 'Print nothing on stderr but errors and warnings'
            cand --deny-warnings 'Make every warning an error (exit 2, nothing written), for CI'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubeward;help'= {
            cand render 'Render the hardened bundle for a service'
            cand explain 'Explain every decision of the plan: the answer that caused it, the threat it counters, its references'
            cand graph 'Draw the traffic the NetworkPolicies allow (of a service, or of manifests in PATH)'
            cand diff-presets 'Show what changes for a service between two presets (decisions and objects)'
            cand init 'Describe a service by answering questions (or by flags), write kubeward.yaml and render it'
            cand schema 'Print the JSON Schema (draft-07) of kubeward.yaml or of a preset file, for editors'
            cand completions 'Print the completion script for a shell'
            cand man 'Print the man page (roff) of kubeward or of one of its commands'
            cand presets 'List, show and validate presets'
            cand templates 'Export the shipped templates, to override some of them'
            cand check 'Audit Kubernetes manifests (any, not only kubeward''s) against the hardening rules'
            cand cluster 'Render the control plane''s encryption, audit, admission and kubeadm configuration for a cluster spec (kind SecureCluster)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubeward;help;render'= {
        }
        &'kubeward;help;explain'= {
        }
        &'kubeward;help;graph'= {
        }
        &'kubeward;help;diff-presets'= {
        }
        &'kubeward;help;init'= {
        }
        &'kubeward;help;schema'= {
        }
        &'kubeward;help;completions'= {
        }
        &'kubeward;help;man'= {
        }
        &'kubeward;help;presets'= {
            cand list 'List the shipped presets and those of the presets folder'
            cand show 'Print a preset as written, or resolved with the preset that set each value'
            cand validate 'Check preset files (their whole chain, floors and templates); exits 2 if any is invalid'
        }
        &'kubeward;help;presets;list'= {
        }
        &'kubeward;help;presets;show'= {
        }
        &'kubeward;help;presets;validate'= {
        }
        &'kubeward;help;templates'= {
            cand export 'Write the shipped templates into DIR, as a starting point for overrides'
        }
        &'kubeward;help;templates;export'= {
        }
        &'kubeward;help;check'= {
        }
        &'kubeward;help;cluster'= {
        }
        &'kubeward;help;help'= {
        }
    ]
    $completions[$command]
}
