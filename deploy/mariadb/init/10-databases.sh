#!/bin/bash
# One database per service, each with its own user granted only its own schema.
set -euo pipefail
mariadb -uroot -p"${MARIADB_ROOT_PASSWORD}" <<SQL
CREATE DATABASE IF NOT EXISTS clinic_identity CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'identity'@'%' IDENTIFIED BY '${IDENTITY_DB_PASSWORD}';
GRANT ALL PRIVILEGES ON clinic_identity.* TO 'identity'@'%';
CREATE DATABASE IF NOT EXISTS clinic_patients CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'patients'@'%' IDENTIFIED BY '${PATIENTS_DB_PASSWORD}';
GRANT ALL PRIVILEGES ON clinic_patients.* TO 'patients'@'%';
CREATE DATABASE IF NOT EXISTS clinic_scheduling CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'scheduling'@'%' IDENTIFIED BY '${SCHEDULING_DB_PASSWORD}';
GRANT ALL PRIVILEGES ON clinic_scheduling.* TO 'scheduling'@'%';
FLUSH PRIVILEGES;
SQL
