#!/usr/bin/env bash
# Dump every clinic_* schema into $BACKUP_DIR/<UTC timestamp>/ and delete backups older than
# 30 days. The same layout as `make backup` (scripts/backup.py, which `make restore` and
# deploy/scripts/restore.sh read): one `<schema>.sql.gz` per schema (mariadb-dump
# --single-transaction: a consistent snapshot of each schema while the clinic keeps working;
# routines and triggers included) and SHA256SUMS, the manifest, written last. The folder is
# made as .partial-<timestamp> and renamed when complete, so a failed run leaves no backup
# that looks whole (a later run deletes the leftover after a day).
# Shell, not Python: the backup CronJob runs it in the mariadb image (deploy/k8s/base/backup/).
#
# Usage: MYSQL_PWD=... deploy/scripts/backup.sh [host] [user] [port]
# Settings: BACKUP_DIR (/var/backups/clinic), BACKUP_KEEP_DAYS (30), CLINIC_SCHEMA_PREFIX
# (clinic_), BACKUP_NOW (a `date -d` time to pretend it is; tests use it for the retention).
set -euo pipefail
host=${1:-127.0.0.1}; user=${2:-root}; port=${3:-3306}
root=${BACKUP_DIR:-/var/backups/clinic}
keep_days=${BACKUP_KEEP_DAYS:-30}
prefix=${CLINIC_SCHEMA_PREFIX:-clinic_}
now=${BACKUP_NOW:-now}
[[ $prefix =~ ^[A-Za-z0-9_]+$ ]] || { echo "unsafe schema prefix: $prefix" >&2; exit 2; }
[[ $keep_days =~ ^[0-9]+$ ]] || { echo "BACKUP_KEEP_DAYS is not a number: $keep_days" >&2; exit 2; }
client=(-h"$host" -P"$port" -u"$user" --protocol=TCP)

stamp=$(date -u -d "$now" +%Y%m%dT%H%M%SZ)
dir=$root/$stamp
partial=$root/.partial-$stamp
[ ! -e "$dir" ] || { echo "$dir exists already" >&2; exit 1; }
rm -rf -- "$partial"
mkdir -p "$partial"
trap 'rm -rf -- "$partial"' EXIT

# `_` is a wildcard in LIKE: escaped, so clinic_ matches clinic_* only.
schemas=$(mariadb "${client[@]}" -N -B -e "SHOW DATABASES LIKE '${prefix//_/\\_}%'")
[ -n "$schemas" ] || { echo "no schema named $prefix* on $host:$port" >&2; exit 1; }
for db in $schemas; do
  mariadb-dump "${client[@]}" --single-transaction --routines --triggers --hex-blob \
    --default-character-set=utf8mb4 "$db" | gzip > "$partial/$db.sql.gz"
done
(cd "$partial" && sha256sum -- *.sql.gz > SHA256SUMS)
mv -- "$partial" "$dir"
trap - EXIT

# Retention by the time in the folder's name: backups past $keep_days, leftovers past a day.
cutoff=$(date -u -d "$now - $keep_days days" +%Y%m%dT%H%M%SZ)
stale=$(date -u -d "$now - 1 day" +%Y%m%dT%H%M%SZ)
for old in "$root"/* "$root"/.partial-*; do
  name=$(basename -- "$old")
  [ -d "$old" ] && [[ ${name#.partial-} =~ ^[0-9]{8}T[0-9]{6}Z$ ]] || continue
  limit=$cutoff
  [[ $name == .partial-* ]] && limit=$stale
  if [[ ${name#.partial-} < $limit ]]; then
    rm -rf -- "$old"
    echo "deleted $old"
  fi
done
echo "backup written to $dir"
