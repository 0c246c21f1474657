"""clusterkg.graph.analysis: measures on the organisation graph, one module per family.

- :mod:`.centrality`: degree, weighted degree, betweenness, closeness, PageRank, eigenvector
- :mod:`.brokerage`: Gould-Fernandez roles by group (as R's sna, and folded with a permutation test)
- :mod:`.structural_holes`: Burt's constraint, effective size, efficiency, hierarchy
- :mod:`.communities`: Louvain communities, community summary, country-by-country matrix
- :mod:`.temporal`: yearly snapshots, new ties, the difference between two dates
- :mod:`.suggest`: partner suggestions with reasons
- :mod:`.metrics`: every per-organisation measure in one table (``OUT/metrics.csv``)

Each takes graphs from :mod:`clusterkg.graph.network` and returns pandas objects.
"""
