"""--executor dask: the per-card work on a Dask cluster, the merge here.

Against a real distributed.LocalCluster whose workers are processes of their own, as on
other machines; started once for the module. Real OCR is the slow part, so only a few
cards are read for real; the failure paths use quick stand-in work.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cloudpickle
import dask
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ALL_SAMPLES, SAMPLES, run_cli
from distributed import LocalCluster

from cardscan.cli.main import cli
from cardscan.config import Pipeline, load_pipeline
from cardscan.errors import DaskMissingError, ExecutorError, ExitCode
from cardscan.executors import dask as dask_executor
from cardscan.executors import run_batch
from cardscan.load import card_id_of
from cardscan.model import CardResult, Status
from cardscan.pipeline import CardJob

# The stand-in work below runs on the cluster's workers, which cannot import this test
# module: it travels by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

# A second cluster in the module finds the HTTP port taken by the first: expected.
pytestmark = pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning")

READ = ["us-classic-wood", "uk-london-band-left", "de-gmbh-small-print"]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    # allowed-failures 1: the scheduler gives a card one more worker after the first one
    # dies under it (Dask's default is 3 more), which keeps the crash test short.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _truth_emails(name: str) -> list[str]:
    [sample] = [s for s in ALL_SAMPLES if s.name == name]
    return sorted(sample.contact["emails"])


def _pipeline(**ocr: float) -> Pipeline:
    pipeline = load_pipeline()
    return dataclasses.replace(pipeline, ocr=dataclasses.replace(pipeline.ocr, **ocr))


def _photos(tmp_path: Path, names: list[str]) -> list[Path]:
    """One sample under the given names (the stand-in work looks at them), each with
    bytes of its own."""
    paths = []
    for name in names:
        path = tmp_path / name
        path.write_bytes((SAMPLES / f"{READ[0]}.jpg").read_bytes() + name.encode())
        paths.append(path)
    return paths


def stand_in(job: CardJob) -> CardResult:
    """Quick work for the failure paths; the photo's name says how it goes wrong."""
    name = Path(job.path).name
    if "boom" in name:
        raise RuntimeError("boom\nwith a second line")
    if "hang" in name:
        time.sleep(8)  # past the card's time limit; Dask cannot stop the thread
    if "crash" in name:
        marker = Path(f"{job.path}.tried")
        if "always" in name or not marker.exists():
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does
    assert job.data is not None  # the worker gets the bytes, not only the path
    return CardResult(job.path, card_id_of(job.data), Status.OK)


def test_cards_are_read_on_the_cluster_in_input_order(scheduler: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"  # fails on the worker, which decodes it
    bad.write_bytes(b"not an image")
    gone = tmp_path / "gone.jpg"  # fails here, where the photos are read: never sent
    good = [SAMPLES / f"{n}.jpg" for n in READ]
    photos = [good[0], bad, good[1], gone, good[2]]
    jobs = [CardJob(str(p), load_pipeline(), "US") for p in photos]
    results = list(run_batch(jobs, 1, executor="dask", scheduler=scheduler))
    assert [r.source for r in results] == [str(p) for p in photos]
    assert [r.status is Status.FAILED for r in results] == [False, True, False, True, False]
    assert results[1].issues[0].message.startswith(f"{bad}: not an image cardscan can read")
    assert results[3].issues[0].message == f"{gone}: no such file: check the path"
    read = results[::2]
    assert [sorted(r.contact.emails) for r in read] == [_truth_emails(n) for n in READ]
    assert results[0].card_id == hashlib.sha256(photos[0].read_bytes()).hexdigest()


def test_ingest_on_the_cluster_merges_into_the_book(scheduler: str, tmp_path: Path) -> None:
    photos = [str(SAMPLES / f"{n}.jpg") for n in READ[:2]]
    done = run_cli("ingest", *photos, "--executor", "dask", "--scheduler", scheduler, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Read 2 card photos: 2 new,")
    sheet = openpyxl.load_workbook(tmp_path / "contacts.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    emails = rows[0].index("Emails")
    assert sorted(r[emails] for r in rows[1:]) == sorted(
        "; ".join(_truth_emails(n)) for n in READ[:2]
    )


def test_an_unreachable_scheduler_stops_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", 2.0)  # 10 s in use
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    photo = str(SAMPLES / f"{READ[0]}.jpg")
    done = run_cli("ingest", photo, "--executor", "dask", "--scheduler", address, cwd=tmp_path)
    assert done.returncode == ExitCode.EXECUTOR == 9
    assert done.stderr == (
        f"cardscan: error: cannot reach the Dask scheduler at {address} (no answer in 2 s): "
        "start one with `dask scheduler` (and `dask worker ADDRESS` on each machine), "
        "or check the address\n"
    )
    assert list(tmp_path.iterdir()) == []  # no book, no .cardscan/


@pytest.mark.parametrize(
    "args,env,message",
    [
        (["--scheduler", "tcp://10.0.0.5:8786"], {}, "--scheduler works with --executor dask"),
        (["--executor", "dask"], {}, "--executor dask needs --scheduler ADDRESS"),
        (["--executor", "dask", "--scheduler", "tcp://h:1", "--jobs", "2"], {}, "--jobs sets"),
    ],
)
def test_executor_options_are_checked_together(
    args: list[str], env: dict[str, str], message: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path), *args], env=env)
    assert result.exit_code == 2
    assert message in result.output


def test_the_dask_variable_is_the_default_scheduler_and_only_that(tmp_path: Path) -> None:
    env = {"DASK_SCHEDULER_ADDRESS": "not-an-address"}
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path)], env=env)
    assert result.exit_code == ExitCode.INPUT  # process pool: the variable is not used
    (tmp_path / "card.jpg").write_bytes(b"never read: the cluster check stops the run first")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path), "--executor", "dask"], env=env)
    assert result.exit_code == ExitCode.EXECUTOR
    assert "'not-an-address' is not a Dask scheduler address" in result.output


def test_an_error_in_a_card_fails_that_card_only(scheduler: str, tmp_path: Path) -> None:
    photos = _photos(tmp_path, ["a.jpg", "boom.jpg", "b.jpg"])
    jobs = [CardJob(str(p), load_pipeline(), "US") for p in photos]
    results = list(dask_executor.run_on_dask(jobs, scheduler, work=stand_in))
    assert [r.status is Status.FAILED for r in results] == [False, True, False]
    assert results[1].issues[0].message == (
        f"{photos[1]}: internal error while reading the card "
        "(RuntimeError: boom with a second line)"
    )
    assert [r.card_id for r in results[::2]] == [card_id_of(p.read_bytes()) for p in photos[::2]]


def test_a_card_over_its_time_limit_fails_from_here(scheduler: str, tmp_path: Path) -> None:
    photos = _photos(tmp_path, ["hang.jpg", "a.jpg"])
    jobs = [CardJob(str(p), _pipeline(card_timeout=1.0), "US") for p in photos]
    started = time.monotonic()
    results = list(dask_executor.run_on_dask(jobs, scheduler, work=stand_in))
    assert time.monotonic() - started < 6  # the worker's thread sleeps 8 s
    assert [r.status for r in results] == [Status.FAILED, Status.OK]
    assert results[0].issues[0].code == "timeout"
    assert "took longer than 1 s" in results[0].issues[0].message


def test_ctrl_c_yields_the_finished_prefix_then_stops(
    scheduler: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    photos = _photos(tmp_path, ["a.jpg", "b.jpg", "hang.jpg", "c.jpg"])
    jobs = [CardJob(str(p), load_pipeline(), "US") for p in photos]
    received: list[str] = []
    second = 0.0
    # Ctrl-C as a terminal delivers it, even when the tests run in the background (SIGINT
    # ignored, as a shell starts background jobs).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    request.addfinalizer(lambda: signal.signal(signal.SIGINT, previous))
    with pytest.raises(KeyboardInterrupt):
        for result in dask_executor.run_on_dask(jobs, scheduler, work=stand_in):
            received.append(result.source)
            if len(received) == 2:  # the next card takes 8 s: Ctrl-C while waiting
                second = time.monotonic()
                threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
    assert received == [str(p) for p in photos[:2]]
    assert time.monotonic() - second < 3  # it did not wait for the cards in flight


def test_a_lost_worker_costs_a_retry_then_the_card(scheduler: str, tmp_path: Path) -> None:
    photos = _photos(tmp_path, ["crash-once.jpg", "a.jpg"])
    jobs = [CardJob(str(p), load_pipeline(), "US") for p in photos]
    results = list(dask_executor.run_on_dask(jobs, scheduler, work=stand_in))
    assert [r.status for r in results] == [Status.OK, Status.OK]  # read on the other worker
    [always] = _photos(tmp_path, ["crash-always.jpg"])
    job = CardJob(str(always), load_pipeline(), "US")
    [result] = dask_executor.run_on_dask([job], scheduler, work=stand_in)
    assert result.status is Status.FAILED
    assert result.issues[0].code == "crashed"
    assert result.issues[0].message.startswith(f"{always}: the Dask worker reading this card")


def test_a_worker_that_cannot_read_cards_stops_the_run(scheduler: str) -> None:
    broken = load_pipeline()
    tesseract = dataclasses.replace(broken.ocr.tesseract, languages=["zzz"])
    broken = dataclasses.replace(broken, ocr=dataclasses.replace(broken.ocr, tesseract=tesseract))
    with pytest.raises(ExecutorError, match=r"the Dask worker tcp://\S+ cannot read cards \("):
        dask_executor.check_cluster(scheduler, broken)


def test_a_cluster_without_workers_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", 1.0)
    with (
        LocalCluster(n_workers=0, processes=False, dashboard_address=None) as empty,
        pytest.raises(ExecutorError, match="has no workers: start one on each machine"),
    ):
        dask_executor.check_cluster(empty.scheduler_address, load_pipeline())


def test_without_distributed_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    with pytest.raises(DaskMissingError, match=r"pip install 'cardscan\[dask\]'") as caught:
        dask_executor.check_cluster("tcp://127.0.0.1:8786", load_pipeline())
    assert caught.value.exit_code == ExitCode.EXECUTOR
