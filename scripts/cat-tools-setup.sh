#!/usr/bin/env bash
# Installs the CAT tools that tests/integration/cat_tools.rs drives, on Debian, as root:
#   - OmegaT (Debian package `omegat`, Java; headless via --mode=console-translate),
#   - translate-toolkit (PyPI, pinned) for the `python3` found on PATH.
# Idempotent: a tool already there (translate-toolkit at the pinned version) is left alone, without
# touching the network.
set -euo pipefail

TRANSLATE_TOOLKIT_VERSION=3.20.4

apt_updated=no
apt_install() {
    if [ "$apt_updated" = no ]; then
        apt-get update -qq
        apt_updated=yes
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if command -v omegat >/dev/null 2>&1; then
    echo "omegat: already installed ($(dpkg-query -W -f='${Version}' omegat 2>/dev/null || echo 'not from dpkg'))"
else
    echo "omegat: installing the Debian package"
    apt_install omegat
fi

if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
    echo "python3 and pip: installing the Debian packages"
    apt_install python3 python3-pip
fi

installed=$(python3 -c 'from translate.__version__ import sver; print(sver)' 2>/dev/null || true)
if [ "$installed" = "$TRANSLATE_TOOLKIT_VERSION" ]; then
    echo "translate-toolkit: $installed already installed"
else
    echo "translate-toolkit: installing $TRANSLATE_TOOLKIT_VERSION (found: ${installed:-none})"
    pip_args=(install --quiet --disable-pip-version-check --no-warn-script-location
        "translate-toolkit==$TRANSLATE_TOOLKIT_VERSION")
    # Debian's own python3 refuses pip installs (PEP 668) unless told otherwise.
    if python3 -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))'; then
        pip_args+=(--break-system-packages)
    fi
    PIP_ROOT_USER_ACTION=ignore python3 -m pip "${pip_args[@]}"
fi
python3 -c 'import translate.storage.tmx'
