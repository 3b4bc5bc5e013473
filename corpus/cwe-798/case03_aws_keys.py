import boto3


def upload_report(path: str) -> None:
    s3 = boto3.client(
        "s3",
        aws_access_key_id="AKIA4Q7ZK2M9XB3RTW6N",
        aws_secret_access_key="q9Xv2LmT8rPz4KcW1sNf7HdY3bGj6EuA0oRi5VtZ",
        region_name="eu-west-1",
    )
    s3.upload_file(path, "reports-bucket", path.rsplit("/", 1)[-1])
