#!/usr/bin/env python3
"""Reference PC for Omen's comparison tests: a literal, dependency-free transliteration of
causal-learn's pc(data, alpha, indep_test='fisherz', stable=True, uc_rule=0, uc_priority=2)
(causallearn/search/ConstraintBased/PC.py, utils/PCUtils/{SkeletonDiscovery,UCSepset,Meek}.py,
graph/GraphClass.py, utils/cit.py FisherZ), without numpy/scipy so it runs anywhere:

  * correlation matrix as numpy.corrcoef; each test inverts the sub-correlation matrix of
    [x, y] + S (Gauss-Jordan with partial pivoting, as LAPACK's LU does), r = -P01/sqrt(P00 P11),
    p = 2 * (1 - Phi(sqrt(n - |S| - 3) * |atanh r|));
  * the endpoint matrix G[i][j] in {0, -1 (tail), 1 (arrow)}; neighbours = np.where(G[i] != 0);
    find_adj = tails then arrowheads, each as (col, row) in row-major order; unshielded
    triples / triangles / kites by itertools.permutations over those lists, exactly as
    GraphClass does;
  * skeleton: `while max_degree - 1 > depth`, for x, for y in neighbours(x), every subset of
    size depth (stable: no break; the union of separating sets is appended to sepset);
  * uc_sepset priority 2, then Meek rules 1-3 in a loop.

Usage: pc_reference.py DATA.txt [--rows N] [--alpha 0.05]
Prints the CPDAG as lines "a -> b" / "a -- b" (a < b for undirected), sorted.
"""
import math
import sys
from itertools import combinations, permutations


def read_table(path, rows=None):
    with open(path) as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    sep = ',' if ',' in lines[0] else None
    names = lines[0].split(sep) if sep else lines[0].split()
    data = []
    for l in lines[1:]:
        data.append([float(x) for x in (l.split(sep) if sep else l.split())])
        if rows is not None and len(data) >= rows:
            break
    return [n.strip() for n in names], data


def corrcoef(data):
    n, p = len(data), len(data[0])
    mean = [sum(r[j] for r in data) / n for j in range(p)]
    cov = [[0.0] * p for _ in range(p)]
    for r in data:
        d = [r[j] - mean[j] for j in range(p)]
        for i in range(p):
            di = d[i]
            row = cov[i]
            for j in range(i, p):
                row[j] += di * d[j]
    for i in range(p):
        for j in range(i, p):
            cov[i][j] /= (n - 1)
            cov[j][i] = cov[i][j]
    c = [[cov[i][j] / math.sqrt(cov[i][i] * cov[j][j]) for j in range(p)] for i in range(p)]
    return [[max(-1.0, min(1.0, v)) for v in row] for row in c]


def inverse(m):
    k = len(m)
    a = [row[:] + [1.0 if i == j else 0.0 for j in range(k)] for i, row in enumerate(m)]
    for col in range(k):
        piv = max(range(col, k), key=lambda r: abs(a[r][col]))
        if abs(a[piv][col]) < 1e-300:
            raise ValueError('singular')
        a[col], a[piv] = a[piv], a[col]
        pv = a[col][col]
        a[col] = [v / pv for v in a[col]]
        for r in range(k):
            if r != col and a[r][col] != 0.0:
                f = a[r][col]
                a[r] = [vr - f * vc for vr, vc in zip(a[r], a[col])]
    return [row[k:] for row in a]


class FisherZ:
    def __init__(self, data):
        self.n = len(data)
        self.corr = corrcoef(data)
        self.cache = {}

    def __call__(self, x, y, S):
        x, y = (x, y) if x < y else (y, x)
        S = sorted(set(S))
        key = (x, y, frozenset(S))
        if key in self.cache:
            return self.cache[key]
        var = [x, y] + S
        sub = [[self.corr[i][j] for j in var] for i in var]
        inv = inverse(sub)
        r = -inv[0][1] / math.sqrt(inv[0][0] * inv[1][1])
        if abs(r) >= 1:
            r = (1 - 2.220446049250313e-16) * (1 if r > 0 else -1)
        Z = 0.5 * math.log((1 + r) / (1 - r))
        X = math.sqrt(self.n - len(S) - 3) * abs(Z)
        p = 2 * (1 - 0.5 * math.erfc(-X / math.sqrt(2)))
        self.cache[key] = p
        return p


class CG:
    def __init__(self, n):
        self.n = n
        self.G = [[0 if i == j else -1 for j in range(n)] for i in range(n)]
        self.sepset = {}

    def neighbors(self, i):
        return [j for j in range(self.n) if self.G[i][j] != 0]

    def max_degree(self):
        return max(sum(1 for v in row if v != 0) for row in self.G)

    def remove(self, a, b):
        self.G[a][b] = self.G[b][a] = 0

    def orient(self, a, b):  # a --> b
        self.G[a][b] = -1
        self.G[b][a] = 1

    def find_adj(self):
        tails = [(c, r) for r in range(self.n) for c in range(self.n) if self.G[r][c] == -1]
        heads = [(c, r) for r in range(self.n) for c in range(self.n) if self.G[r][c] == 1]
        return tails + heads

    def is_undirected(self, i, j):
        return self.G[i][j] == -1 and self.G[j][i] == -1

    def is_fully_directed(self, i, j):
        return self.G[i][j] == -1 and self.G[j][i] == 1

    def find_unshielded_triples(self):
        return [(p0[0], p0[1], p1[1]) for p0, p1 in permutations(self.find_adj(), 2)
                if p0[1] == p1[0] and p0[0] != p1[1] and self.G[p0[0]][p1[1]] == 0]

    def find_triangles(self):
        adj = self.find_adj()
        adjset = set(adj)
        return [(p0[0], p0[1], p1[1]) for p0, p1 in permutations(adj, 2)
                if p0[1] == p1[0] and p0[0] != p1[1] and (p0[0], p1[1]) in adjset]

    def find_kites(self):
        return [(t0[0], t0[1], t1[1], t0[2]) for t0, t1 in permutations(self.find_triangles(), 2)
                if t0[0] == t1[0] and t0[2] == t1[2] and t0[1] < t1[1] and self.G[t0[1]][t1[1]] == 0]


def pc(data, alpha):
    test = FisherZ(data)
    n = len(data[0])
    cg = CG(n)
    depth = -1
    while cg.max_degree() - 1 > depth:
        depth += 1
        removal = []
        for x in range(n):
            nx = cg.neighbors(x)
            if len(nx) < depth - 1:
                continue
            for y in nx:
                seps = set()
                rest = [v for v in nx if v != y]
                for S in combinations(rest, depth):
                    if test(x, y, S) > alpha:
                        removal.append((x, y))
                        removal.append((y, x))
                        seps.update(S)
                cg.sepset.setdefault((x, y), []).append(tuple(seps))
                cg.sepset.setdefault((y, x), []).append(tuple(seps))
        for (x, y) in set(removal):
            cg.G[x][y] = 0  # remove_edge(x, y) removes both endpoints
            cg.G[y][x] = 0
    # uc_sepset, priority 2
    for (x, y, z) in [t for t in cg.find_unshielded_triples() if t[0] < t[2]]:
        if all(y not in S for S in cg.sepset[(x, z)]):
            if not cg.is_fully_directed(y, x) and not cg.is_fully_directed(y, z):
                cg.orient(x, y)
                cg.orient(z, y)
    # Meek
    UT, Tri, Kite = cg.find_unshielded_triples(), cg.find_triangles(), cg.find_kites()
    loop = True
    while loop:
        loop = False
        for (i, j, k) in UT:
            if cg.is_fully_directed(i, j) and cg.is_undirected(j, k):
                cg.orient(j, k)
                loop = True
        for (i, j, k) in Tri:
            if cg.is_fully_directed(i, j) and cg.is_fully_directed(j, k) and cg.is_undirected(i, k):
                cg.orient(i, k)
                loop = True
        for (i, j, k, l) in Kite:
            if cg.is_undirected(i, j) and cg.is_undirected(i, k) and cg.is_fully_directed(j, l) \
                    and cg.is_fully_directed(k, l) and cg.is_undirected(i, l):
                cg.orient(i, l)
                loop = True
    return cg


def main():
    args = sys.argv[1:]
    rows, alpha = None, 0.05
    if '--rows' in args:
        i = args.index('--rows'); rows = int(args[i + 1]); del args[i:i + 2]
    if '--alpha' in args:
        i = args.index('--alpha'); alpha = float(args[i + 1]); del args[i:i + 2]
    names, data = read_table(args[0], rows)
    cg = pc(data, alpha)
    out = []
    for a in range(cg.n):
        for b in range(a + 1, cg.n):
            if cg.is_fully_directed(a, b):
                out.append(f'{names[a]} -> {names[b]}')
            elif cg.is_fully_directed(b, a):
                out.append(f'{names[b]} -> {names[a]}')
            elif cg.G[a][b] != 0:
                out.append(f'{names[a]} -- {names[b]}')
    print('\n'.join(sorted(out)))


if __name__ == '__main__':
    main()
