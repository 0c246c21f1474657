"""clusterkg.loaders.press.extract."""
