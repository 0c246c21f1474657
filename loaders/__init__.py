"""clusterkg.loaders."""
