"""clusterkg: a knowledge graph of the agreements between life-science clusters."""

__version__ = "0.1.0"
