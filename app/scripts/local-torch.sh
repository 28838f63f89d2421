#!/usr/bin/env bash
# Builds DJL 0.35.0's PyTorch JNI (libdjl_torch.so) and nmt's own small addition to it
# (libnmt_torch.so, app/src/main/native) against the torch that python3 imports (a CPU or a CUDA
# build), and writes OUT_DIR/torch.properties, which nmt reads when NMT_TORCH_HOME=OUT_DIR.
#   usage: app/scripts/local-torch.sh JNI_SOURCES OUT_DIR
#   JNI_SOURCES: DJL v0.35.0's JNI sources: a checkout of https://github.com/deepjavalibrary/djl at
#                tag v0.35.0, or a .tar.gz or folder holding engines/pytorch/pytorch-native (with
#                build/include, or the engine's PyTorchLibrary.java) and api/src/main/native
# Needs g++ (C++17), python3 with torch 2.5 or later, and a JDK (JAVA_HOME, or the java on PATH).
set -euo pipefail
fail() { echo "local-torch: $*" >&2; exit 1; }
[[ $# -eq 2 ]] || fail "usage: $0 JNI_SOURCES OUT_DIR"
sources=$1
command -v g++ > /dev/null || fail "no g++: install it (Debian: apt-get install g++)"
command -v python3 > /dev/null || fail "no python3: install Python 3 and torch (pip install torch)"
version=$(python3 -W ignore -c 'import torch; print(torch.__version__)' 2> /dev/null) \
  || fail "python3 cannot import torch: pip install torch (a CUDA build for GPUs), or activate the venv that has it"
base=${version%%+*}
major=${base%%.*}; rest=${base#*.}; minor=${rest%%.*}
(( major > 2 || (major == 2 && minor >= 5) )) || fail "torch $version is too old for DJL 0.35.0's JNI: install torch 2.5 or later"
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
[[ -f $java_home/include/jni.h ]] || fail "no $java_home/include/jni.h: set JAVA_HOME to a JDK, not a JRE"
djl=0.35.0
helper=$(cd "$(dirname "$0")/.." && pwd)/src/main/native/nmt_torch.cc
[[ -f $helper ]] || fail "no $helper: run this script from a clone of nmt"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# What is needed of DJL's tree: the JNI's C++ sources, the header javac generates for them (in a
# release archive; made here from PyTorchLibrary.java for a git checkout), and DJL's common header.
library_java=engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java
parts=(engines/pytorch/pytorch-native/src/main/native engines/pytorch/pytorch-native/build/include "$library_java"
       api/src/main/native)
if [[ -d $sources ]]; then
  for part in "${parts[@]}"; do
    if [[ -e $sources/$part ]]; then
      mkdir -p "$work/$(dirname "$part")" && cp -r "$sources/$part" "$work/$part"
    fi
  done
elif [[ -f $sources ]]; then
  tar -xzf "$sources" -C "$work" || fail "$sources is not a .tar.gz of DJL's JNI sources"
else
  fail "no $sources: give DJL v0.35.0's JNI sources (a .tar.gz or a folder)"
fi
native=$work/engines/pytorch/pytorch-native
[[ -d $native/src/main/native ]] || fail "$sources has no engines/pytorch/pytorch-native/src/main/native: not DJL's sources"
[[ -f $work/api/src/main/native/djl/utils.h ]] || fail "$sources has no api/src/main/native/djl/utils.h: not DJL's sources"
if [[ ! -f $native/build/include/ai_djl_pytorch_jni_PyTorchLibrary.h ]]; then
  [[ -f $work/$library_java ]] || fail "$sources has neither the JNI header (build/include) nor $library_java to make it from"
  [[ -x $java_home/bin/javac ]] || fail "no javac in $java_home to make the JNI header: set JAVA_HOME to a JDK"
  "$java_home/bin/javac" -h "$native/build/include" -d "$work/classes" "$work/$library_java" \
    || fail "javac could not make the JNI header from $library_java"
fi
mkdir -p "$2"; out=$(cd "$2" && pwd)
torch_dir=$(python3 -W ignore -c 'import torch, os; print(os.path.dirname(torch.__file__))')
abi=$(python3 -W ignore -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
cuda=$(python3 -W ignore -c 'import torch; print(torch.version.cuda or "")')
flags=(-O2 -w -fPIC -std=c++17 -D_GLIBCXX_USE_CXX11_ABI="$abi" -I"$torch_dir/include"
       -I"$torch_dir/include/torch/csrc/api/include" -I"$java_home/include" -I"$java_home/include/linux"
       -I"$native/build/include" -I"$work/api/src/main/native")
libs=(-L"$torch_dir/lib" -ltorch -ltorch_cpu -lc10)
flavor=cpu
if [[ -n $cuda ]]; then
  include=/usr/local/cuda/include
  [[ -d $include ]] || include=$(dirname "$torch_dir")/nvidia/cuda_runtime/include
  flags+=(-DUSE_CUDA -I"$include"); libs+=(-ltorch_cuda -lc10_cuda)
  flavor=cu${cuda//./}
fi
echo "local-torch: compiling DJL's JNI against torch $version ($flavor) in $torch_dir"
# Two compilers at a time: each takes about 1 GB.
ls "$native"/src/main/native/*.cc | xargs -P 2 -I{} sh -c 'g++ -c "$@" "{}" -o "$(dirname "{}")/$(basename "{}" .cc).o"' _ "${flags[@]}"
# DJL loads libtorch from torch's own folder, so that torch's libraries find theirs (a CUDA build's
# nvidia/*/lib) as they do in Python, without LD_LIBRARY_PATH; it takes the JNI from ENGINE_CACHE_DIR.
# The rpath lets both libraries find torch's without LD_LIBRARY_PATH too.
jni_dir=$out/cache/pytorch/$base-$flavor-linux-$(uname -m)
mkdir -p "$jni_dir"
g++ -shared -o "$jni_dir/$djl-libdjl_torch.so" "$native"/src/main/native/*.o "${libs[@]}" -Wl,-rpath,"$torch_dir/lib"
g++ -shared "${flags[@]}" -o "$out/libnmt_torch.so" "$helper" "${libs[@]}" -Wl,-rpath,"$torch_dir/lib"
cat > "$out/torch.properties" <<PROPS
# Written by app/scripts/local-torch.sh for torch $version; nmt reads it when NMT_TORCH_HOME=$out.
PYTORCH_LIBRARY_PATH=$torch_dir/lib
PYTORCH_FLAVOR=$flavor
PYTORCH_VERSION=$base
ENGINE_CACHE_DIR=$out/cache
PROPS
echo "local-torch: done. Run nmt with NMT_TORCH_HOME=$out (nmt doctor shows what it loads)."
