"""NSCR: resistance to targeted therapy and immunotherapy in NSCLC as a knowledge graph."""

__version__ = "0.1.0"
