"""clusterkg.graph."""
