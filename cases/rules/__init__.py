"""One small named check per legal rule (see cases/README.md). Procedure rules live in
procedure.py, execution, summary-procedure and coercion rules in execution.py."""

from .execution import *  # noqa: F403
from .procedure import *  # noqa: F403
