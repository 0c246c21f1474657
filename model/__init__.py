"""clusterkg.model."""
