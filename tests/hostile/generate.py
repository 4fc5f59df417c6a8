#!/usr/bin/env python3
"""Writes the large hostile inputs of tests/hostile into DIR (too big to keep in the tree).

Each is made exactly as in the issue-11 repro README (/work/shared/repros/README.md, found on
the main of 2026-11-29): python3 tests/hostile/generate.py DIR
"""
import sys
from pathlib import Path

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)


def chain(op, n):
    return 'series x = metric("x")\nrule R { on x when ' + op.join(["x"] * n) + " > 1 }\n"


files = {
    # SIGSEGV in check::lower_graph (recursion per edge)
    "gen_graph_chain_50000.omen": "graph g {\n"
    + "".join(f"n{i} -> n{i + 1}\n" for i in range(50000))
    + "}\n",
    # SIGSEGV inside the ANTLR parser (right-associative chain)
    "gen_pow_chain_30000.omen": chain(" ^ ", 30000),
    # 38 s (quadratic) then SIGSEGV in Elaborator::eval_binary
    "gen_add_chain_16000.omen": chain(" + ", 16000),
    # a chain just inside the nesting limit (256) must still check
    "gen_add_chain_200.omen": chain(" + ", 200),
    # else-if chains recurse in the parser too
    "gen_if_chain_5000.omen": 'series x = metric("x")\nrule R { on x when '
    + "".join("if x > 1 then x else " for _ in range(5000))
    + "x > 1 }\n",
    # brackets up to the limit (256) check; one more level is E041
    "gen_parens_250.omen": 'series x = metric("x")\nrule R { on x when ' + "(" * 250 + "x" + ")" * 250 + " > 1 }\n",
    "gen_parens_300.omen": 'series x = metric("x")\nrule R { on x when ' + "(" * 300 + "x" + ")" * 300 + " > 1 }\n",
    # a long chain of constants: the checker's walk is bounded too
    "gen_const_chain_5000.omen": "".join(f"const c{i} = c{i + 1}\n" for i in range(5000))
    + "const c5000 = 1\nseries x = metric(\"x\")\nrule R { on x when x > c0 }\n",
    # a long chain of series declarations
    "gen_series_chain_1000.omen": 'series s0 = metric("x")\n'
    + "".join(f"series s{i + 1} = s{i}\n" for i in range(1000))
    + "rule R { on s1000 when s1000 > 1 }\n",
    # a Latin-1 runbook for `omen propose --docs`
    "gen_latin1_doc.md": b"Runbook: caf\xe9 latency\n",
    # 2 MiB of source: over the 1 MiB limit, read only up to the limit
    "gen_big_source.omen": "# " + "x" * (2 << 20) + "\n",
}
(out / "gen_empty_dir").mkdir(exist_ok=True)
(out / "gen_empty_dir" / "README.txt").write_text("no rule files here\n")
for name, text in files.items():
    data = text if isinstance(text, bytes) else text.encode()
    (out / name).write_bytes(data)
