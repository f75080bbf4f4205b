"""The later kill points (see test_kill_points.py); a file of their own so that a second worker runs them."""

import pytest

from tests.reliability.test_kill_points import EARLY, MAX_POINTS, kill_point_case


@pytest.mark.parametrize("point", range(EARLY + 1, MAX_POINTS + 1), ids=lambda n: "after-task-%02d" % n)
def test_a_run_killed_after_a_later_task_is_repaired_by_the_next_run(sandbox, tmp_path, point):
    kill_point_case(sandbox, tmp_path, point)
