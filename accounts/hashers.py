"""How passwords are hashed: Argon2id with OWASP's parameters, not Django's heavier defaults.

Django's `Argon2PasswordHasher` asks for 100 MiB and eight lanes per hash.
On the reference machine (two cores, three sync workers) fifty people
signing in within seconds queued every other request behind their hashes.
OWASP's Password Storage Cheat Sheet recommends for Argon2id at least
19 MiB of memory, two passes and one lane (m=19456, t=2, p=1): that is what
is used here, the documented way of tuning Django's hasher (a subclass that
changes its parameters). The algorithm name stays "argon2", so hashes made
with Django's defaults are still read, and Django hashes a password again
with these parameters when its owner next signs in (`must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's recommended minimum: 19 MiB, two passes, one lane."""

    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
