#!/usr/bin/env bash
# Prints one Secret per service, brokerage-grpc-tls-<service> (type kubernetes.io/tls: ca.crt, tls.crt,
# tls.key, the form cert-manager writes), from a directory in the layout `npm run certs` writes
# (ca.pem, <service>.pem, <service>-key.pem). Nothing is applied; pipe it to kubectl:
#   npm run certs -- deploy/secrets/grpc
#   deploy/k8s/grpc-tls-secrets.sh brokerage-dev deploy/secrets/grpc | kubectl apply -f -
# The CA's key (ca-key.pem) is never put in the cluster.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 <namespace> <certificates dir>" >&2
  exit 2
fi
namespace=$1
dir=$2
[ -f "$dir/ca.pem" ] || { echo "$dir/ca.pem is missing (npm run certs -- $dir)" >&2; exit 1; }
found=0
for key in "$dir"/*-key.pem; do
  service=$(basename "$key" -key.pem)
  [ "$service" = ca ] && continue
  [ -f "$dir/$service.pem" ] || { echo "$dir/$service.pem is missing" >&2; exit 1; }
  echo ---
  kubectl create secret generic "brokerage-grpc-tls-$service" --namespace "$namespace" --type kubernetes.io/tls \
    --from-file "ca.crt=$dir/ca.pem" --from-file "tls.crt=$dir/$service.pem" --from-file "tls.key=$key" \
    --dry-run=client --output yaml
  found=$((found + 1))
done
[ "$found" -gt 0 ] || { echo "no <service>-key.pem in $dir" >&2; exit 1; }
