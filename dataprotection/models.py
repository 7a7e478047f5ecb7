"""Subject access, erasure, legal holds, retention and the tamper-evident audit chain."""
