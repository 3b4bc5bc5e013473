import subprocess
import tempfile

import boto3


def backup_to_s3(db: str, bucket: str) -> None:
    dump = tempfile.mktemp(prefix="pgdump-", suffix=".sql")
    subprocess.run(["pg_dump", "-f", dump, db], check=True)
    boto3.client("s3").upload_file(dump, bucket, f"backups/{db}.sql")
