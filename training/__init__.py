"""Training and evaluation of eevp's learned heads on real text (read from ../shared, never copied)."""
