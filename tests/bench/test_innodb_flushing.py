"""bench/innodb_flushing.py: the pages InnoDB wrote back during a benchmark run and how full the
redo log was, as the suite prints and records them for every run; read from a real MariaDB."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import innodb_flushing  # noqa: E402
from innodb_flushing import Sample  # noqa: E402

DATABASE = "bench_flushing_test"


def test_describe_gives_pages_per_second_per_server_and_the_fullest_redo_log():
    before = [Sample(1_000, 100, 1_000), Sample(5_000, 200, 1_000)]
    after = [Sample(1_600, 300, 1_000), Sample(5_200, 900, 1_000)]
    # (600 + 200) pages over 2 servers and 4 s; the second server's redo log is 90 % full.
    assert innodb_flushing.describe(before, after, 4.0) == {"pages_flushed_per_s": 100.0,
                                                            "redo_full": 0.9}


@pytest.mark.parametrize("before, after, seconds", [
    ([Sample(0, 0, 1)], [Sample(0, 0, 1), Sample(0, 0, 1)], 1.0),
    ([], [], 1.0),
    ([Sample(0, 0, 1)], [Sample(0, 0, 1)], 0.0),
])
def test_describe_refuses_samples_that_do_not_pair_up(before, after, seconds):
    with pytest.raises(ValueError):
        innodb_flushing.describe(before, after, seconds)


def test_sample_counts_the_pages_a_server_writes_back(mariadb_pool):
    server = mariadb_pool.servers()[0]
    server.query(f"DROP DATABASE IF EXISTS {DATABASE}; CREATE DATABASE {DATABASE}; USE {DATABASE}; "
                 f"CREATE TABLE {DATABASE}.t (id INT PRIMARY KEY, v VARCHAR(200)) ENGINE=InnoDB; "
                 f"INSERT INTO {DATABASE}.t SELECT seq, REPEAT('x', 200) FROM seq_1_to_20000")
    try:
        before = innodb_flushing.sample([server])
        # Writes the table's dirty pages (about 300 of 16 KiB) back to its file now.
        server.query(f"FLUSH TABLES {DATABASE}.t FOR EXPORT; UNLOCK TABLES")
        after = innodb_flushing.sample([server])
    finally:
        server.query(f"DROP DATABASE {DATABASE}")
    assert after[0].pages_flushed - before[0].pages_flushed >= 100
    assert 0 <= after[0].checkpoint_age <= after[0].checkpoint_max_age
    assert after[0].checkpoint_max_age > 0
