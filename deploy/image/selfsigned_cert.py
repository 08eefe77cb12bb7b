"""Make a self-signed TLS certificate for nginx on first start (compose's ``tls-init`` job).

Usage: ``python /app/tools/selfsigned_cert.py DIR [HOSTNAME...]`` writes ``DIR/privkey.pem``
(mode 0600) and ``DIR/fullchain.pem`` unless ``DIR/fullchain.pem`` already exists: a
certificate put there by hand (a real one) is never replaced. The names default to
``$TLS_HOSTNAMES`` (comma-separated), else ``localhost``; ``localhost`` and ``127.0.0.1`` are
always included. Valid 397 days; browsers warn until it is replaced by a trusted one.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALID_DAYS = 397


def make_certificate(hostnames: list[str], now: dt.datetime | None = None) -> tuple[bytes, bytes]:
    """(private key PEM, certificate PEM) for ``hostnames`` (the first is the subject)."""
    now = now or dt.datetime.now(dt.UTC)
    names = list(dict.fromkeys([*hostnames, "localhost"]))
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    alt_names: list[x509.GeneralName] = [x509.DNSName(name) for name in names]
    alt_names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


def ensure_certificate(directory: Path, hostnames: list[str]) -> bool:
    """Write the pair into ``directory`` unless a certificate is there; True when written."""
    chain = directory / "fullchain.pem"
    if chain.exists():
        return False
    directory.mkdir(parents=True, exist_ok=True)
    key_pem, cert_pem = make_certificate(hostnames)
    key_path = directory / "privkey.pem"
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_pem)
    chain.write_bytes(cert_pem)  # last: its presence means the pair is complete
    return True


def main(argv: list[str]) -> int:
    """Entry point (see the module docstring)."""
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    names = argv[1:] or [
        name.strip() for name in os.environ.get("TLS_HOSTNAMES", "").split(",") if name.strip()
    ]
    written = ensure_certificate(Path(argv[0]), names or ["localhost"])
    print("self-signed certificate written" if written else "a certificate is already there")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
