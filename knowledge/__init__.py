"""The domain of briefbot: entities, sanctions, allegations, relations, sources and name lookup; no chat."""
