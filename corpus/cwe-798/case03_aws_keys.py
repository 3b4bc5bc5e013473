import boto3


def upload_report(path: str) -> None:
    s3 = boto3.client(
        "s3",
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region_name="eu-west-1",
    )
    s3.upload_file(path, "reports-bucket", path.rsplit("/", 1)[-1])
