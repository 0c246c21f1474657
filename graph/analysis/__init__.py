"""clusterkg.graph.analysis."""
