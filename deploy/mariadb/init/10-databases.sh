#!/bin/bash
# One database per service, each with its own MariaDB user granted only its own schema, so "no
# service reads another's tables" holds in the database too. The mariadb image runs this once,
# on an empty data volume (/docker-entrypoint-initdb.d); tests-deploy/test_mariadb_grants.py runs
# it against the test server with throw-away names and checks every user's reach.
#
# Each service's password: $<SERVICE>_DB_PASSWORD, else the file named by
# $<SERVICE>_DB_PASSWORD_FILE, else /run/secrets/<service>_db_password (compose secrets).
# A password given the same ways as BACKUP_DB_PASSWORD / backup_db_password also creates the
# read-only user `clinic_backup` for deploy/scripts/backup.sh (SELECT, SHOW VIEW, TRIGGER,
# LOCK TABLES, EVENT on the five schemas); without one it is skipped.
#
# Settings for other layouts: CLINIC_SCHEMA_PREFIX (default clinic_) and CLINIC_USER_PREFIX
# (default empty) name the schemas and users; CLINIC_SECRETS_DIR (/run/secrets); extra client
# options in MARIADB_CLIENT_OPTS (e.g. "-h 127.0.0.1"); --print-sql prints instead of running.
# Running it again is safe: it creates what is missing and sets the passwords again.
set -euo pipefail

schema_prefix=${CLINIC_SCHEMA_PREFIX-clinic_}
user_prefix=${CLINIC_USER_PREFIX-}
secrets_dir=${CLINIC_SECRETS_DIR:-/run/secrets}
services=(identity patients scheduling billing records)

for name in "$schema_prefix" "$user_prefix"; do
  [[ $name =~ ^[A-Za-z0-9_]*$ ]] || { echo "unsafe prefix: $name" >&2; exit 2; }
done

# secret VAR file -> the value of $VAR, else of the file $VAR_FILE names, else of `file`.
secret() {
  local var=$1 file_var="${1}_FILE" fallback=$2 value=""
  if [ -n "${!var:-}" ]; then
    value=${!var}
  elif [ -n "${!file_var:-}" ]; then
    value=$(cat "${!file_var}")
  elif [ -r "$fallback" ]; then
    value=$(cat "$fallback")
  fi
  printf '%s' "$value"
}

# A SQL string literal's content: backslashes and quotes doubled.
sql_text() {
  local value=${1//\\/\\\\}
  printf '%s' "${value//\'/\'\'}"
}

# A schema name in GRANT: `_` is a wildcard there, so it is escaped.
grant_schema() {
  printf '%s' "${1//_/\\_}"
}

generate_sql() {
  local service upper password schema user backup_password
  for service in "${services[@]}"; do
    upper=${service^^}
    password=$(secret "${upper}_DB_PASSWORD" "$secrets_dir/${service}_db_password")
    if [ -z "$password" ]; then
      echo "no password for $service: set ${upper}_DB_PASSWORD(_FILE) or $secrets_dir/${service}_db_password" >&2
      return 1
    fi
    schema="${schema_prefix}${service}"
    user="${user_prefix}${service}"
    cat <<SQL
CREATE DATABASE IF NOT EXISTS \`$schema\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$(sql_text "$password")';
ALTER USER '$user'@'%' IDENTIFIED BY '$(sql_text "$password")';
GRANT ALL PRIVILEGES ON \`$(grant_schema "$schema")\`.* TO '$user'@'%';
SQL
  done
  backup_password=$(secret BACKUP_DB_PASSWORD "$secrets_dir/backup_db_password")
  if [ -n "$backup_password" ]; then
    user="${user_prefix}clinic_backup"
    cat <<SQL
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$(sql_text "$backup_password")';
ALTER USER '$user'@'%' IDENTIFIED BY '$(sql_text "$backup_password")';
SQL
    for service in "${services[@]}"; do
      echo "GRANT SELECT, SHOW VIEW, TRIGGER, LOCK TABLES, EVENT ON \`$(grant_schema "${schema_prefix}${service}")\`.* TO '$user'@'%';"
    done
  fi
}

sql=$(generate_sql)
if [ "${1:-}" = --print-sql ]; then
  printf '%s\n' "$sql"
  exit 0
fi
# The root password through the environment (never on the command line, never "-p" alone).
# shellcheck disable=SC2086  # MARIADB_CLIENT_OPTS is a list of options
printf '%s\n' "$sql" | MYSQL_PWD="${MARIADB_ROOT_PASSWORD:-}" mariadb ${MARIADB_CLIENT_OPTS:-} -uroot
echo "clinic databases and users ready: ${services[*]}"
