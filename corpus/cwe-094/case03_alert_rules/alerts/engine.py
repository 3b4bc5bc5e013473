class RuleEngine:
    def __init__(self):
        self._cache = {}

    def _compile(self, condition):
        if condition not in self._cache:
            self._cache[condition] = compile(condition, "<alert-rule>", "eval")
        return self._cache[condition]

    def evaluate(self, condition, sample):
        return bool(eval(self._compile(condition), {"__builtins__": {}}, dict(sample)))
