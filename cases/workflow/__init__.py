"""The only code that changes case state. The contract is in cases/README.md."""

from .actions import *  # noqa: F403
from .coercion import *  # noqa: F403
from .decision import *  # noqa: F403
from .execution import *  # noqa: F403
from .filing import *  # noqa: F403
from .investigation import *  # noqa: F403
from .notice import *  # noqa: F403
from .remedies import *  # noqa: F403
from .review import *  # noqa: F403
from .summary import *  # noqa: F403
