"""Schemathesis hooks for .ci/schemathesis.sh (loaded through SCHEMATHESIS_HOOKS).

1. A check of our own, `positive_data_passes_the_parser`. A request that
   the document calls well formed may still break a business rule that no
   schema states: a customer id that does not exist, more than an invoice's
   balance, a date outside 1900-2199, a GSTIN with a wrong check character.
   The server answers those 400 `validation_failed`, so .ci/schemathesis.toml
   lets `positive_data_acceptance` take a 400. This check keeps that 400
   honest: for schema-valid input it must never be a refusal of the
   request's *shape*, which would mean the document and the parser
   disagree: `invalid_json` (a value of the wrong type), `invalid_query`
   (a query parameter of the wrong type or unknown), or a field named as
   missing or unknown ("is required", "is not a field here").
2. A fresh Idempotency-Key for every call that sends one. Schemathesis
   draws header values from their schema and repeats them across cases, so
   one key would be reused with different bodies (a correct 422) or replay
   an earlier answer for a resource deleted since (a correct replay that
   the stateful checks read as a missing resource). Key reuse and replay
   are tested in crates/ferrobooks-api-v1/tests/it/idempotency.rs.
"""

import uuid

import schemathesis

SHAPE_CODES = {"invalid_json", "invalid_query"}


def _is_shape_detail(value):
    text = str(value)
    return text == "is required" or text.startswith("is not a field here") or text.startswith(
        "is not a parameter of this route"
    )


@schemathesis.check
def positive_data_passes_the_parser(ctx, response, case):
    """Schema-valid input is never refused for its shape (see the module's doc)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    code = body.get("code")
    details = body.get("details") or {}
    shape = [k for k, v in details.items() if _is_shape_detail(v)]
    if code in SHAPE_CODES or shape:
        raise AssertionError(
            f"schema-valid request refused for its shape ({code}): "
            f"{details if details else body.get('error')}; the document and the parser disagree"
        )
    return None


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = f"st-{uuid.uuid4()}"
