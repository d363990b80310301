//! Who may talk to whom, read from NetworkPolicies: any manifests (a file, a folder, standard
//! input: `read`), their policies analysed into pod groups and the flows they admit
//! (`traffic`), the identities a service mesh admits (`mesh`), and drawn as a Mermaid flowchart or a Graphviz digraph (`diagram`). Used by
//! `kubeward graph`, on a spec's bundle or on manifests kubeward never wrote.

pub mod diagram;
pub mod mesh;
pub mod read;
pub mod traffic;
