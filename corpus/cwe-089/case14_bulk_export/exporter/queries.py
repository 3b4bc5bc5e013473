import sqlite3


def placeholders(values):
    return ", ".join("?" for _ in values)


def fetch_accounts(account_ids):
    sql = "SELECT id, name, balance FROM accounts WHERE id IN (%s)" % placeholders(account_ids)
    conn = sqlite3.connect("ledger.db")
    try:
        return conn.execute(sql, account_ids).fetchall()
    finally:
        conn.close()
