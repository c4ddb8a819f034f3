"""The one error the workflow raises when the law (or the case's state) forbids a step."""

from django.core.exceptions import ValidationError


class WorkflowError(ValidationError):
    """A refused step. `message` says in Chinese what is wrong and what to do; `article` names the
    rule it enforces (e.g. "《行政处罚法》第四十二条"); `code` is stable for the API and tests.

    A ValidationError subclass, so Django forms show it as a form error (field errors when
    `field` is given) and the API can answer 400 with the same text.
    """

    def __init__(self, message, *, code, article="", field=None):
        self.article = article
        self.rule_code = code
        self.field = field
        text = f"{message}（{article}）" if article else message
        super().__init__({field: [text]} if field else text, code=code)

    @property
    def text(self):
        return self.messages[0]
