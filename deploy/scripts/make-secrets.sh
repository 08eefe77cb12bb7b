#!/usr/bin/env bash
# Create the secrets compose.yaml reads, once, under var/secrets/ (git ignores var/):
#   mariadb_root_password, <service>_db_password (x5), backup_db_password,
#   identity_signing_key.pem (RSA 3072), records_encryption_keys (k1:<32 random bytes, base64>),
#   gateway_ops_token (the Prometheus scraper's bearer token).
# An existing file is never replaced: a new database password or key means a migration of its
# own (docs/deploy.md, "Rotating secrets"). Keep a copy of records_encryption_keys somewhere safe:
# without it the clinical notes in the backups cannot be read.
# Usage: deploy/scripts/make-secrets.sh [DIR]   (default: var/secrets at the repository root)
set -euo pipefail
dir=${1:-$(cd "$(dirname "$0")/../.." && pwd)/var/secrets}
mkdir -p "$dir"
chmod 700 "$dir"
umask 077

random() { openssl rand -base64 "$1" | tr -d '\n/+=' | cut -c1-"$2"; }
make() {  # name command...
  local file="$dir/$1"; shift
  if [ -s "$file" ]; then echo "kept    $file"; return; fi
  "$@" > "$file.tmp" && mv "$file.tmp" "$file"
  echo "created $file"
}

make mariadb_root_password random 48 32
for service in identity patients scheduling billing records backup; do
  make "${service}_db_password" random 48 32
done
make identity_signing_key.pem openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072
make records_encryption_keys sh -c 'printf "k1:%s" "$(openssl rand -base64 32)"'
make gateway_ops_token random 48 40
# Compose (without Swarm) bind-mounts secret files as they are: the services run as uid 10001,
# so the files must be readable by it. The folder (0700) keeps other users of the host out.
chmod 644 "$dir"/*
echo "secrets are in $dir"
