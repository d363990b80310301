#!/usr/bin/env python3
"""Unseals every SealedSecret in YAML files as the Sealed Secrets controller does, written
independently of kubeward (Python `cryptography`, on OpenSSL), after the controller's
`pkg/crypto/crypto.go` (HybridDecrypt) and `sealedsecret_expansion.go` (Unseal, labelFor).

Usage: unseal.py PRIVATE_KEY.pem FILE...

Prints one JSON object: for each SealedSecret, "namespace/name" -> {"type", "labels",
"annotations", "data": {key: base64 of the unsealed bytes}}, the Secret the controller would
create. Exits 1 (with the reason on stderr) when any value does not unseal.
"""

import base64
import binascii
import json
import sys

import yaml
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CLUSTER_WIDE = "sealedsecrets.bitnami.com/cluster-wide"
NAMESPACE_WIDE = "sealedsecrets.bitnami.com/namespace-wide"


def label_for(metadata):
    """The label the controller decrypts with: from the SealedSecret's own metadata."""
    annotations = metadata.get("annotations") or {}
    if annotations.get(CLUSTER_WIDE) == "true":
        return b""
    if annotations.get(NAMESPACE_WIDE) == "true":
        return metadata["namespace"].encode()
    return ("%s/%s" % (metadata["namespace"], metadata["name"])).encode()


def hybrid_decrypt(private_key, ciphertext, label):
    if len(ciphertext) < 2:
        raise ValueError("too short")
    rsa_len = int.from_bytes(ciphertext[:2], "big")
    if len(ciphertext) < rsa_len + 2:
        raise ValueError("too short for its RSA part")
    session_key = private_key.decrypt(
        ciphertext[2 : rsa_len + 2],
        padding.OAEP(
            mgf=padding.MGF1(algorithm=hashes.SHA256()),
            algorithm=hashes.SHA256(),
            label=label,
        ),
    )
    if len(session_key) != 32:
        raise ValueError("the session key is %d bytes, not 32" % len(session_key))
    return AESGCM(session_key).decrypt(b"\0" * 12, ciphertext[rsa_len + 2 :], None)


def main(argv):
    with open(argv[1], "rb") as f:
        private_key = serialization.load_pem_private_key(f.read(), password=None)
    unsealed, failures = {}, []
    for path in argv[2:]:
        with open(path) as f:
            docs = [d for d in yaml.safe_load_all(f) if d]
        for doc in docs:
            if doc.get("kind") != "SealedSecret":
                continue
            assert doc["apiVersion"] == "bitnami.com/v1alpha1", doc["apiVersion"]
            metadata = doc["metadata"]
            identity = "%s/%s" % (metadata["namespace"], metadata["name"])
            label = label_for(metadata)
            template = doc["spec"].get("template") or {}
            tmeta = template.get("metadata") or {}
            data = {}
            for key, value in doc["spec"]["encryptedData"].items():
                try:
                    raw = base64.b64decode(value, validate=True)
                    data[key] = base64.b64encode(hybrid_decrypt(private_key, raw, label)).decode()
                except (ValueError, binascii.Error) as e:
                    failures.append("%s %s: %r" % (identity, key, e))
                except Exception as e:  # cryptography's InvalidTag and friends
                    failures.append("%s %s: %s" % (identity, key, type(e).__name__))
            unsealed[identity] = {
                "type": template.get("type", "Opaque"),
                "labels": tmeta.get("labels") or {},
                "annotations": tmeta.get("annotations") or {},
                "data": data,
            }
    json.dump(unsealed, sys.stdout, indent=1, sort_keys=True)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
