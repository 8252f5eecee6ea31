"""``python -m lib.store copy --to-database URL --to-storage URL``: move a class's data to another store.

The source is the store the settings describe (the embedded one under ``STUDIO_DATA_DIR`` when
nothing is set), or ``--from-database`` / ``--from-storage``. The target's S3 endpoint and keys
come from ``--to-s3-endpoint`` or the usual settings (``STUDIO_S3_ENDPOINT_URL``, ``AWS_*``).
Prints what was copied and verified; exits 1 when anything does not match. Safe to run again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lib.errors import StoreUnavailable
from lib.redact import redact
from lib.settings import load_settings
from lib.store import open_store
from lib.store.copy import copy_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.store", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    copy = commands.add_parser("copy", help="copy everything the store keeps into another store")
    copy.add_argument("--to-database", required=True, help="SQLAlchemy URL, e.g. postgresql+psycopg://u:p@db/studio")
    copy.add_argument("--to-storage", required=True, help="s3://bucket/prefix or a folder")
    copy.add_argument("--to-s3-endpoint", help="the target bucket's endpoint (MinIO, Ceph, R2...)")
    copy.add_argument("--from-database", help="the source's URL (default: the settings)")
    copy.add_argument("--from-storage", help="the source's picture store (default: the settings)")
    args = parser.parse_args(argv)

    settings = load_settings()
    credentials = {
        "aws_region": settings.aws_region, "aws_access_key_id": settings.aws_access_key_id,
        "aws_secret_access_key": settings.aws_secret_access_key,
    }  # fmt: skip
    try:
        source = open_store(
            data_dir=Path(settings.data_dir), database_url=args.from_database or settings.database_url,
            storage_url=args.from_storage or settings.storage_url, s3_endpoint_url=settings.s3_endpoint_url,
            secrets=settings.secrets, **credentials,
        )  # fmt: skip
        target = open_store(
            data_dir=Path(settings.data_dir), database_url=args.to_database, storage_url=args.to_storage,
            s3_endpoint_url=args.to_s3_endpoint or settings.s3_endpoint_url, secrets=settings.secrets, **credentials,
        )  # fmt: skip
        report = copy_store(source, target, progress=lambda line: print(line, file=sys.stderr))
    except StoreUnavailable as error:
        print(f"{error} ({redact(error.detail or '', settings.secrets)})", file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
