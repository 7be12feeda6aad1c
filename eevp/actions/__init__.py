"""Actions: what someone will do about a theme, a survey item, an EVP gap or an exit reason, and
what changed since (``targets``: what an action points at; ``register``: create, update, list;
``effect``: the target's figure then and now, through the anonymity layer)."""
