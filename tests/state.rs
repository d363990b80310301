//! The state folder under concurrency and interruption, through the binary: renders started
//! together agree, a render waits (and says so) for the process that holds the folder's lock,
//! and a render killed at any moment leaves every material set as it was or complete.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::run::binary;

/// A service with a CA, a leaf certificate and two generated secrets in its state.
const SPEC_BODY: &str = "  protocol: https\n  tls: { mode: self-signed }\n  secrets:\n    - name: token\n      generate: {}\n    - name: db-password\n      generate: { length: 40 }\n";

/// The material sets of that service's state: files that are written together (the one
/// trust's root, the namespace's CA under it, the service's own).
const SETS: &[&[&str]] = &[
    &["trust/ca.crt", "trust/ca.key"],
    &["trust/shop/ca.crt", "trust/shop/ca.key"],
    &[
        "shop/api/certs/api-tls.crt",
        "shop/api/certs/api-tls.key",
        "shop/api/certs/api-tls.ca",
    ],
    &["shop/api/secrets/token"],
    &["shop/api/secrets/db-password"],
    &["shop/api/rollout-key"],
];

/// How many files the sets hold.
fn all_files() -> usize {
    SETS.iter().map(|set| set.len()).sum()
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        &dir.path().join("kubeward.yaml"),
        common::spec::api_spec(SPEC_BODY),
    );
    dir
}

/// `kubeward render -f kubeward.yaml` in `dir`, not yet started, its output piped.
fn render(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(binary());
    command
        .current_dir(dir)
        .env_remove("KUBEWARD_REQUIRED_PRESET")
        .args(["render", "-f", "kubeward.yaml"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Renders to its end and returns stdout; panics unless it succeeded.
fn render_ok(dir: &Path, args: &[&str]) -> String {
    let output = render(dir, args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "render failed: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

fn state(dir: &Path) -> PathBuf {
    dir.join(".kubeward")
}

#[test]
fn twelve_renders_started_together_on_fresh_state_print_one_bundle_and_keep_it() {
    let dir = project();
    let children: Vec<Child> = (0..12)
        .map(|_| render(dir.path(), &[]).spawn().unwrap())
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for output in &outputs {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let first = &outputs[0].stdout;
    assert!(
        String::from_utf8_lossy(first).contains("kind: Secret"),
        "the bundle holds the material"
    );
    for (index, output) in outputs.iter().enumerate() {
        assert!(
            output.stdout == *first,
            "render {index} printed another bundle"
        );
    }
    let again = render_ok(dir.path(), &[]);
    assert!(
        again.as_bytes() == first.as_slice(),
        "the state left behind renders the same bundle"
    );
    assert_eq!(
        material(&state(dir.path())).len(),
        all_files(),
        "every set kept"
    );
}

#[test]
fn a_render_waits_for_the_process_that_holds_the_state_folder_and_says_so() {
    let dir = project();
    let before = render_ok(dir.path(), &[]);
    // This test process holds the lock, as another kubeward would, and names itself in it.
    let mut lock = fs::OpenOptions::new()
        .write(true)
        .open(state(dir.path()).join(".lock"))
        .unwrap();
    lock.lock().unwrap();
    lock.set_len(0).unwrap();
    write!(lock, "{}", std::process::id()).unwrap();
    let mut child = render(dir.path(), &["--rotate", "token"]).spawn().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let waited = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).unwrap();
        text
    });
    sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "render goes on while another process holds the state folder"
    );
    assert_eq!(
        fs::read(state(dir.path()).join("shop/api/secrets/token")).unwrap(),
        token(&before),
        "nothing is rotated while waiting"
    );
    drop(lock);
    let status = child.wait().unwrap();
    let stderr = waited.join().unwrap();
    assert!(status.success(), "{stderr}");
    let expected = format!(
        "kubeward: waiting for the state folder {} held by another kubeward (process {})",
        fs::canonicalize(state(dir.path())).unwrap().display(),
        std::process::id()
    );
    assert!(stderr.contains(&expected), "{stderr}");
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    assert_ne!(token(&stdout), token(&before), "rotated once released");
    assert_eq!(render_ok(dir.path(), &[]), stdout, "and kept");
}

/// The token Secret's value in a bundle, decoded.
fn token(bundle: &str) -> Vec<u8> {
    use base64::Engine;
    let objects: Vec<serde_json::Value> = serde_saphyr::from_multiple(bundle).unwrap();
    let secret = common::bundle::find(&objects, "Secret", "api-token");
    base64::engine::general_purpose::STANDARD
        .decode(secret["data"]["value"].as_str().unwrap())
        .unwrap()
}

/// The state's material files as a reader holding the lock sees them: a file a journal will
/// still rename into place counts as there, with the journal's content.
fn material(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for file in SETS.iter().flat_map(|set| set.iter()) {
        if let Ok(bytes) = fs::read(root.join(file)) {
            files.insert(file.to_string(), bytes);
        }
    }
    for entry in fs::read_dir(root).into_iter().flatten().flatten() {
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with(".kubeward-commit-")
        {
            continue;
        }
        for line in fs::read_to_string(entry.path()).unwrap().lines() {
            let (temp, path) = line.split_once('\t').expect("a journal line");
            if let Ok(bytes) = fs::read(root.join(temp)) {
                files.insert(path.to_string(), bytes);
            }
        }
    }
    files
}

/// Panics when a material set is partly there.
fn assert_untorn(files: &BTreeMap<String, Vec<u8>>, when: &str) {
    for set in SETS {
        let present = set.iter().filter(|f| files.contains_key(**f)).count();
        assert!(
            present == 0 || present == set.len(),
            "{when}: torn set {set:?}: only {present} of its files"
        );
    }
}

/// Renders with `args`, killed (SIGKILL) `delay` after it started, or left to finish first.
fn render_killed_after(dir: &Path, args: &[&str], delay: Duration) {
    let mut child = render(dir, args).spawn().unwrap();
    let start = Instant::now();
    while start.elapsed() < delay {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        sleep(Duration::from_micros(500));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// How long one render takes here, fresh state: the range the kills are spread over.
fn fresh_render_time() -> Duration {
    let dir = project();
    let start = Instant::now();
    render_ok(dir.path(), &[]);
    start.elapsed()
}

#[test]
fn a_render_killed_at_any_moment_leaves_each_material_set_as_it_was_or_complete() {
    let span = fresh_render_time().mul_f64(1.2);
    let points = 30;
    let mut killed_with_some = 0;
    for point in 0..points {
        let delay = span.mul_f64(f64::from(point) / f64::from(points));
        // Fresh state, and a complete state whose token is rotated on purpose.
        for rotate in [false, true] {
            let dir = project();
            let args: &[&str] = if rotate { &["--rotate", "token"] } else { &[] };
            let before = if rotate {
                render_ok(dir.path(), &[]);
                material(&state(dir.path()))
            } else {
                BTreeMap::new()
            };
            render_killed_after(dir.path(), args, delay);
            let when = format!("killed after {delay:?}, rotate {rotate}");
            let left = material(&state(dir.path()));
            assert_untorn(&left, &when);
            for (file, bytes) in &before {
                let rotated = file.ends_with("/token");
                assert!(
                    left.get(file) == Some(bytes) || rotated && left.contains_key(file),
                    "{when}: {file} lost or changed"
                );
            }
            if !left.is_empty() && left.len() < all_files() {
                killed_with_some += 1;
            }
            // The next render takes the state as it is, and keeps what was complete.
            let next = render_ok(dir.path(), &[]);
            let after = material(&state(dir.path()));
            assert_eq!(after.len(), all_files(), "{when}: every set kept");
            for (file, bytes) in &left {
                assert!(after.get(file) == Some(bytes), "{when}: {file} replaced");
            }
            assert_eq!(render_ok(dir.path(), &[]), next, "{when}: stable");
            let leftovers: Vec<String> = walk(&state(dir.path()))
                .into_iter()
                .filter(|p| p.contains(".kubeward-"))
                .collect();
            assert!(leftovers.is_empty(), "{when}: left behind {leftovers:?}");
        }
    }
    assert!(
        killed_with_some > 0,
        "no kill landed while the state was being written"
    );
}

/// Every file under `dir`, relative, sorted.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in fs::read_dir(&next).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn cluster_runs_started_together_on_fresh_state_agree_on_the_encryption_key() {
    let dir = tempfile::tempdir().unwrap();
    common::write(&dir.path().join("cluster.yaml"), common::cluster::CONTRACT);
    let children: Vec<Child> = (0..8)
        .map(|i| {
            Command::new(binary())
                .current_dir(dir.path())
                .args(["cluster", "-f", "cluster.yaml", "-o", &format!("out-{i}")])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let config =
        |i: usize| fs::read(dir.path().join(format!("out-{i}/encryption-config.yaml"))).unwrap();
    for i in 1..8 {
        assert!(config(i) == config(0), "run {i} wrote another key");
    }
    let record = common::read_path(&state(dir.path()).join("_clusters/prod/encryption-keys.json"));
    let text = String::from_utf8(config(0)).unwrap();
    let secret = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("secret: "))
        .expect("a secretbox key")
        .trim_matches('"');
    assert!(
        record.contains(secret),
        "the state keeps the key every run wrote"
    );
}
