package io.wabatch.common.contract;

/**
 * Why a message did not succeed.
 *
 * @param code       the API's error code (e.g. {@code 131056}) or a wabatch reason
 *                   ({@code invalid_job}, {@code invalid_recipient}, {@code media_unavailable}, {@code media_rejected}, ...)
 * @param title      a short title
 * @param details    what a person can act on
 * @param httpStatus the API's HTTP status, when the API answered
 */
public record ResultError(String code, String title, String details, Integer httpStatus) {
}
