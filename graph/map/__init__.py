"""clusterkg.graph.map.render."""
