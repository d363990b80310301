//! The secretbox keys of a cluster, kept in the state folder (`_clusters/<name>/`, a name no
//! namespace can take), and their rotation as the Kubernetes documentation orders it: six
//! explicit steps, one per `--rotate encryption-key` run, the state recording the last step
//! done. kubeward performs steps 1, 3 and 6 (the keys change); steps 2, 4 and 5 are the
//! operator's (restarts, rewriting every Secret), and a run records that they are done.
//! Key values are never printed.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::material::random_bytes;
use crate::material::state::State;

/// The length of a secretbox key.
pub const KEY_BYTES: usize = 32;
/// How many steps a rotation has.
pub const STEPS: u8 = 6;

/// One secretbox key: its name (part of every value it encrypts, `k8s:enc:secretbox:v1:<name>:`)
/// and its secret, base64 as the configuration holds it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Key {
    pub name: String,
    pub secret: String,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("name", &self.name)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A rotation under way: the keys it moves from and to, and the last step done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Rotation {
    pub step: u8,
    pub old_key: String,
    pub new_key: String,
}

/// What the state folder keeps for a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Keys {
    /// In the order the configuration lists them: the first encrypts, every one decrypts.
    pub keys: Vec<Key>,
    /// The number of the next key generated (`key-<n>`); names are never reused.
    pub next_key: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<Rotation>,
}

/// The state file of a cluster's keys.
fn file(cluster: &str) -> String {
    format!("_clusters/{cluster}/encryption-keys.json")
}

fn new_key(number: u32) -> Result<Key, Error> {
    Ok(Key {
        name: format!("key-{number}"),
        secret: STANDARD.encode(random_bytes(KEY_BYTES)?),
    })
}

/// The keys kept for `cluster`, if any, without creating anything.
pub fn kept(state: &State, cluster: &str) -> Result<Option<Keys>, Error> {
    let relative = file(cluster);
    let Some(text) = state.read_text(&relative)? else {
        return Ok(None);
    };
    let keys: Keys = serde_json::from_str(&text)
        .map_err(|_| state.corrupt(&relative, "is not kubeward's record of encryption keys"))?;
    keys.consistent()
        .map_err(|why| state.corrupt(&relative, &why))?;
    Ok(Some(keys))
}

/// The keys of `cluster` for this run: the kept ones, a first key when there are none, and
/// with `rotate` the rotation moved one step on. Nothing is written: the caller keeps the
/// result with [`keep`] once the files that use it are ready.
pub fn for_run(state: &State, cluster: &str, rotate: bool) -> Result<Keys, Error> {
    match (kept(state, cluster)?, rotate) {
        (None, false) => Ok(Keys {
            keys: vec![new_key(1)?],
            next_key: 2,
            rotation: None,
        }),
        (None, true) => Err(Error::Usage(format!(
            "--rotate encryption-key: cluster `{cluster}` has no encryption key yet in {}; render it once without --rotate, install it, and rotate later",
            state.root().display()
        ))),
        (Some(keys), false) => Ok(keys),
        (Some(keys), true) => keys.advance(),
    }
}

/// Keeps `keys` in the state folder (mode 0600); a record that holds them already is left
/// alone.
pub fn keep(state: &State, cluster: &str, keys: &Keys) -> Result<(), Error> {
    let mut text = serde_json::to_string_pretty(keys).expect("plain data serializes");
    text.push('\n');
    let relative = file(cluster);
    if state.read(&relative)?.as_deref() == Some(text.as_bytes()) {
        return Ok(());
    }
    state.write(&relative, text.as_bytes())
}

impl Keys {
    /// Moves the rotation one step on (or starts one).
    fn advance(mut self) -> Result<Keys, Error> {
        match self.rotation.clone() {
            None => {
                let old = self.keys[0].name.clone();
                let new = new_key(self.next_key)?;
                self.rotation = Some(Rotation {
                    step: 1,
                    old_key: old,
                    new_key: new.name.clone(),
                });
                self.keys = vec![self.keys.remove(0), new];
                self.next_key += 1;
            }
            Some(mut rotation) => {
                rotation.step += 1;
                match rotation.step {
                    3 => self.keys.swap(0, 1),
                    STEPS => {
                        self.keys.retain(|k| k.name == rotation.new_key);
                    }
                    _ => {}
                }
                self.rotation = (rotation.step < STEPS).then_some(rotation);
            }
        }
        Ok(self)
    }

    /// Why the kept record cannot be what kubeward wrote, if it cannot.
    fn consistent(&self) -> Result<(), String> {
        let names: Vec<&str> = self.keys.iter().map(|k| k.name.as_str()).collect();
        for key in &self.keys {
            let decoded = STANDARD
                .decode(&key.secret)
                .map_err(|_| "holds a key that is not base64".to_string())?;
            if decoded.len() != KEY_BYTES {
                return Err(format!(
                    "holds key `{}` of {} bytes, not {KEY_BYTES}",
                    key.name,
                    decoded.len()
                ));
            }
        }
        let expected: Vec<String> = match &self.rotation {
            None => {
                return (names.len() == 1)
                    .then_some(())
                    .ok_or_else(|| "holds several keys but no rotation".to_string());
            }
            Some(r) if (1..=2).contains(&r.step) => vec![r.old_key.clone(), r.new_key.clone()],
            Some(r) if (3..STEPS).contains(&r.step) => vec![r.new_key.clone(), r.old_key.clone()],
            Some(r) => {
                return Err(format!(
                    "records rotation step {}, which does not exist",
                    r.step
                ));
            }
        };
        (names == expected)
            .then_some(())
            .ok_or_else(|| "lists the keys in an order its rotation step does not".to_string())
    }

    /// The progress of the rotation, for the run's report: `None` when none is under way
    /// and this run did not finish one.
    pub fn progress(&self, rotated: bool) -> Option<Progress> {
        match (&self.rotation, rotated) {
            (Some(r), _) => Some(Progress {
                step: r.step,
                old_key: r.old_key.clone(),
                new_key: r.new_key.clone(),
                this_run: rotated,
            }),
            (None, true) => Some(Progress {
                step: STEPS,
                old_key: String::new(),
                new_key: self.keys[0].name.clone(),
                this_run: true,
            }),
            (None, false) => None,
        }
    }
}

/// Where a rotation stands, and what the operator does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The last step done, 1-6.
    pub step: u8,
    pub old_key: String,
    pub new_key: String,
    /// Whether this run did the step (rather than render where it stands).
    pub this_run: bool,
}

impl Progress {
    /// What the last step did.
    pub fn done(&self) -> String {
        let (old, new) = (&self.old_key, &self.new_key);
        match self.step {
            1 => format!(
                "the new key `{new}` is added second: every API server can decrypt with it, `{old}` still encrypts"
            ),
            2 => "recorded that every kube-apiserver was restarted with the new key added"
                .to_string(),
            3 => format!("`{new}` is moved first: it encrypts, `{old}` still decrypts"),
            4 => "recorded that every kube-apiserver was restarted with the new key first"
                .to_string(),
            5 => format!("recorded that every Secret was rewritten with `{new}`"),
            _ => format!("the old key is removed: `{new}` is the only key"),
        }
    }

    /// What the operator does next.
    pub fn next(&self) -> String {
        let again = "then run `kubeward cluster ... --rotate encryption-key` again";
        let install =
            "install the new encryption-config.yaml on every control-plane node (see README.md)";
        match self.step {
            1 => format!(
                "step 2 of {STEPS}: {install} and restart every kube-apiserver, one at a time, so that each can decrypt with `{}`; {again} to record it",
                self.new_key
            ),
            2 => format!(
                "step 3 of {STEPS}: run `kubeward cluster ... --rotate encryption-key` again to make `{}` the key that encrypts",
                self.new_key
            ),
            3 => format!(
                "step 4 of {STEPS}: {install} and restart every kube-apiserver, so that each encrypts with `{}`; {again} to record it",
                self.new_key
            ),
            4 => format!(
                "step 5 of {STEPS}: rewrite every Secret with the new key, `kubectl get secrets -A -o json | kubectl replace -f -` (and every other resource of spec.encryption.resources), then back up etcd; {again} to record it"
            ),
            5 => format!(
                "step 6 of {STEPS}: run `kubeward cluster ... --rotate encryption-key` again to remove `{}`",
                self.old_key
            ),
            _ => format!("{install} and restart every kube-apiserver: the rotation is complete"),
        }
    }

    /// The report of a run: what was done (or where the rotation stands) and what is next.
    pub fn report(&self) -> String {
        let heading = if self.this_run {
            format!(
                "encryption key rotation, step {} of {STEPS} done",
                self.step
            )
        } else {
            format!(
                "encryption key rotation under way, at step {} of {STEPS}",
                self.step
            )
        };
        format!("{heading}: {}.\nnext: {}.\n", self.done(), self.next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steady() -> Keys {
        Keys {
            keys: vec![new_key(1).unwrap()],
            next_key: 2,
            rotation: None,
        }
    }

    fn names(keys: &Keys) -> Vec<&str> {
        keys.keys.iter().map(|k| k.name.as_str()).collect()
    }

    #[test]
    fn the_rotation_adds_second_moves_first_then_removes_the_old_key() {
        let mut keys = steady();
        let mut seen = Vec::new();
        for _ in 0..STEPS {
            keys = keys.advance().unwrap();
            keys.consistent().unwrap();
            seen.push((
                keys.rotation.as_ref().map(|r| r.step),
                names(&keys).join(","),
            ));
        }
        assert_eq!(
            seen,
            [
                (Some(1), "key-1,key-2".to_string()),
                (Some(2), "key-1,key-2".to_string()),
                (Some(3), "key-2,key-1".to_string()),
                (Some(4), "key-2,key-1".to_string()),
                (Some(5), "key-2,key-1".to_string()),
                (None, "key-2".to_string()),
            ]
        );
        let next = keys.advance().unwrap();
        assert_eq!(
            names(&next),
            ["key-2", "key-3"],
            "a new rotation never reuses a name"
        );
    }

    #[test]
    fn a_record_out_of_order_or_with_a_short_key_is_refused() {
        let mut keys = steady().advance().unwrap();
        keys.keys.swap(0, 1);
        assert!(keys.consistent().unwrap_err().contains("order"));
        let mut short = steady();
        short.keys[0].secret = STANDARD.encode([0u8; 16]);
        assert!(short.consistent().unwrap_err().contains("16 bytes"));
    }

    #[test]
    fn keys_never_show_their_secret() {
        let key = new_key(7).unwrap();
        assert_eq!(STANDARD.decode(&key.secret).unwrap().len(), KEY_BYTES);
        assert!(!format!("{key:?}").contains(&key.secret));
    }
}
