"""``python -m clusterkg``."""

from clusterkg.cli import main

main(prog_name="clusterkg")
