"""Exit codes and the errors that carry them.

Every error a user can meet is a CardscanError: it knows its exit code and says what
to do about it. The CLI turns them into one line on stderr in one place
(cardscan.cli.main); nothing else calls sys.exit.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1  # a bug: an unexpected exception
    USAGE = 2  # bad command line (click's own code for usage errors)
    CARDS_FAILED = 3  # the run finished, but some cards could not be read
    INPUT = 4  # no readable input: missing path, empty folder, not an image
    # Tesseract (or its OSD) missing or too old: an engine missing too, but it keeps its
    # own code, which scripts written before ENGINE_MISSING existed test for.
    TESSERACT_MISSING = 5
    LANGUAGE_MISSING = 6
    BOOK = 7  # the contacts book cannot be read, written or locked
    PIPELINE = 8  # a pipeline definition is missing or invalid
    # --executor dask: the cluster cannot be used (unreachable, no workers, a worker
    # without cardscan or Tesseract, lost mid-batch, `distributed` not installed here)
    EXECUTOR = 9
    PERSON = 10  # the PERSON given to note/tag/done/introduce matches nobody, or several
    # The pipeline's OCR engine cannot run here: rapidocr or onnxruntime not installed,
    # or its models missing or broken (Tesseract itself: TESSERACT_MISSING, 5)
    ENGINE_MISSING = 11
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class CardscanError(Exception):
    """An error with a message, a fix and an exit code."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message}: {self.fix}" if self.fix else self.message


class InputError(CardscanError):
    exit_code = ExitCode.INPUT


class ImageError(InputError):
    """A photo that cannot be used; within a batch it fails that card only."""


class EngineMissingError(CardscanError):
    """The OCR engine a pipeline asks for cannot run here (not installed, no models).

    Raised by the engines' up-front checks, so a run stops before anything is read with
    one line naming the engine and what to install.
    """

    exit_code = ExitCode.ENGINE_MISSING


class TesseractMissingError(EngineMissingError):
    """Tesseract itself is missing or too old.

    An engine missing like any other (`except EngineMissingError` catches it), but with
    its own exit code, 5, which it had before ENGINE_MISSING existed: scripts test for it.
    """

    exit_code = ExitCode.TESSERACT_MISSING


class LanguageMissingError(CardscanError):
    exit_code = ExitCode.LANGUAGE_MISSING


class OcrError(CardscanError):
    """Tesseract ran but failed on one image (crash, timeout); fails that card only."""

    exit_code = ExitCode.CARDS_FAILED


class BookError(CardscanError):
    exit_code = ExitCode.BOOK


class PipelineError(CardscanError):
    exit_code = ExitCode.PIPELINE


class PersonError(CardscanError):
    """A PERSON argument that matches nobody in the book, or several people."""

    exit_code = ExitCode.PERSON


class ExecutorError(CardscanError):
    """The Dask cluster the cards would be read on cannot be used."""

    exit_code = ExitCode.EXECUTOR


class DaskMissingError(ExecutorError):
    """`distributed` is not installed here (pip install 'cardscan[dask]').

    Exit code 9 like every other reason the cluster cannot be used, not 11 or 5 (an OCR
    engine missing): what fixes it is the dask extra, or the default --executor process,
    never Tesseract or the PP-OCR models.
    """
