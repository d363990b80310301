//! The folders a spec makes writable (`spec.writablePaths`): each an emptyDir mounted where
//! the kubelet can mount it without hiding or exposing another mount, and all of them, with
//! `/tmp`, within the container's ephemeral-storage limit.

use super::problems::Problems;
use crate::preset::Preset;
use crate::spec::ServiceSpec;
use crate::spec::names::quantity_value;
use crate::vocabulary::TOKEN_MOUNT_PATH;

const MEBIBYTE: f64 = 1024.0 * 1024.0;

/// Folders the container runtime owns: an emptyDir over them breaks the container.
const RUNTIME_PATHS: &[&str] = &["/dev", "/proc", "/sys"];

/// Whether `inner` is `outer` or a folder inside it.
fn within(inner: &str, outer: &str) -> bool {
    inner == outer
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// An absolute, normalised path: what the kubelet mounts exactly where it is written.
fn normalised(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!(
            "`{path}` is relative: give the absolute path the application writes, e.g. /var/cache/nginx"
        ));
    }
    if path == "/" {
        return Err("`/` is the whole root filesystem: name the folders the application writes, so the rest stays read-only".into());
    }
    if path.chars().any(|c| c.is_control() || c == '\\') {
        return Err(format!(
            "`{}` holds a control character or a backslash",
            path.escape_debug()
        ));
    }
    let parts: Vec<&str> = path[1..].split('/').collect();
    if parts.contains(&"..") {
        return Err(format!(
            "`{path}` contains `..`: write the folder it leads to"
        ));
    }
    if parts.iter().any(|part| part.is_empty() || *part == ".") {
        return Err(format!(
            "`{path}` is not normalised (an empty part, `.` or a trailing `/`): write it as `/{}`",
            parts
                .iter()
                .filter(|part| !part.is_empty() && **part != ".")
                .copied()
                .collect::<Vec<_>>()
                .join("/")
        ));
    }
    Ok(())
}

/// Checks each writable path and returns them, in the order written.
pub(super) fn validate_writable_paths(
    p: &mut Problems,
    spec: &ServiceSpec,
    preset: &Preset,
) -> Vec<String> {
    let tmp = preset.writable_tmp.mount_path.as_str();
    let mounts = [
        (
            preset.secrets_mount_path.as_str(),
            "the secrets mount (the preset's secretsMountPath)",
        ),
        (TOKEN_MOUNT_PATH, "the API token's mount"),
    ];
    let mut accepted: Vec<(usize, &str)> = Vec::new();
    for (index, path) in spec.writable_paths.iter().enumerate() {
        let field = format!("spec.writablePaths[{index}]");
        if let Err(message) = normalised(path) {
            p.add(field, message);
            continue;
        }
        let problem = if within(path, tmp) {
            let place = if path == tmp {
                String::new()
            } else {
                format!(" is inside `{tmp}`, which")
            };
            Some(format!(
                "`{path}`{place} is always writable (the preset's writableTmp): leave it out"
            ))
        } else if within(tmp, path) {
            Some(format!(
                "`{path}` contains `{tmp}`, which has its own emptyDir (the preset's writableTmp): name a folder beside it"
            ))
        } else if let Some(runtime) = RUNTIME_PATHS
            .iter()
            .find(|runtime| within(path, runtime) || within(runtime, path))
        {
            Some(format!(
                "`{path}` overlaps `{runtime}`, which the container runtime provides: an emptyDir there breaks the container"
            ))
        } else if let Some((mount, what)) = mounts.iter().find(|(mount, _)| within(path, mount)) {
            Some(format!(
                "`{path}` is inside `{mount}`, {what}: a writable folder there would hide or sit beside the mounted files"
            ))
        } else if let Some((mount, what)) = mounts.iter().find(|(mount, _)| within(mount, path)) {
            Some(format!(
                "`{path}` contains `{mount}`, {what}: the mounted files would sit in a folder the application can write (and plant files beside); name a folder that does not contain it (a pid file can go under {tmp})"
            ))
        } else if let Some((other, _)) = accepted
            .iter()
            .find(|(_, other)| within(path, other) || within(other, path))
        {
            let other_path = &spec.writable_paths[*other];
            Some(if other_path == path {
                format!(
                    "`{path}` is given twice (spec.writablePaths[{other}]): give each folder once"
                )
            } else if within(path, other_path) {
                format!(
                    "`{path}` is inside `{other_path}` (spec.writablePaths[{other}]), already writable: leave it out"
                )
            } else {
                format!(
                    "`{path}` contains `{other_path}` (spec.writablePaths[{other}]): give only the outer folder"
                )
            })
        } else {
            None
        };
        match problem {
            Some(message) => p.add(field, message),
            None => accepted.push((index, path)),
        }
    }
    if accepted.len() == spec.writable_paths.len() && !accepted.is_empty() {
        fits_ephemeral_storage(p, spec, preset);
    }
    spec.writable_paths.clone()
}

/// The emptyDirs count against the pod's ephemeral storage: if their size limits add up to
/// more than the container's limit, the kubelet evicts the pod before any of them is full.
fn fits_ephemeral_storage(p: &mut Problems, spec: &ServiceSpec, preset: &Preset) {
    let limits = preset.resources.limits.overridden_by(
        spec.resources
            .as_ref()
            .and_then(|resources| resources.limits.as_ref()),
    );
    let each = &preset.writable_path_size_limit;
    let tmp = &preset.writable_tmp.size_limit;
    let (Some(limit_text), Some(each_value), Some(tmp_value)) = (
        limits.ephemeral_storage.as_deref(),
        quantity_value(each),
        quantity_value(tmp),
    ) else {
        return;
    };
    let Some(limit_value) = quantity_value(limit_text) else {
        return;
    };
    let count = spec.writable_paths.len();
    let total = tmp_value + each_value * count as f64;
    if total > limit_value {
        p.add(
            "spec.writablePaths",
            format!(
                "{count} writable path(s) of {each} each and {} of {tmp}, {}Mi in all, need more than the container's ephemeral-storage limit {limit_text}: the kubelet would evict the pod before a folder is full; raise spec.resources.limits.ephemeralStorage to that, or write fewer folders",
                preset.writable_tmp.mount_path,
                (total / MEBIBYTE).ceil()
            ),
        );
    }
}
