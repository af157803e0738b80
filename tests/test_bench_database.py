"""The benchmark's database lock: a second run waits while the first prepares the same database."""

import threading

import bench.database
from bench.database import BenchDatabase, database_lock, static_lock


def test_a_second_run_waits_until_the_first_has_prepared_the_database(tmp_path, monkeypatch):
    monkeypatch.setattr(bench.database, "VAR_DIR", tmp_path)
    database = BenchDatabase("sqlite", f"sqlite:///{tmp_path}/bench-M.sqlite3", "var/bench/bench-M.sqlite3")
    other = BenchDatabase("sqlite", f"sqlite:///{tmp_path}/bench-L.sqlite3", "var/bench/bench-L.sqlite3")
    entered = threading.Event()

    def second_run() -> None:
        with database_lock(database):
            entered.set()

    with database_lock(database):
        waiting = threading.Thread(target=second_run)
        waiting.start()
        assert not entered.wait(0.3)  # the same database: it waits
        with database_lock(other):  # another database: no wait
            pass
    assert entered.wait(5)  # and goes on once the first is done
    waiting.join()


def test_runs_of_different_databases_collect_the_static_files_one_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(bench.database, "VAR_DIR", tmp_path)
    entered = threading.Event()

    def second_run() -> None:
        with static_lock():
            entered.set()

    with static_lock():
        waiting = threading.Thread(target=second_run)
        waiting.start()
        assert not entered.wait(0.3)
    assert entered.wait(5)
    waiting.join()
