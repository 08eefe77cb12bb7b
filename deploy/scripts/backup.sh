#!/usr/bin/env bash
# Dump every clinic_* database into BACKUP_DIR/<timestamp>/ and delete dumps older than 30 days.
# Usage: MYSQL_PWD=... deploy/scripts/backup.sh [host] [user]
set -euo pipefail
host=${1:-127.0.0.1}; user=${2:-root}
dir=${BACKUP_DIR:-/var/backups/clinic}/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dir"
for db in $(mariadb -h"$host" -u"$user" -N -e "SHOW DATABASES LIKE 'clinic\\_%'"); do
  mariadb-dump -h"$host" -u"$user" --single-transaction --routines --triggers "$db" | gzip > "$dir/$db.sql.gz"
done
find "$(dirname "$dir")" -mindepth 1 -maxdepth 1 -type d -mtime +30 -exec rm -rf {} +
echo "backup written to $dir"
