"""Neo4j-specific versions of library queries: a file here replaces the shared one of the same name on Neo4j."""
