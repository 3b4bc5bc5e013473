import argparse
import datetime
import subprocess


def main() -> None:
    parser = argparse.ArgumentParser(description="dump the database")
    parser.add_argument("database")
    args = parser.parse_args()
    stamp = datetime.date.today().isoformat()
    target = "/tmp/" + args.database + "-" + stamp + ".sql"
    with open(target, "w") as out:
        subprocess.run(["pg_dump", args.database], stdout=out, check=True)
    print(target)


if __name__ == "__main__":
    main()
