package io.nfvlab.crdvalidation;

import java.util.Objects;

/**
 * One field an API server refuses, shaped as Kubernetes' {@code field.Error}: the path ({@code spec.links[0].a}), the
 * kind of error, the offending value as the server prints it (already quoted when a string; null when the server
 * prints none) and the detail. {@link #message()} and {@link #reason()} are what goes into a 422 Status's causes.
 */
public record FieldError(String field, Type type, String badValue, String detail) {
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(detail, "detail");
    }

    /** The kinds of field errors a CRD's schema and rules produce, with the API server's reason and wording. */
    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        TYPE_INVALID("FieldValueTypeInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many"),
        /** Reported only by strict validation (kubectl's default); an API server otherwise prunes the field. */
        UNKNOWN("FieldValueUnknown", "Unknown field");

        private final String reason;
        private final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }
    }

    /** The Status cause's reason, e.g. FieldValueInvalid. */
    public String reason() {
        return type.reason;
    }

    /** What follows the field in the server's message, e.g. {@code Invalid value: "x": should match '^a$'}. */
    public String message() {
        String head = badValue == null ? type.text : type.text + ": " + badValue;
        return detail.isEmpty() ? head : head + ": " + detail;
    }

    @Override
    public String toString() {
        return field + ": " + message();
    }
}
