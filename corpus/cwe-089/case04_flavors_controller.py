import sqlalchemy as sa
from oslo_db.sqlalchemy import enginefacade

from compute.api import wsgi


class FlavorsController(wsgi.Controller):
    def index(self, req):
        context = req.environ["nova.context"]
        sort_key = req.params.get("sort_key", "flavorid")
        sort_dir = req.params.get("sort_dir", "asc")
        query = sa.text(
            "SELECT flavorid, name, memory_mb FROM flavors ORDER BY " + sort_key + " " + sort_dir
        )
        with enginefacade.reader.using(context) as session:
            rows = session.execute(query).fetchall()
        return {"flavors": [dict(r._mapping) for r in rows]}
