//! The recommended labels (`app.kubernetes.io/part-of`, `component`, `instance`, `version`)
//! every object of the service carries besides its name. Never in a selector: a Deployment's
//! selector cannot change, so a version there would make every upgrade fail to apply.

use std::collections::BTreeMap;

use crate::preset::Preset;
use crate::spec::names::label_value;
use crate::validate::Service;

pub const PART_OF_LABEL: &str = "app.kubernetes.io/part-of";
pub const COMPONENT_LABEL: &str = "app.kubernetes.io/component";
pub const INSTANCE_LABEL: &str = "app.kubernetes.io/instance";
pub const VERSION_LABEL: &str = "app.kubernetes.io/version";

/// The recommended labels of the service: those its spec (or preset) gives, and the version
/// from the image's tag when the preset writes it.
pub(super) fn recommended(service: &Service, preset: &Preset) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    for (key, value) in [
        (PART_OF_LABEL, &service.part_of),
        (COMPONENT_LABEL, &service.component),
        (INSTANCE_LABEL, &service.instance),
    ] {
        if let Some(value) = value {
            labels.insert(key.to_string(), value.clone());
        }
    }
    // A tag that is no label value (longer than 63 characters, or ending in '.', '-', '_')
    // gets no version label rather than a label the API server would refuse.
    let tag = service.image_ref.tag.as_deref();
    if let Some(tag) =
        tag.filter(|tag| preset.recommended_labels.version && label_value(tag).is_ok())
    {
        labels.insert(VERSION_LABEL.to_string(), tag.to_string());
    }
    labels
}
