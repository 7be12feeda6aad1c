"""Text: language detection, tokens and lemmas, sentiment, and the customer-lens tagger."""
