"""clusterkg.synthetic."""
