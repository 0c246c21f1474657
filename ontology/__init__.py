"""clusterkg.ontology."""
