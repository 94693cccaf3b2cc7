package io.wabatch.upload.media;

import java.time.Duration;

/**
 * Limits of one media download.
 *
 * @param maxRedirects      redirects followed before giving up
 * @param deadline          total time for one attempt, redirects included
 * @param readTimeout       longest silence of the origin (connection idle timeout)
 * @param minBytesPerSecond slowest acceptable average over {@code throughputWindow} once the body flows
 * @param throughputWindow  window of the throughput check
 * @param maxAttempts       attempts for retryable failures (origin 5xx, timeouts, resets)
 * @param retryInitial      first backoff; doubles per attempt with jitter
 */
public record FetchOptions(int maxRedirects, Duration deadline, Duration readTimeout, long minBytesPerSecond,
                           Duration throughputWindow, int maxAttempts, Duration retryInitial) {
}
