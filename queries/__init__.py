"""clusterkg.queries."""
