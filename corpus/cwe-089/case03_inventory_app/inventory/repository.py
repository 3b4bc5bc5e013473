from inventory.db import connection


def _category_clause(category):
    if category == "all":
        return "1 = 1"
    return "category = '{}'".format(category)


def items_in_category(category):
    sql = "SELECT sku, name, qty FROM items WHERE " + _category_clause(category)
    with connection() as conn:
        cur = conn.cursor()
        cur.execute(sql)
        return cur.fetchall()
