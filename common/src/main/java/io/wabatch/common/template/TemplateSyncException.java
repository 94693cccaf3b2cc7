package io.wabatch.common.template;

/**
 * A listing of an account's templates that did not complete: the API refused it (a token without
 * {@code whatsapp_business_management}, an unknown account) or did not answer. Expected: log it
 * without a stack trace; the catalogue stays as it was.
 */
public final class TemplateSyncException extends RuntimeException {

    public TemplateSyncException(String message) {
        super(message, null, false, false);
    }
}
