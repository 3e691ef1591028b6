"""The page of one territory (commune, EPCI, département): what the hub knows about it, block by
block, each with its sources, vintages and comparisons; as a page, per-block CSV and an A4 PDF."""
