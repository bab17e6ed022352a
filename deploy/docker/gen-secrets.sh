#!/bin/sh
# Writes the secrets a taskraft deployment needs into DIR (default /secrets), each only if it
# is missing, so a second run changes nothing and an operator's own files are kept:
#   cluster_secret        shared secret of the peers (--cluster-secret-file)
#   admin_password        password of the first "admin" user (--admin-password-file)
#   mysql_root_password   MySQL root password (MYSQL_ROOT_PASSWORD_FILE of the mysql image)
#   mysql_password        password of the MySQL user "taskraft" that taskraftd logs in as
# Files are world-readable (0444) so that the mysql image (uid 999) and taskraftd (uid 10001)
# can read them: keep the directory itself private to the deployment.
set -eu
dir=${1:-/secrets}
mkdir -p "$dir"
for name in cluster_secret admin_password mysql_root_password mysql_password; do
  f=$dir/$name
  if [ -s "$f" ]; then
    echo "gen-secrets: $f exists, kept"
  else
    head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 > "$f.tmp"
    chmod 0444 "$f.tmp" && mv "$f.tmp" "$f"
    echo "gen-secrets: wrote $f"
  fi
done
