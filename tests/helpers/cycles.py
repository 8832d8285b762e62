# SPDX-License-Identifier: ISC
"""
Finds dependency cycles between the source files of src/ (src/ws/ too).

A module is foo.c with foo.h: one node.  Module a depends on module b when
a's file includes "b.h", or when an object built from a uses a symbol that
an object built from b defines (a call without an include is a dependency
all the same).  Every cycle found is printed with the reason for each edge;
the exit status is 1 if there is one.

    cycles.py SRCDIR [BUILDDIR]

SRCDIR is the top of the source tree; BUILDDIR, the top of a built tree
whose src/**/*.o are read with nm (left out: includes only).
"""

import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def module(path):
    """foo.c, foo.h and src/wsbenchd-foo.o are all module foo."""
    base = os.path.splitext(os.path.basename(path))[0]
    if path.endswith(".o"):
        # automake names per-target objects PROGRAM-FILE.o; module names
        # have no '-'.
        base = base.rsplit("-", 1)[-1]
    return base


def sources(srcdir):
    for root, _, files in os.walk(os.path.join(srcdir, "src")):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                yield os.path.join(root, f)


def include_edges(srcdir, edges):
    paths = list(sources(srcdir))
    known = {module(p) for p in paths}
    for p in paths:
        with open(p, encoding="utf-8") as f:
            text = f.read()
        for inc in INCLUDE.findall(text):
            to = module(inc)
            if to in known:
                edges.setdefault((module(p), to),
                                 "%s includes \"%s\"" %
                                 (os.path.basename(p), inc))
    return known


def nm(obj):
    """(defined, undefined) external symbols of one object."""
    out = subprocess.run(["nm", "-P", obj], check=True, capture_output=True,
                         text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        name, kind = fields[0], fields[1]
        if kind == "U":
            undefined.add(name)
        elif kind.isupper():
            defined.add(name)
    return defined, undefined


def symbol_edges(builddir, known, edges):
    objs = []
    for root, _, files in os.walk(os.path.join(builddir, "src")):
        objs += [os.path.join(root, f) for f in sorted(files)
                 if f.endswith(".o") and module(f) in known]
    if not objs:
        sys.exit("cycles.py: no object under %s/src: build first" % builddir)
    where, uses = {}, []
    for o in objs:
        defined, undefined = nm(o)
        for s in defined:
            where[s] = module(o)
        uses.append((module(o), os.path.basename(o), undefined))
    for m, name, undefined in uses:
        for s in sorted(undefined):
            to = where.get(s)
            if to is not None:
                edges.setdefault((m, to), "%s uses %s" % (name, s))


def components(nodes, succ):
    """Tarjan's strongly connected components, without recursion."""
    index, low, on, stack, out = {}, {}, set(), [], []
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(succ[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(succ[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


def cycle_in(comp, succ):
    """One cycle through the first module of a component (breadth first,
    so the shortest)."""
    inside = set(comp)
    start = comp[0]
    prev = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(succ[v]):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return [start] + path[::-1][1:] + [start]
            if w in inside and w not in prev:
                prev[w] = v
                queue.append(w)
    return [start, start]


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: cycles.py SRCDIR [BUILDDIR]")
    edges = {}
    known = include_edges(sys.argv[1], edges)
    if len(sys.argv) == 3:
        symbol_edges(sys.argv[2], known, edges)
    succ = {m: set() for m in known}
    for a, b in edges:
        if a != b:
            succ[a].add(b)
    cycles = [c for c in components(known, succ) if len(c) > 1]
    for comp in cycles:
        path = cycle_in(comp, succ)
        print("cycle: " + " -> ".join(path))
        for a, b in zip(path, path[1:]):
            print("  %s -> %s: %s" % (a, b, edges[(a, b)]))
        if len(comp) > len(path) - 1:
            print("  (all of: %s)" % " ".join(comp))
    print("%d modules, %d edges, %d cycles" %
          (len(known), sum(len(s) for s in succ.values()), len(cycles)))
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
