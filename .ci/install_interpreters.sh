#!/usr/bin/env bash
# Install the interpreters of the test matrix that this machine lacks:
# CPython 3.14 and 3.15 (from Debian sid) and PyPy 3.11 (Debian trixie's pypy3).
#
#   bash .ci/install_interpreters.sh        # .ci/run calls this before the matrix
#
# Each lands in pyenv's versions folder (e.g. ~/.pyenv/versions/3.14.10), so the
# matrix driver and Hatch find it like any other pyenv interpreter. Idempotent:
# an interpreter that already runs (from pyenv or on PATH) is left alone, and a
# half-built one from an interrupted run is rebuilt.
#
# What this trusts, and why this way:
# - Only Debian's archive (deb.debian.org), through apt, which checks every
#   suite's Release signature against the system's Debian archive keyring. No
#   package registry serves CPython 3.14/3.15 or PyPy binaries that install
#   without downloading from other hosts, and Debian does not serve the source
#   packages, so Debian's own binary packages are used.
# - sid's CPython needs a newer glibc than Debian 12 has, so the packages are
#   not installed into the system. apt runs with a private sources list, state
#   folder and an empty dpkg status: it downloads each interpreter with its
#   whole dependency closure (libc6 included) and the system's apt and dpkg
#   state stay untouched. `dpkg-deb -x` unpacks the closure into a private
#   sysroot under the interpreter's folder, and patchelf points a copy of the
#   interpreter at the sysroot's loader and libraries. Nothing runs from the
#   packages at unpack time (no maintainer scripts).
# - sid's mirror `Release` can be past its Valid-Until date between archive
#   updates; that check is turned off (Acquire::Check-Valid-Until=false) but
#   the signature check is not.
# - patchelf comes from the system's own apt (installed if missing).
set -euo pipefail

ARCHIVE="http://deb.debian.org/debian"
KEYRING="/usr/share/keyrings/debian-archive-keyring.gpg"
PYENV_ROOT="${PYENV_ROOT:-$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")}"
VERSIONS="$PYENV_ROOT/versions"

log() { printf 'install_interpreters: %s\n' "$*" >&2; }

# Modules a CI interpreter must have working: TLS and compression for pip,
# ctypes/sqlite3 (C extensions linked against sysroot libraries), venv+ensurepip.
PROBE='import bz2, ctypes, ensurepip, lzma, sqlite3, ssl, venv, zlib'

# Print the path of a working `$1` (pyenv versions first, then PATH), or fail.
working_interpreter() {
  local command=$1 candidate
  for candidate in "$VERSIONS"/*/bin/"$command" "$(command -v "$command" || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" -c "$PROBE" >/dev/null 2>&1; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_patchelf() {
  command -v patchelf >/dev/null 2>&1 && return 0
  log "installing patchelf with the system's apt"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends patchelf
}

WORK=""
cleanup() { [ -z "$WORK" ] || rm -rf "$WORK"; }
trap cleanup EXIT

# Download `$2...` with their dependency closure from Debian suite `$1` into
# "$WORK/$1/debs" (apt's cache); print that folder.
download_closure() {
  local suite=$1
  shift
  local apt_dir="$WORK/$suite"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/empty"
  : >"$apt_dir/status" # empty dpkg status: apt fetches the whole closure
  echo "deb [signed-by=$KEYRING] $ARCHIVE $suite main" >"$apt_dir/sources.list"
  local options=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list"
    -o "Dir::Etc::SourceParts=$apt_dir/empty" # none of the system's sources
    -o "Dir::Etc::Preferences=$apt_dir/empty/preferences" # nor its pinning
    -o "Dir::Etc::PreferencesParts=$apt_dir/empty"
    -o "Dir::State=$apt_dir"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::State::status=$apt_dir/status"
    -o "Dir::Cache=$apt_dir/cache"
    -o "Debug::NoLocking=true" # private state: no lock on the system's apt needed
    -o "Acquire::Check-Valid-Until=false"
    -o "APT::Install-Recommends=false"
  )
  if [ ! -e "$apt_dir/lists/.updated" ]; then
    apt-get "${options[@]}" -qq update >&2
    touch "$apt_dir/lists/.updated"
  fi
  apt-get "${options[@]}" -qq -y --download-only install "$@" >&2
  printf '%s\n' "$apt_dir/cache/archives"
}

# Replace Debian's absolute paths in `$1`'s sysconfig data by sysroot `$2`'s:
# ensurepip (so `python -m venv` gets a pip) reads WHEEL_PKG_DIR, and C
# extensions built for the interpreter read INCLUDEPY.
point_sysconfig_at_sysroot() {
  local stdlib=$1 sysroot=$2 file
  for file in "$stdlib"/_sysconfigdata_*.py "$stdlib"/_sysconfig_vars_*.json; do
    [ -e "$file" ] || continue
    sed -i \
      -e "s|'/usr/share/python-wheels/'|'$sysroot/usr/share/python-wheels/'|" \
      -e "s|\"/usr/share/python-wheels/\"|\"$sysroot/usr/share/python-wheels/\"|" \
      -e "s|'INCLUDEPY': '/usr/include/|'INCLUDEPY': '$sysroot/usr/include/|" \
      -e "s|\"INCLUDEPY\": \"/usr/include/|\"INCLUDEPY\": \"$sysroot/usr/include/|" \
      "$file"
  done
  # Debian's marker that pip must not touch its system Python; this copy is ours.
  rm -f "$stdlib/EXTERNALLY-MANAGED"
}

# Point ELF file `$1` at the sysroot: its loader (executables only) and a
# DT_RPATH (--force-rpath; unlike DT_RUNPATH it also serves the libraries and
# extension modules loaded later, so none comes from the system's older glibc).
patch_elf() {
  local file=$1 sysroot=$2 loader=$3 libdir=$4
  if patchelf --print-interpreter "$file" >/dev/null 2>&1; then
    patchelf --set-interpreter "$loader" "$file"
  fi
  patchelf --force-rpath --set-rpath "$libdir" "$file"
}

# Compile the standard library of our interpreter `$1` to bytecode, as the
# packages' maintainer scripts (py3compile, which we do not run) would: without
# it every start compiles what it imports (`import asyncio` took 0.6 s on 3.15,
# 1.4 s on PyPy), and PYTHONDONTWRITEBYTECODE, set on some CI machines, keeps it
# from ever being cached. Files already compiled are skipped, so this is cheap
# on a second run.
compile_stdlib() {
  local interpreter=$1 stdlib
  stdlib=$("$interpreter" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
  case "$(readlink -f "$stdlib")" in
    "$VERSIONS"/*/sysroot/*) ;;
    *) return 0 ;; # not one of ours: its installer compiled it
  esac
  "$interpreter" -m compileall -q -j 0 "$(readlink -f "$stdlib")" >/dev/null ||
    log "$interpreter: some standard library files did not compile (left as source)"
}

# install COMMAND SUITE NAME_PREFIX PACKAGE...
#   COMMAND      interpreter executable, e.g. python3.14 or pypy3.11
#   NAME_PREFIX  pyenv folder name before the version ("" or "pypy3.11-")
install() {
  local command=$1 suite=$2 prefix=$3
  shift 3
  local found
  if found=$(working_interpreter "$command"); then
    log "$command: already working at $found"
    compile_stdlib "$found"
    return 0
  fi
  [ -n "$WORK" ] || { WORK=$(mktemp -d) && chmod 755 "$WORK"; } # apt's _apt user reads it
  ensure_patchelf
  log "$command: downloading $* and dependencies from Debian $suite"
  local debs main_deb version dest sysroot
  debs=$(download_closure "$suite" "$@")
  main_deb=$(ls "$debs/$1"_*.deb)
  version=$(dpkg-deb -f "$main_deb" Version) # e.g. 3.14.10-1, 7.3.19+dfsg-2
  version=${version%%[-+]*}
  dest="$VERSIONS/$prefix$version"
  sysroot="$dest/sysroot"
  rm -rf "$dest" # a previous run's leftover did not pass the probe above
  mkdir -p "$dest/bin" "$dest/lib" "$sysroot"
  local deb
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$sysroot"; done

  local loader libdir
  loader=$(ls "$sysroot"/usr/lib/*-linux-gnu*/ld-linux*.so.[0-9] | head -n 1)
  libdir=$(dirname "$loader")
  case "$command" in
    python3.*)
      cp "$sysroot/usr/bin/$command" "$dest/bin/$command"
      patch_elf "$dest/bin/$command" "$sysroot" "$loader" "$libdir"
      # The interpreter finds its standard library next to itself, at
      # ../lib/python3.X, as in any pyenv build.
      ln -s "../sysroot/usr/lib/$command" "$dest/lib/$command"
      point_sysconfig_at_sysroot "$sysroot/usr/lib/$command" "$sysroot"
      ln -s "$command" "$dest/bin/python3"
      ln -s "$command" "$dest/bin/python"
      ;;
    pypy3.*)
      # PyPy's executable is a stub around libpypy3.X-c.so (both need the
      # rpath), and it finds the standard library from that library's folder.
      cp "$sysroot/usr/bin/$command" "$dest/bin/$command"
      patch_elf "$dest/bin/$command" "$sysroot" "$loader" "$libdir"
      patch_elf "$libdir/lib$command-c.so" "$sysroot" "$loader" "$libdir"
      point_sysconfig_at_sysroot "$sysroot/usr/lib/$command" "$sysroot"
      ln -s "$command" "$dest/bin/pypy3"
      ln -s "$command" "$dest/bin/pypy"
      ;;
  esac

  if ! found=$(working_interpreter "$command") || ! check_venv "$dest/bin/$command"; then
    log "$command: the unpacked interpreter does not work; removing $dest"
    rm -rf "$dest"
    return 1
  fi
  compile_stdlib "$found"
  log "$command: installed $("$found" -c 'import sys; print(sys.version.split()[0])') at $dest"
}

# A virtual environment made with `$1 -m venv` gets a working pip.
check_venv() {
  local venv="$WORK/venv-check"
  rm -rf "$venv"
  "$1" -m venv "$venv" >&2 && "$venv/bin/python" -m pip --version >/dev/null
}

install python3.14 sid "" python3.14 python3.14-venv
install python3.15 sid "" python3.15 python3.15-venv
# trixie's PyPy 7.3.19 rather than sid's 8.0: no wheel on the package
# registry targets 8.0's ABI tag yet.
install pypy3.11 trixie "pypy3.11-" pypy3 pypy3-venv pypy3-dev
