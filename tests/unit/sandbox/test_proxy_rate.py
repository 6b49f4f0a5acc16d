"""``max_requests_per_minute`` as a sliding 60-second window, on an injected clock."""

from __future__ import annotations

from tank.sandbox.proxy_rate import RateWindow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_no_limit_admits_everything() -> None:
    window = RateWindow(None)
    assert all(window.admit() for _ in range(10_000))


def test_the_window_slides() -> None:
    clock = Clock()
    window = RateWindow(3, clock=clock)
    assert [window.admit() for _ in range(4)] == [True, True, True, False]
    clock.now += 30
    assert not window.admit()  # the first three are 30 s old: still inside the minute
    clock.now += 29.9
    assert not window.admit()
    clock.now += 0.1  # exactly 60 s after the first three
    assert [window.admit() for _ in range(4)] == [True, True, True, False]


def test_refused_requests_take_no_place() -> None:
    clock = Clock()
    window = RateWindow(1, clock=clock)
    assert window.admit()
    for _ in range(100):
        clock.now += 0.5
        assert not window.admit()  # retrying all along does not push the window forward
    clock.now = 1060.0
    assert window.admit()


def test_a_burst_at_the_edge_of_a_fixed_minute_is_still_limited() -> None:
    # A fixed per-minute counter would admit 2 x limit around the minute boundary.
    clock = Clock()
    clock.now = 59.9
    window = RateWindow(5, clock=clock)
    assert sum(window.admit() for _ in range(5)) == 5
    clock.now = 60.1
    assert sum(window.admit() for _ in range(5)) == 0
