//! The output of a system: one folder per namespace holding what its services share (the
//! Namespace, its default deny, quota and trust bundle: written once, so they must be the same
//! from every service) and the policies of its pods that are not services of the system, and
//! below it one folder per service; a `kustomization.yaml` at each level, the top one building
//! the whole system. What namespaces outside the system need goes to `_peers/<namespace>/`,
//! each with a kustomization of its own, and none of it into the system's.

use std::collections::BTreeMap;

use super::{Manifest, kustomization};
use crate::output::OutFile;
use crate::plan::{PEERS_DIR, Placement};

/// The rendered objects of one service of the system.
pub struct ServiceFiles {
    /// How the service is named in messages: its spec file.
    pub origin: String,
    pub namespace: String,
    pub name: String,
    pub objects: Vec<Placed>,
}

/// One rendered object: where it goes, and its file.
pub struct Placed {
    pub placement: Placement,
    pub namespace: String,
    pub file: OutFile,
}

/// The objects of `manifests`, each with its place (the parsed values are not kept).
pub fn placed(manifests: Vec<Manifest>) -> Vec<Placed> {
    manifests
        .into_iter()
        .map(|m| Placed {
            placement: m.object.placement,
            namespace: m
                .object
                .namespace
                .clone()
                .unwrap_or_else(|| m.object.name.clone()),
            file: OutFile {
                name: m.object.file_name(),
                content: m.text,
                secret: m.object.secret,
            },
        })
        .collect()
}

/// A folder's files in the order they are first planned, each once, with who planned it first.
#[derive(Default)]
struct Shared {
    files: Vec<OutFile>,
    first: BTreeMap<String, (usize, String)>,
}

impl Shared {
    /// Adds `file` from `origin`; the conflict when another service planned a different file
    /// under the same name.
    fn add(&mut self, folder: &str, file: OutFile, origin: &str) -> Option<String> {
        match self.first.get(&file.name) {
            Some((index, first)) if self.files[*index].content != file.content => Some(format!(
                "{first} and {origin} render {folder}{} differently: the services of one namespace share it, so their presets must agree on it",
                file.name
            )),
            Some(_) => None,
            None => {
                self.first
                    .insert(file.name.clone(), (self.files.len(), origin.to_string()));
                self.files.push(file);
                None
            }
        }
    }
}

#[derive(Default)]
struct Namespace {
    shared: Shared,
    services: BTreeMap<String, Vec<OutFile>>,
}

/// The system's folders, every object in its place.
pub struct Layout {
    namespaces: BTreeMap<String, Namespace>,
    outside: BTreeMap<String, Shared>,
}

impl Layout {
    /// Lays out the services' objects; the conflicts between services of one namespace that
    /// render one of its shared objects differently.
    pub fn new(services: Vec<ServiceFiles>) -> Result<Layout, Vec<String>> {
        let mut namespaces: BTreeMap<String, Namespace> = BTreeMap::new();
        let mut outside: BTreeMap<String, Shared> = BTreeMap::new();
        let mut conflicts = Vec::new();
        for service in services {
            let mut own = Vec::new();
            for object in service.objects {
                let conflict = match object.placement {
                    Placement::Service => {
                        own.push(object.file);
                        None
                    }
                    Placement::Namespace => namespaces
                        .entry(object.namespace.clone())
                        .or_default()
                        .shared
                        .add(
                            &format!("{}/", object.namespace),
                            object.file,
                            &service.origin,
                        ),
                    Placement::Outside => outside.entry(object.namespace.clone()).or_default().add(
                        &format!("{PEERS_DIR}/{}/", object.namespace),
                        object.file,
                        &service.origin,
                    ),
                };
                conflicts.extend(conflict);
            }
            namespaces
                .entry(service.namespace)
                .or_default()
                .services
                .insert(service.name, own);
        }
        if conflicts.is_empty() {
            Ok(Layout {
                namespaces,
                outside,
            })
        } else {
            Err(conflicts)
        }
    }

    /// The namespaces outside the system that have files of their own under `_peers/`.
    pub fn outside_namespaces(&self) -> Vec<&str> {
        self.outside.keys().map(String::as_str).collect()
    }

    /// Every file of the output folder, by its path in it.
    pub fn files(self) -> Vec<OutFile> {
        let mut files = Vec::new();
        let under = |folder: &str, file: OutFile| OutFile {
            name: format!("{folder}/{}", file.name),
            ..file
        };
        let top: Vec<String> = self.namespaces.keys().cloned().collect();
        for (namespace, folder) in self.namespaces {
            let mut resources: Vec<String> =
                folder.shared.files.iter().map(|f| f.name.clone()).collect();
            for (name, own) in folder.services {
                let listed: Vec<String> = own.iter().map(|f| f.name.clone()).collect();
                let path = format!("{namespace}/{name}");
                files.extend(own.into_iter().map(|f| under(&path, f)));
                files.push(under(&path, kustomization(&listed)));
                resources.push(name);
            }
            files.extend(
                folder
                    .shared
                    .files
                    .into_iter()
                    .map(|f| under(&namespace, f)),
            );
            files.push(under(&namespace, kustomization(&resources)));
        }
        files.push(kustomization(&top));
        for (namespace, folder) in self.outside {
            let path = format!("{PEERS_DIR}/{namespace}");
            let listed: Vec<String> = folder.files.iter().map(|f| f.name.clone()).collect();
            files.extend(folder.files.into_iter().map(|f| under(&path, f)));
            files.push(under(&path, kustomization(&listed)));
        }
        files
    }

    /// The system as one stream, in the kustomization's order, one namespace at a time: each
    /// namespace's shared objects, then its services'. What is for namespaces outside the
    /// system is left out.
    pub fn stream(&self) -> impl Iterator<Item = String> + '_ {
        self.namespaces.values().map(|folder| {
            let own = folder.services.values().flatten();
            let files: Vec<&OutFile> = folder.shared.files.iter().chain(own).collect();
            let mut stream = String::with_capacity(files.iter().map(|f| f.content.len() + 4).sum());
            for file in files {
                stream.push_str("---\n");
                stream.push_str(&file.content);
            }
            stream
        })
    }
}
