import argparse

import psycopg2

AUDITED_TABLES = ("accounts", "payments", "refunds")


def main() -> None:
    parser = argparse.ArgumentParser(description="add audit columns")
    parser.add_argument("--dsn", required=True)
    args = parser.parse_args()
    conn = psycopg2.connect(args.dsn)
    with conn, conn.cursor() as cur:
        for table in AUDITED_TABLES:
            cur.execute(
                "ALTER TABLE %s ADD COLUMN IF NOT EXISTS updated_by text" % table
            )
    conn.close()


if __name__ == "__main__":
    main()
