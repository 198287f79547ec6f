"""The studio's state for one server: its folder, its catalog file and its job runner.

Everything the studio writes lives under ``<data folder>/studio/``::

    catalog.yaml            the seller's catalog as edited in the studio
    product_photos.json     each product's cleaned photos (`server.studio.product_photos`)
    devices.json            phones paired with ``--lan`` (hashes of their cookies; mode 0600)
    uploads/<id>/           photos as uploaded (checked by content, safe names)
    jobs/<id>/              what each job made (photos, clips, post kits)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from server.live import Live
from server.settings import Settings
from server.studio.jobs import JobRunner
from server.studio.pairing import PairingBook
from server.studio.product_photos import ProductPhotoBook
from studio.catalog import Catalog, Product, load_catalog, save_catalog
from studio.errors import OutputError
from studio.paths import data_dir


class StudioState:
    """What the studio routes share. Build it with `StudioState.open`."""

    def __init__(self, settings: Settings, live: Live, *, root: Path, runner: JobRunner) -> None:
        self.settings = settings
        self.live = live
        self.root = root
        self.runner = runner
        self.product_photos = ProductPhotoBook(root / "product_photos.json")
        self.pairing = PairingBook(root / "devices.json")  # phones (``--lan``)

    @classmethod
    def open(cls, settings: Settings, live: Live) -> StudioState:
        """Create the studio folder, copy the server's catalog into it once, start the pool.

        Raises:
            OutputError: the data folder cannot be written.
        """
        root = (settings.data_dir or data_dir()) / "studio"
        try:
            for sub in ("uploads", "jobs"):
                (root / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"{root}: cannot create the studio folder ({exc.strerror})",
                hint="set LIVESTALL_HOME to a folder you can write to",
            ) from None
        runner = JobRunner(live.engine, max_workers=settings.studio_workers)
        runner.recover()
        state = cls(settings, live, root=root, runner=runner)
        if not state.catalog_path.is_file():
            state.save_catalog(absolute_photos(live.catalog))
        return state

    @property
    def catalog_path(self) -> Path:
        """The studio's catalog file."""
        return self.root / "catalog.yaml"

    def load_catalog(self) -> Catalog:
        """Read the studio's catalog (raises `CatalogError` if someone broke the file)."""
        return load_catalog(self.catalog_path)

    def save_catalog(self, catalog: Catalog) -> None:
        """Write the studio's catalog atomically."""
        temp = self.catalog_path.with_suffix(".tmp.yaml")
        save_catalog(catalog, temp)
        temp.replace(self.catalog_path)

    def job_dir(self, job_id: str) -> Path:
        """The folder a job writes into (created)."""
        folder = self.root / "jobs" / job_id
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def url_of(self, path: Path) -> str:
        """The studio URL serving a file under the studio folder."""
        return "/studio/files/" + path.resolve().relative_to(self.root.resolve()).as_posix()

    def close(self) -> None:
        """Stop the worker pool (running jobs are cancelled)."""
        self.runner.close()


def absolute_photos(catalog: Catalog) -> Catalog:
    """Return the catalog with every photo path made absolute (it moves to the studio folder)."""
    products: list[Product] = []
    for product in catalog.products:
        photos = tuple(
            str(catalog.photo_path(product, index)) for index in range(len(product.photos))
        )
        products.append(product.model_copy(update={"photos": photos}))
    return Catalog(products=tuple(products), source=catalog.source)


def get_studio(request: Request) -> StudioState:
    """Return the studio of the app serving this request."""
    state: StudioState = request.app.state.studio
    return state


StudioDep = Annotated[StudioState, Depends(get_studio)]
