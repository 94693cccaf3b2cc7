package io.wabatch.common.api;

import java.util.Objects;

/**
 * The outcome of one API call: the parsed answer or the {@link ApiError} that explains why not.
 * An error answer from the API (4xx, 5xx) or no answer at all (connection refused, timeout) is a
 * {@link Failed}, never an exception; classify it with {@link ErrorClassifier}.
 *
 * @param <T> the value of a successful call
 */
public sealed interface ApiResult<T> permits ApiResult.Ok, ApiResult.Failed {

    /** A successful result. */
    static <T> ApiResult<T> ok(T value) {
        return new Ok<>(value);
    }

    /** A failed result. */
    static <T> ApiResult<T> failed(ApiError error) {
        return new Failed<>(error);
    }

    /** True for {@link Ok}. */
    boolean isOk();

    /**
     * The value of an {@link Ok}.
     *
     * @throws IllegalStateException on a {@link Failed}, with the error's description
     */
    T value();

    /**
     * The error of a {@link Failed}.
     *
     * @throws IllegalStateException on an {@link Ok}
     */
    ApiError error();

    /** The API accepted the call. */
    record Ok<T>(T value) implements ApiResult<T> {

        public Ok {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean isOk() {
            return true;
        }

        @Override
        public ApiError error() {
            throw new IllegalStateException("the call succeeded; there is no error");
        }
    }

    /** The API rejected the call, or did not answer. */
    record Failed<T>(ApiError error) implements ApiResult<T> {

        public Failed {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public boolean isOk() {
            return false;
        }

        @Override
        public T value() {
            throw new IllegalStateException("the call failed: " + error.describe());
        }
    }
}
