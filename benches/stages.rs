//! Criterion benchmarks of the library stages for the typical service of
//! `benches/typical/kubeward.yaml`, with its state folder already filled (a re-render):
//! load and validate, plan, material, render (with the invariant checks), the whole pipeline
//! (with the self-check), and the one-time cost of parsing the templates; then the whole
//! pipeline sealed for a 4096-bit controller key (the controller's default), with every sealed
//! value reused from the state folder, and with every value sealed anew (a first render, or a
//! new certificate). `scripts/bench.sh` times the binary itself.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use kubeward::material::trust::CaCache;
use kubeward::material::{self, Sources};
use kubeward::pipeline::{self, Input};
use kubeward::spec::flags::SpecFlags;
use kubeward::validate::Overrides;
use kubeward::{plan, render};

/// A copy of the typical spec in a temporary folder, rendered once with `flags` so its state
/// exists.
fn typical(flags: &SpecFlags) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("kubeward.yaml");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/typical/kubeward.yaml");
    std::fs::copy(source, &spec).expect("copy the typical spec");
    pipeline::render(&input(&spec, flags)).expect("the typical spec renders");
    (dir, spec)
}

/// A Sealed Secrets controller's certificate for a new 4096-bit RSA key, made by openssl.
fn controller_certificate(dir: &Path) -> PathBuf {
    let cert = dir.join("sealed-secrets.pem");
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:4096", "-nodes", "-days", "30",
        ])
        .args(["-subj", "/CN=sealed-secret", "-keyout"])
        .arg(dir.join("sealed-secrets.key"))
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl runs");
    assert!(made.status.success(), "{made:?}");
    cert
}

fn input<'a>(spec: &'a Path, flags: &'a SpecFlags) -> Input<'a> {
    Input {
        file: Some(spec),
        flags,
        overrides: Overrides::default(),
        state_dir: None,
        rotate: &[],
        presets: Default::default(),
        templates: None,
        allow_template_override: &[],
        annotate: false,
        api_server_cidrs: &[],
    }
}

/// What gathering needs for the spec in `base_dir`, its state beside it.
fn sources<'a>(base_dir: &'a Path, cas: &'a CaCache) -> Sources<'a> {
    Sources {
        base_dir,
        state_dir: base_dir.join(kubeward::material::state::DEFAULT_DIR),
        rotate: &[],
        now: time::OffsetDateTime::now_utc(),
        cas,
    }
}

fn stages(c: &mut Criterion) {
    let flags = SpecFlags::default();
    let (_dir, spec) = typical(&flags);
    let input = input(&spec, &flags);
    let member = pipeline::load_service(&input).unwrap();
    let (service, preset, base_dir) = (member.service, member.preset, member.base_dir);
    let plan = plan::plan(&service, &preset.preset);
    let shared = CaCache::default();
    let material = material::gather(&service, &plan, &sources(&base_dir, &shared)).unwrap();

    c.bench_function("templates: parse all (once per process)", |b| {
        b.iter(|| {
            black_box(render::Templates::default().engine().unwrap());
        })
    });
    c.bench_function("load + validate", |b| {
        b.iter(|| pipeline::load_service(black_box(&input)).unwrap())
    });
    c.bench_function("plan", |b| {
        b.iter(|| plan::plan(black_box(&service), black_box(&preset.preset)))
    });
    c.bench_function("material, existing state, CA loaded", |b| {
        b.iter(|| {
            material::gather(&service, &plan, &sources(&base_dir, &CaCache::default())).unwrap()
        })
    });
    c.bench_function("material, existing state, CA cached (batch)", |b| {
        b.iter(|| material::gather(&service, &plan, &sources(&base_dir, &shared)).unwrap())
    });
    c.bench_function("render (templates parsed)", |b| {
        let shipped = render::Templates::default();
        b.iter(|| {
            render::render(black_box(&plan), black_box(&material), &shipped, &[], false).unwrap()
        })
    });
    c.bench_function("whole pipeline, existing state", |b| {
        b.iter(|| pipeline::render(black_box(&input)).unwrap())
    });
}

fn sealing(c: &mut Criterion) {
    let keys = tempfile::tempdir().expect("temp dir");
    let flags = SpecFlags {
        seal_cert: Some(
            controller_certificate(keys.path())
                .to_string_lossy()
                .into_owned(),
        ),
        ..SpecFlags::default()
    };
    let (dir, spec) = typical(&flags);
    let input = input(&spec, &flags);
    let sealed = dir.path().join(".kubeward/payments/sealed");
    c.bench_function("whole pipeline, sealed, every sealed value reused", |b| {
        b.iter(|| pipeline::render(black_box(&input)).unwrap())
    });
    c.bench_function("whole pipeline, sealed, every value sealed anew", |b| {
        b.iter_batched(
            || std::fs::remove_dir_all(&sealed).unwrap(),
            |()| pipeline::render(black_box(&input)).unwrap(),
            BatchSize::PerIteration,
        )
    });
}

criterion_group!(benches, stages, sealing);
criterion_main!(benches);
