"""Themes: embeddings (and their cache), the topic model, labels, the analysis run, theme reports."""
