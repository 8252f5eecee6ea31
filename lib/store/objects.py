"""Where picture files go: a folder on this computer, or any S3-compatible bucket.

Both keep one object per picture under a key ``<owner>/<image id>.png`` and offer the same four
calls. Keys are built from checked ids only, so no key can climb out of its folder or prefix.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from lib.files import atomic_write
from lib.messages import Msg

#: Seconds to wait for the bucket to answer; a few retries for a flaky network.
S3_CONNECT_TIMEOUT_S = 5
S3_READ_TIMEOUT_S = 20


class ObjectStore(Protocol):
    """Picture files by key. Errors other than a missing key raise ``OSError`` or the client's own."""

    #: Says where the files are, for the teacher ("folder data/images", "bucket s3://...").
    description: str

    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes:
        """The object's bytes; ``FileNotFoundError`` when there is none."""
        ...

    def delete(self, key: str) -> None: ...

    def ping(self) -> None:
        """Raise if the store cannot be reached."""
        ...


class LocalFolder:
    """Files under one folder, private to the app's user (0700 folders, 0600 files)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.root.chmod(0o700)
        self.description: str = Msg("folder {path}", path=str(self.root))

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"key {key!r} leaves the picture folder")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, data)  # mkstemp makes the file 0600

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()

    def ping(self) -> None:
        if not os.access(self.root, os.W_OK):
            raise PermissionError(f"cannot write to {self.root}")


class S3Bucket:
    """Objects in an S3-compatible bucket (AWS, MinIO, Ceph, R2...) under an optional prefix."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        config = Config(
            connect_timeout=S3_CONNECT_TIMEOUT_S,
            read_timeout=S3_READ_TIMEOUT_S,
            retries={"max_attempts": 3, "mode": "standard"},
        )
        self._client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=config,
        )
        where = f"s3://{bucket}/{self.prefix}"
        self.description: str = (
            Msg("bucket {url} at {endpoint}", url=where, endpoint=endpoint_url) if endpoint_url
            else Msg("bucket {url}", url=where)
        )  # fmt: skip

    def _key(self, key: str) -> str:
        if ".." in key.split("/"):
            raise ValueError(f"key {key!r} leaves the prefix")
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> None:
        self._client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ContentType="image/png")

    def get(self, key: str) -> bytes:
        try:
            answer = self._client.get_object(Bucket=self.bucket, Key=self._key(key))
        except self._client.exceptions.NoSuchKey as error:
            raise FileNotFoundError(key) from error
        return bytes(answer["Body"].read())

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def ping(self) -> None:
        self._client.head_bucket(Bucket=self.bucket)

    def close(self) -> None:
        """Close the client's kept-alive connections."""
        self._client.close()


def open_objects(
    url: str,
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
) -> ObjectStore:
    """The object store for ``url``: ``s3://bucket/prefix``, ``file:///path`` or a plain folder path."""
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise ValueError("STUDIO_STORAGE_URL needs a bucket: s3://BUCKET/PREFIX")
        return S3Bucket(
            parsed.netloc, parsed.path, endpoint_url=endpoint_url, region=region,
            access_key_id=access_key_id, secret_access_key=secret_access_key,
        )  # fmt: skip
    if parsed.scheme == "file":
        return LocalFolder(parsed.path)
    if parsed.scheme and len(parsed.scheme) > 1:  # a Windows drive letter is not a scheme
        raise ValueError(f"STUDIO_STORAGE_URL: unknown kind of store {parsed.scheme!r} (use s3:// or a folder)")
    return LocalFolder(url)
