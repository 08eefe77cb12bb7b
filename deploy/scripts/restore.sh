#!/usr/bin/env bash
# Restore every dump of a backup folder made by backup.sh.
# Usage: MYSQL_PWD=... deploy/scripts/restore.sh /var/backups/clinic/20261126T000000Z [host] [user]
set -euo pipefail
dir=${1:?backup folder}; host=${2:-127.0.0.1}; user=${3:-root}
for dump in "$dir"/clinic_*.sql.gz; do
  db=$(basename "$dump" .sql.gz)
  mariadb -h"$host" -u"$user" -e "CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  gunzip -c "$dump" | mariadb -h"$host" -u"$user" "$db"
  echo "restored $db"
done
