"""Names: normalisation for matching, pairwise scoring and the lookup index."""
