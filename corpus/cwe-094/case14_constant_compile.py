FIELDS = ("id", "name", "email", "created")

_TEMPLATE = """
class Record(tuple):
    __slots__ = ()
    def __new__(cls, id, name, email, created):
        return tuple.__new__(cls, (id, name, email, created))
"""


def make_record_type():
    namespace = {}
    exec(compile(_TEMPLATE, "<record>", "exec"), namespace)
    return namespace["Record"]


Record = make_record_type()
