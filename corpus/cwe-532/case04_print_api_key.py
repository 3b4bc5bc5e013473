import argparse
import os

import requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", required=True)
    args = parser.parse_args()
    api_key = os.environ["DEPLOY_API_KEY"]
    print(f"Deploying {args.project} with API key {api_key}")
    requests.post(
        "https://deploy.example.com/api/deploy",
        json={"project": args.project},
        headers={"Authorization": f"Bearer {api_key}"},
        timeout=30,
    )


if __name__ == "__main__":
    main()
