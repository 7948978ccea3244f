"""Letter templates, rendering and print batches. Never imports Flask or ``web``."""
