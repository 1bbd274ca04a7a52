import os
import sys

# Tests run against the source tree whether or not the package is installed.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(_HERE))
sys.path.insert(0, _HERE)


import pytest  # noqa: E402

import _support  # noqa: E402


@pytest.fixture(autouse=True)
def _kill_tracked_processes():
    """No test leaves a server, client or producer process behind, whatever it asserted."""
    yield
    _support.kill_tracked()
