"""The demo organisation: a seeded generator whose phrases live in ``eevp/resources/demo/``."""
