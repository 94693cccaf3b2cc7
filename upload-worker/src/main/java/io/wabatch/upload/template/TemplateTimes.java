package io.wabatch.upload.template;

import java.time.Duration;

/**
 * The template catalogue's times (upload worker configuration {@code templates.*}).
 *
 * @param syncInterval       how often the scheduled accounts are listed again
 * @param refreshMinInterval a failing job lists its account again only if it was last listed longer ago
 * @param staleAfter         an account listed longer ago is not checked
 * @param restoreTimeout     how long reading the topic to its end at start may take
 */
public record TemplateTimes(Duration syncInterval, Duration refreshMinInterval, Duration staleAfter,
                            Duration restoreTimeout) {
}
