"""Use cases, one module per workflow: the only writers of the store, each write audited in its transaction."""
