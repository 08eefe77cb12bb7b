#!/usr/bin/env bash
# Roll out one app alone: the shared objects (namespace, ConfigMaps, NetworkPolicies), the app's
# migration Job (waited for), then its Deployment, Service, autoscaler and budget. No other
# app's Deployment or Job is touched.
# Usage: deploy/k8s/rollout.sh OVERLAY APP [TAG]
#   OVERLAY  dev | prod (deploy/k8s/overlays/OVERLAY)
#   APP      gateway | identity | patients | scheduling | billing | records
#   TAG      the image tag to deploy; written into the overlay's `images:` line for APP first, so
#            the repository says what runs (commit it).
# Needs kubectl with access to the cluster. A Job's template cannot change, so the previous
# release's migration Job is deleted before the new one is created.
set -euo pipefail
overlay=${1:?overlay (dev|prod)}; app=${2:?app}; tag=${3:-}
dir="$(cd "$(dirname "$0")" && pwd)/overlays/$overlay"
[ -f "$dir/kustomization.yaml" ] || { echo "no overlay at $dir" >&2; exit 2; }
case $app in
  gateway|identity|patients|scheduling|billing|records) ;;
  *) echo "unknown app: $app" >&2; exit 2 ;;
esac
namespace=$(sed -n 's/^namespace: *//p' "$dir/kustomization.yaml")

if [ -n "$tag" ]; then
  sed -i -E "s|(\{name: clinic/$app, newName: [^,]+, newTag: )[^}]+\}|\1\"$tag\"}|" "$dir/kustomization.yaml"
fi

rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$dir" > "$rendered"

kubectl apply -f "$rendered" --selector '!app.kubernetes.io/name'
if [ "$app" != gateway ]; then
  kubectl -n "$namespace" delete job "$app-migrate" --ignore-not-found --wait=true
  kubectl apply -f "$rendered" \
    --selector "app.kubernetes.io/name=$app,app.kubernetes.io/component=migration"
  kubectl -n "$namespace" wait --for=condition=complete "job/$app-migrate" --timeout=15m
fi
kubectl apply -f "$rendered" \
  --selector "app.kubernetes.io/name=$app,app.kubernetes.io/component!=migration"
kubectl -n "$namespace" rollout status "deployment/$app" --timeout=10m
