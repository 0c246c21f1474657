"""clusterkg.graph.cypher.load."""
