#!/bin/bash
# SPDX-License-Identifier: ISC
# No dependency cycle between the source files: a module (foo.c with foo.h)
# may use those below it, never one that uses it back, by an #include
# "..." or by a call without one (the symbols of the built objects, nm).
# The checker is first shown a cycle of each sort, so that it cannot pass
# by seeing nothing.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

command -v nm >/dev/null || fail "nm is missing (binutils)"
command -v cc >/dev/null || fail "cc is missing"
check="$PYTHON3 $HELPERS/cycles.py"
builddir=$(cd "$(dirname "$WSBENCHD")/.." && pwd)

# --- the checker sees a cycle of includes, and one of calls ------------------

t=$WORK/tree
mkdir -p "$t/src" "$t/build/src"
printf '#include "b.h"\nint a_f(void) { return 1; }\n' >"$t/src/a.c"
printf 'int a_f(void);\n' >"$t/src/a.h"
printf '#include "a.h"\nint b_f(void) { return a_f(); }\n' >"$t/src/b.c"
printf 'int b_f(void);\n' >"$t/src/b.h"
out=$($check "$t") && defect "an include cycle passed: $out"
[[ $out == *"cycle: a -> b -> a"* ]] || defect "the include cycle printed as: $out"
# a.c calls b_f() with no include: only the objects show it.
printf 'int b_f(void);\nint a_f(void) { return b_f(); }\n' >"$t/src/a.c"
out=$($check "$t") || defect "no include cycle, yet: $out"
cc -c -o "$t/build/src/prog-a.o" "$t/src/a.c" || fail "cc a.c"
cc -c -o "$t/build/src/prog-b.o" "$t/src/b.c" || fail "cc b.c"
out=$($check "$t" "$t/build") && defect "a call cycle passed: $out"
[[ $out == *"a -> b: prog-a.o uses b_f"* ]] || defect "the call cycle printed as: $out"

# --- the sources and objects of this tree -------------------------------------

out=$($check "$TESTS_SRCDIR/.." "$builddir") || defect "$out"
note "$out"
read -r modules _ edges _ < <(tail -n 1 <<<"$out")
if [ "${modules:-0}" -lt 30 ] || [ "${edges:-0}" -lt 100 ]; then
	defect "too small a graph to be this tree's: $out"
fi

finish
