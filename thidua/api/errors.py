from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def validation_error_payload(exc: ValidationError) -> dict:
    """{"detail": [{"loc": [...], "field", "msg"}], "errors": {field: [messages]}} with Vietnamese messages."""
    if hasattr(exc, "error_dict"):
        errors = {field: [str(message) for message in ValidationError(messages).messages] for field, messages in exc.error_dict.items()}
    else:
        errors = {NON_FIELD_ERRORS: [str(message) for message in exc.messages]}
    detail = [
        {"loc": ["body", field], "field": field, "msg": message, "type": "value_error"}
        for field, messages in errors.items()
        for message in messages
    ]
    return {"detail": detail, "errors": errors}
