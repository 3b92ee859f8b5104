#!/usr/bin/env bash
# Debian packages the test suite uses beyond Node, installing only what is missing:
# - LibreOffice Calc and its Python bridge: the plan's spreadsheet round trip;
# - Samba's AD domain controller and the LDAP tools: export onprem against a real DC (../shared/samba-dc.md);
# - Chromium: the HTML report in a real browser, driven by playwright-core;
# - openssl: test certificates.
set -euo pipefail
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc)
/usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || need+=(python3-uno)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v samba >/dev/null 2>&1 || need+=(samba samba-ad-provision samba-dsdb-modules samba-vfs-modules)
command -v ldbadd >/dev/null 2>&1 || need+=(ldb-tools)
command -v ldapsearch >/dev/null 2>&1 || need+=(ldap-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# The image's policy-rc.d keeps package installs from starting daemons (samba); make sure of it.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
