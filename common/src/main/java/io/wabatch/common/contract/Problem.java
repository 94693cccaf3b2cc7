package io.wabatch.common.contract;

/**
 * One thing wrong with a job: where ({@code path}, e.g. {@code message.image.link} or
 * {@code recipients[3].to}) and why, in words a producer can act on.
 */
public record Problem(String path, String reason) {

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
