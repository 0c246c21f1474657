"""Time the network analysis on generated data, and compare two measures with their references.

Targets (issue 5), on 100,000 organisations / 300,000 agreements on a 2-core machine:

1. the full analysis, as ``clusterkg analyze metrics`` runs it (organisation graph;
   degree, weighted degree, sampled betweenness, closeness, PageRank, eigenvector;
   Gould-Fernandez brokerage by country; constraint, effective size, hierarchy;
   Louvain communities): at most 60 s and 4 GB. Loading the CSV files is timed
   apart (it is the loaders' work, with its own benchmark, validate_csv.py).
   The baseline measured in the same run is networkx's own PageRank on the same graph;
2. networkx's ``effective_size`` against clusterkg's on a 10,000-node sample of
   that graph (ratio of times, and the largest difference in values);
3. clusterkg's Gould-Fernandez against ``Rscript`` + ``sna::brokerage`` on a
   2,000-node sample (Debian's r-cran-sna; skipped with a message when Rscript
   or sna is missing), timing the brokerage call inside R and the whole Rscript
   run, and checking that the counts and z-scores agree.

    .venv/bin/python benchmarks/analyze.py [--orgs 100000] [--agreements 300000] [--seed 0]
                                           [--data DIR]  (reuse generated CSV files in DIR)

Samples are snowball samples (breadth-first from a seeded start) so they keep
the hubs and triangles a uniform node sample would lose.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

R_SCRIPT = r"""
suppressPackageStartupMessages(library(sna))
args <- commandArgs(trailingOnly = TRUE)
edges <- read.csv(args[1], stringsAsFactors = FALSE)
groups <- read.csv(args[2], stringsAsFactors = FALSE)
n <- nrow(groups)
index <- setNames(seq_len(n), groups$node)
g <- matrix(0, n, n)
g[cbind(index[edges$from], index[edges$to])] <- 1
g[cbind(index[edges$to], index[edges$from])] <- 1
took <- system.time(b <- brokerage(g, groups$group))[["elapsed"]]
out <- data.frame(node = groups$node, b$raw.nli, z = b$z.nli)
write.csv(out, args[3], row.names = FALSE)
cat(sprintf("%.6f\n", took))
"""


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def snowball(graph, size: int, seed: int):
    """The subgraph induced by the first ``size`` nodes reached breadth-first from a seeded start."""
    import networkx as nx

    rng = random.Random(seed)
    giant = max(nx.connected_components(graph), key=len)
    start = rng.choice(sorted(giant))
    chosen = [start]
    for _, v in nx.bfs_edges(graph, start):
        chosen.append(v)
        if len(chosen) == size:
            break
    return graph.subgraph(chosen).copy()


def child(folder: Path, seed: int) -> dict:
    """Runs in its own process, so its peak memory is the analysis's alone."""
    import networkx as nx
    import numpy as np
    from clusterkg.graph.analysis.brokerage import (
        gould_fernandez,
        gould_fernandez_folded,
    )
    from clusterkg.graph.analysis.metrics import organization_metrics
    from clusterkg.graph.analysis.structural_holes import effective_size
    from clusterkg.graph.network import organization_graph
    from clusterkg.loaders.assemble import load_dataset

    report: dict = {}
    start = time.perf_counter()
    ds = load_dataset([folder])
    report["load_s"] = time.perf_counter() - start
    report["valid"] = ds.valid
    report["rss_after_load_mb"] = peak_mb()
    gc.freeze()  # as `clusterkg analyze` does after loading

    cpu = time.process_time()

    start = time.perf_counter()
    graph = organization_graph(ds, isolates=False)
    report["projection_s"] = time.perf_counter() - start
    report["nodes"], report["edges"] = graph.number_of_nodes(), graph.number_of_edges()

    parts: dict[str, float] = {}
    start = time.perf_counter()
    table = organization_metrics(graph, seed=seed)
    parts["metrics_s"] = time.perf_counter() - start
    t = time.perf_counter()
    sna_form = gould_fernandez(graph, "country")
    parts["gould_fernandez_sna_form_s"] = time.perf_counter() - t
    report["analysis_s"] = report["projection_s"] + parts["metrics_s"] + parts["gould_fernandez_sna_form_s"]
    report["analysis_cpu_s"] = time.process_time() - cpu
    report.update(parts)
    report["peak_rss_mb"] = peak_mb()
    report["betweenness"] = table.attrs["betweenness"]
    report["closeness"] = table.attrs["closeness"]
    report["communities"] = {k: v for k, v in table.attrs["communities"].items()}
    report["communities"]["count"] = int(table["community"].nunique())
    report["graph_total_brokerage_z"] = float(sna_form.graph.loc["total", "z"])

    # The per-node breakdown of the full analysis, timed one measure at a time.
    from clusterkg.graph.analysis import centrality as c
    from clusterkg.graph.analysis.communities import communities
    from clusterkg.graph.analysis.structural_holes import structural_holes

    pieces = {
        "betweenness": lambda: c.betweenness(graph, seed=seed),
        "closeness": lambda: c.closeness(graph, seed=seed),
        "pagerank": lambda: c.pagerank(graph),
        "eigenvector": lambda: c.eigenvector(graph),
        "structural_holes": lambda: structural_holes(graph),
        "brokerage_folded": lambda: gould_fernandez_folded(graph, permutations=0),
        "louvain": lambda: communities(graph, seed=seed),
    }
    report["pieces_s"] = {}
    for name, run in pieces.items():
        t = time.perf_counter()
        run()
        report["pieces_s"][name] = time.perf_counter() - t
    from clusterkg.graph.analysis._arrays import to_arrays
    from clusterkg.graph.analysis.brokerage import _codes, _FoldedCounter

    counter = _FoldedCounter(to_arrays(graph))
    codes, names, _ = _codes(graph, "country")
    rng = np.random.default_rng(seed)
    t = time.perf_counter()
    for _ in range(5):
        counter.counts(rng.permutation(codes), len(names))
    report["per_permutation_s"] = (time.perf_counter() - t) / 5

    # Baseline: networkx's own PageRank, a whole-graph computation, on the same graph.
    t = time.perf_counter()
    nx.pagerank(graph, weight="weight")
    report["baseline_nx_pagerank_s"] = time.perf_counter() - t

    # 2. effective size: networkx against ours on a 10,000-node snowball sample.
    sample = snowball(graph, 10_000, seed)
    t = time.perf_counter()
    theirs = nx.effective_size(sample)
    report["nx_effective_size_s"] = time.perf_counter() - t
    t = time.perf_counter()
    ours = effective_size(sample)
    report["our_effective_size_s"] = time.perf_counter() - t
    diff = [abs(ours[n] - theirs[n]) for n in sample if theirs[n] == theirs[n]]
    report["effective_size_sample"] = {"nodes": sample.number_of_nodes(), "edges": sample.number_of_edges(),
                                       "max_abs_difference": max(diff)}

    # 3. Gould-Fernandez on a 2,000-node sample, here; R runs in the parent.
    small = snowball(graph, 2_000, seed + 1)
    t = time.perf_counter()
    ours_gf = gould_fernandez(small, "country")
    report["our_gould_fernandez_2000_s"] = time.perf_counter() - t
    report["gf_sample"] = {"nodes": small.number_of_nodes(), "edges": small.number_of_edges()}
    tmp = Path(tempfile.mkdtemp(prefix="clusterkg-gf-"))
    with (tmp / "edges.csv").open("w") as handle:
        handle.write("from,to\n")
        handle.writelines(f"{u},{v}\n" for u, v in small.edges())
    with (tmp / "groups.csv").open("w") as handle:
        handle.write("node,group\n")
        handle.writelines(f"{n},{small.nodes[n]['country']}\n" for n in small)
    ours_gf.raw.join(ours_gf.z.add_prefix("z_")).to_csv(tmp / "ours.csv")
    report["gf_dir"] = str(tmp)
    report["numpy"] = np.__version__
    report["networkx"] = nx.__version__
    return report


def compare_with_r(folder: Path) -> dict:
    import numpy as np
    import pandas as pd

    if shutil.which("Rscript") is None:
        return {"skipped": "Rscript not found (apt-get install r-cran-sna)"}
    script = folder / "gf.R"
    script.write_text(R_SCRIPT)
    start = time.perf_counter()
    done = subprocess.run(["Rscript", str(script), str(folder / "edges.csv"), str(folder / "groups.csv"),
                           str(folder / "theirs.csv")], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        return {"skipped": f"Rscript failed: {done.stderr.strip()[-300:]}"}
    ours = pd.read_csv(folder / "ours.csv", index_col=0)
    theirs = pd.read_csv(folder / "theirs.csv", index_col=0)
    ours.index = ours.index.astype(str)
    theirs.index = theirs.index.astype(str)
    names = {"coordinator": "w_I", "itinerant": "w_O", "representative": "b_IO", "gatekeeper": "b_OI",
             "liaison": "b_O", "total": "t"}
    raw_diff = max(float(np.nanmax(np.abs(ours.loc[theirs.index, ours_col].to_numpy()
                                          - theirs[theirs_col].to_numpy())))
                   for ours_col, theirs_col in names.items())
    z_diff = max(float(np.nanmax(np.abs(ours.loc[theirs.index, f"z_{ours_col}"].to_numpy()
                                        - theirs[f"z.{theirs_col}"].to_numpy())))
                 for ours_col, theirs_col in names.items())
    return {"r_brokerage_call_s": float(done.stdout.strip().splitlines()[-1]), "rscript_wall_s": wall,
            "max_abs_difference_raw": raw_diff, "max_abs_difference_z": z_diff}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--agreements", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, help="Folder of generated CSV files to reuse (written when missing).")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(child(args.child, args.seed), default=str))
        return 0

    with tempfile.TemporaryDirectory(prefix="clusterkg-bench-") as tmp:
        folder = args.data or Path(tmp) / "data"
        if not (folder / "agreements.csv").is_file():
            # Generated in a process of its own, so its memory is not counted below.
            code = ("import sys; from clusterkg.synthetic.generate import generate, write_generated; "
                    "write_generated(generate(*map(int, sys.argv[1:4])), sys.argv[4], 'csv')")
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code, str(args.orgs), str(args.agreements), str(args.seed),
                            str(folder)], check=True)
            print(f"generated {args.orgs:,} organisations / {args.agreements:,} agreements in "
                  f"{time.perf_counter() - start:.0f} s", flush=True)
        done = subprocess.run([sys.executable, __file__, "--child", str(folder), "--seed", str(args.seed)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        report = json.loads(done.stdout.strip().splitlines()[-1])
        gf_dir = Path(report.pop("gf_dir"))
        try:
            report["r"] = compare_with_r(gf_dir)
        finally:
            shutil.rmtree(gf_dir, ignore_errors=True)

    r = report
    print(f"graph: {r['nodes']:,} organisations with ties, {r['edges']:,} ties "
          f"(networkx {r['networkx']}, numpy {r['numpy']})")
    print(f"loading the CSV files (not part of the target): {r['load_s']:.1f} s, "
          f"{r['rss_after_load_mb']:,.0f} MB after loading")
    print(f"full analysis: {r['analysis_s']:.1f} s wall, {r['analysis_cpu_s']:.1f} s CPU (target 60 s) = "
          f"{r['analysis_s'] / r['baseline_nx_pagerank_s']:.0f} x networkx PageRank on the same graph "
          f"({r['baseline_nx_pagerank_s']:.2f} s); peak memory {r['peak_rss_mb']:,.0f} MB (target 4,096 MB, "
          f"records included)")
    print(f"  projection {r['projection_s']:.1f} s, every per-organisation measure {r['metrics_s']:.1f} s, "
          f"sna-form brokerage {r['gould_fernandez_sna_form_s']:.1f} s")
    print("  one at a time: " + ", ".join(f"{k} {v:.1f} s" for k, v in r["pieces_s"].items()))
    print(f"  betweenness {r['betweenness']['method']} from {r['betweenness']['sample_size']} sources "
          f"(seed {r['betweenness']['seed']}); {r['communities']['count']:,} communities by "
          f"{r['communities']['engine']}, modularity {r['communities']['modularity']:.3f}; "
          f"one brokerage permutation {r['per_permutation_s']:.2f} s")
    s = r["effective_size_sample"]
    print(f"effective size on a {s['nodes']:,}-node sample ({s['edges']:,} ties): networkx "
          f"{r['nx_effective_size_s']:.2f} s, clusterkg {r['our_effective_size_s']:.3f} s = "
          f"{r['nx_effective_size_s'] / r['our_effective_size_s']:.0f} x faster; "
          f"largest difference {s['max_abs_difference']:.1e}")
    g = r["gf_sample"]
    if "skipped" in r["r"]:
        print(f"Gould-Fernandez on {g['nodes']:,} nodes: clusterkg {r['our_gould_fernandez_2000_s']:.3f} s; "
              f"R skipped: {r['r']['skipped']}")
    else:
        rr = r["r"]
        print(f"Gould-Fernandez on a {g['nodes']:,}-node sample ({g['edges']:,} ties): clusterkg "
              f"{r['our_gould_fernandez_2000_s']:.3f} s; sna::brokerage {rr['r_brokerage_call_s']:.2f} s "
              f"(= {rr['r_brokerage_call_s'] / r['our_gould_fernandez_2000_s']:.0f} x), whole Rscript run "
              f"{rr['rscript_wall_s']:.1f} s; largest difference: counts {rr['max_abs_difference_raw']:.1e}, "
              f"z-scores {rr['max_abs_difference_z']:.1e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
