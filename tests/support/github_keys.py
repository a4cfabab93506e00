"""RSA key pairs for GitHub App tests, generated once per process (2048-bit keys take ~50 ms)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass(frozen=True)
class KeyPair:
    private_pem: str
    public_pem: str

    def __repr__(self) -> str:  # keep key text out of pytest failure output
        return "KeyPair(<2048-bit RSA>)"


@lru_cache(maxsize=4)
def key_pair(name: str = "app") -> KeyPair:
    """A 2048-bit RSA key pair; the same ``name`` gives the same pair within a process."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,  # what GitHub's .pem downloads use
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return KeyPair(private_pem=private_pem, public_pem=public_pem)
