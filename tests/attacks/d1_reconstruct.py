#!/usr/bin/env python3
"""d1_reconstruct.py - attack test D1 (Dinur-Nissim reconstruction, spec/disclosure.md
section 5) as a library: a 1000-person synthetic population with a public quasi-identifier q
(an integer per person, known to the attacker and usable in expressions) and a secret,
balanced binary attribute x; scripts of random subset-count queries (subset dummies made
from q, crossed with x in one tabulate); a least-squares decoder with the box [0, 1]^n
(FISTA, projected gradient with momentum, on sparse rows) rounded at 0.5; and the curve of
accuracy against the number of released cells. Standard library only (no numpy on CI).

Subsets: dummy j of a table is ((q * a_j) mod P) < P / 2 with P prime and a_j drawn per
dummy, written in the script as q*a - floor(q*a/P)*P (exact in doubles: q*a < 2^53). The
attacker evaluates the same with integers, so it knows exactly which of the 1000 units
each released cell covers."""
import random

P = 1000003            # prime; q and the multipliers lie in 1..P-1
HALF = P // 2 + 1      # dummy = residue < HALF


def population(n=1000, seed=20261125):
    """(q, x): distinct public integers q and a secret attribute x with exactly n/2 ones."""
    rng = random.Random(seed)
    q = rng.sample(range(1, P), n)
    x = [1] * (n // 2) + [0] * (n - n // 2)
    rng.shuffle(x)
    return q, x


def dummy(qv, a):
    return 1 if (qv * a) % P < HALF else 0


def table_plan(rng, k):
    """The multipliers of the k subset dummies of one table."""
    return [rng.randrange(2, P - 1) for _ in range(k)]


def table_script(plan, attr):
    """Script lines of one table: the dummies, the tabulate crossed with attr, the drop."""
    names = ["s%d" % (j + 1) for j in range(len(plan))]
    lines = ["generate %s = (q*%d - floor(q*%d/%d)*%d) < %d" % (s, a, a, P, P, HALF)
             for s, a in zip(names, plan)]
    lines.append("tabulate %s %s, nolabels" % (" ".join(names), attr))
    lines.append("drop " + " ".join(names))
    return lines


def row_sets(q, plan):
    """{row label as in the result document: codes joined by '|'}: list of unit indexes."""
    rows = {}
    for i, qv in enumerate(q):
        label = "|".join(str(dummy(qv, a)) for a in plan)
        rows.setdefault(label, []).append(i)
    return rows


def equations(entry_cells, q, x_known_cols, plan):
    """Equations sum_{i in R} x_i = b from one released table.
    entry_cells: {(row label, column): cell}; x_known_cols: the column labels of x = 1 and
    x = 0 (the latter may be None). Returns (rows, released cells, '<5' cells)."""
    sets = row_sets(q, plan)
    col1, col0 = x_known_cols
    eqs, released, low = [], 0, 0
    for label, units in sets.items():
        for col, flip in ((col1, False), (col0, True)):
            if col is None:
                continue
            cell = entry_cells.get((label, col))
            if cell is None:
                continue
            released += 1
            value = cell.get("value") if isinstance(cell, dict) else None
            if value is None:
                low += 1  # "<5": a range 1..4; skipped by this decoder
                continue
            b = len(units) - float(value) if flip else float(value)
            eqs.append((units, b))
    return eqs, released, low


# ---- the decoder ----------------------------------------------------------------------

def _apply(rows, x):
    return [sum(x[i] for i in idx) for idx, _ in rows]


def _gradient(rows, x, n):
    g = [0.0] * n
    for idx, b in rows:
        r = sum(x[i] for i in idx) - b
        for i in idx:
            g[i] += r
    return g


def _lipschitz(rows, n, steps=25):
    v = [1.0] * n
    lam = 1.0
    for _ in range(steps):
        w = [0.0] * n
        for idx, _b in rows:
            s = sum(v[i] for i in idx)
            for i in idx:
                w[i] += s
        lam = max(w) if w else 1.0
        if lam <= 0:
            return 1.0
        v = [t / lam for t in w]
    return lam * 1.05


def decode(rows, n, iterations=300):
    """Least squares over the box [0, 1]^n by FISTA; returns the relaxed solution."""
    x = [0.5] * n
    if not rows:
        return x
    step = 1.0 / _lipschitz(rows, n)
    y, t = x[:], 1.0
    for _ in range(iterations):
        g = _gradient(rows, y, n)
        nx = [min(1.0, max(0.0, y[i] - step * g[i])) for i in range(n)]
        nt = (1 + (1 + 4 * t * t) ** 0.5) / 2
        c = (t - 1) / nt
        y = [nx[i] + c * (nx[i] - x[i]) for i in range(n)]
        x, t = nx, nt
    return x


def accuracy(relaxed, truth):
    guess = [1 if v > 0.5 else 0 for v in relaxed]
    return sum(1 for g, t in zip(guess, truth) if g == t) / len(truth)


def baseline(truth):
    ones = sum(truth)
    return max(ones, len(truth) - ones) / len(truth)


def exposure(cell_sets, n, low_count=5, noise_variance=1.0):
    """Per-unit exposure under sdc rule R15b: each distinct released cell of at least
    low_count units adds 1/(size + 4 V) to each of its units. Returns (max, mean)."""
    e = [0.0] * n
    for units in cell_sets:
        if len(units) < low_count:
            continue
        for i in units:
            e[i] += 1.0 / (len(units) + 4 * noise_variance)
    return max(e), sum(e) / n
