#!/usr/bin/env bash
# The closest bundle kubectl's generators make for the typical service of
# benches/typical/kubeward.yaml, as one stream on stdout. kubectl has no generator for
# NetworkPolicy or security contexts: those parts have no equivalent here.
# Usage: kubectl.sh STATE_DIR (a kubeward state folder of that service: its TLS key pair).
set -euo pipefail
certs=$1/payments/payments-api/certs
args=(-n payments --dry-run=client -o yaml)
kubectl create namespace payments --dry-run=client -o yaml
echo ---
kubectl create serviceaccount payments-api "${args[@]}"
echo ---
kubectl create secret generic payments-api-db-password --from-literal=value=placeholder "${args[@]}"
echo ---
kubectl create secret tls payments-api-tls --cert="$certs/payments-api-tls.crt" \
    --key="$certs/payments-api-tls.key" "${args[@]}"
echo ---
kubectl create service clusterip payments-api --tcp=443:8443 "${args[@]}"
echo ---
kubectl create deployment payments-api --replicas=3 --port=8443 "${args[@]}" \
    --image=ghcr.io/acme/payments-api:1.4.2@sha256:3b2e5f8a9c1d4e7f6a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f
echo ---
kubectl create poddisruptionbudget payments-api --selector=app.kubernetes.io/name=payments-api \
    --max-unavailable=1 "${args[@]}"
