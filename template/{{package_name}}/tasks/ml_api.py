"""`/api/ml/...`: category suggestions from the trained model, its metadata and figures.

Thin: the model, its file and the figures belong to the framework-agnostic `ml` package. A
missing or refused model file is a `ServiceUnavailable` (503) that names `make train`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import FileResponse, HttpRequest
from ninja import Router

from ..accounts.api_auth import api_auth
from ..core.errors import NotFound
from ..core.schemas.errors import ErrorEnvelope
from ..ml import paths
from ..ml.schemas import ModelInfo, PredictIn, PredictOut

if TYPE_CHECKING:
    from ..ml.predict import Predictor

router = Router(tags=["ml"], auth=api_auth)

ERRORS: dict[int, Any] = {401: ErrorEnvelope, 403: ErrorEnvelope, 503: ErrorEnvelope}
#: The figures `make train` draws (`ml.plots.*_PNG`), by the name in their URL. Written out
#: rather than imported: `ml.plots` loads matplotlib, which every start-up would pay for.
FIGURES = frozenset({"class_balance", "confusion_matrix", "learning_curve"})
PNG_RESPONSE = {
    "responses": {
        "200": {
            "description": "The figure as a PNG image.",
            "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.post(
    "/predict",
    response={200: PredictOut, 400: ErrorEnvelope, 422: ErrorEnvelope, **ERRORS},
    summary="Suggest a category for a task's title and description",
)
def predict(request: HttpRequest, payload: PredictIn) -> PredictOut:
    return _predictor().predict(payload)


@router.get(
    "/model", response={200: ModelInfo, **ERRORS}, summary="The model's metadata and metrics"
)
def model_info(request: HttpRequest) -> ModelInfo:
    return _predictor().info()


@router.get(
    "/figures/{name}.png",
    response={404: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope},
    openapi_extra=PNG_RESPONSE,
    summary="A figure of the last training run (class_balance, confusion_matrix, learning_curve)",
)
def figure(request: HttpRequest, name: str) -> FileResponse:
    path = paths.figures_dir() / f"{name}.png"
    if name not in FIGURES or not path.is_file():
        raise NotFound(f"No figure named {name!r}: run `make train` to draw the figures.")
    return FileResponse(path.open("rb"), content_type="image/png")


def _predictor() -> Predictor:
    # Imported on first use, not with the URLs: scikit-learn takes seconds to import, and
    # every manage.py command would wait for it.
    from ..ml.predict import default_predictor

    return default_predictor()
