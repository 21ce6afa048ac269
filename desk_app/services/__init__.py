"""One module per workflow. Each public function is one user action: it opens
one database session, decides with ``domain``, writes, and commits there."""
