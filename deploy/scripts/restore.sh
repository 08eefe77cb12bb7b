#!/usr/bin/env bash
# Restore a backup folder made by backup.sh or `make backup` (docs/operations.md, "Backups").
# It checks every file against SHA256SUMS and every dump for its last line first, and restores
# nothing if one fails. A restore replaces the schemas: it refuses any that holds tables unless
# FORCE=1. DEFINER clauses (the records triggers belong to the `records` user in compose) are
# rewritten to RESTORE_DEFINER (CURRENT_USER: whoever restores), so the dumps load on a server
# where that user does not exist. Stop the services first; start them when it is done.
#
# Usage: [FORCE=1] MYSQL_PWD=... deploy/scripts/restore.sh <folder> [host] [user] [port]
set -euo pipefail
dir=${1:?usage: restore.sh <backup folder> [host] [user] [port]}
host=${2:-127.0.0.1}; user=${3:-root}; port=${4:-3306}
definer=${RESTORE_DEFINER:-CURRENT_USER}
[[ $definer =~ ^(CURRENT_USER|\`[A-Za-z0-9_.-]+\`@\`[A-Za-z0-9_.%-]+\`)$ ]] \
  || { echo "RESTORE_DEFINER must be CURRENT_USER or \`user\`@\`host\`" >&2; exit 2; }
client=(-h"$host" -P"$port" -u"$user" --protocol=TCP)

fail() { echo "restore.sh: $*; nothing restored" >&2; exit 1; }
[ -f "$dir/SHA256SUMS" ] || fail "$dir has no SHA256SUMS: not a complete backup"
(cd "$dir" && sha256sum --quiet --strict -c SHA256SUMS) || fail "$dir: checksum mismatch"
shopt -s nullglob
dumps=("$dir"/*.sql.gz)
[ ${#dumps[@]} -gt 0 ] || fail "$dir holds no MariaDB dump"
occupied=()
for dump in "${dumps[@]}"; do
  db=$(basename -- "$dump" .sql.gz)
  [[ $db =~ ^[A-Za-z0-9_]+$ ]] || fail "unsafe schema name: $db"
  grep -q "  $db\.sql\.gz\$" "$dir/SHA256SUMS" || fail "$dump is not in SHA256SUMS"
  gunzip -c -- "$dump" | tail -n 1 | grep -q '^-- Dump completed' || fail "$dump did not complete"
  tables=$(mariadb "${client[@]}" -N -B -e \
    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '$db'")
  [ "$tables" -eq 0 ] || occupied+=("$db")
done
if [ ${#occupied[@]} -gt 0 ] && [ "${FORCE:-0}" != 1 ]; then
  fail "not empty: ${occupied[*]}: a restore replaces them; FORCE=1 to do it"
fi

for dump in "${dumps[@]}"; do
  db=$(basename -- "$dump" .sql.gz)
  mariadb "${client[@]}" -e "DROP DATABASE IF EXISTS \`$db\`;
    CREATE DATABASE \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  # Data lines (a row per line: `INSERT INTO … VALUES (…)` or `(…)`) are never rewritten: a
  # DEFINER-like text in a patient's note stays as it is.
  gunzip -c -- "$dump" \
    | sed -E "/^(INSERT INTO |\()/!s/DEFINER=\`[^\`]*\`@\`[^\`]*\`/DEFINER=$definer/g" \
    | mariadb "${client[@]}" --default-character-set=utf8mb4 "$db"
  echo "restored $db"
done
