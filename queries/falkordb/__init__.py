"""FalkorDB-specific versions of library queries: a file here replaces the shared one of the same name on FalkorDB."""
