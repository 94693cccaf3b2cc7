package io.wabatch.common.observe;

/**
 * What {@code /health/live} and {@code /health/ready} answer. Both are called from the ops server's
 * event loop, at any time: they must be thread-safe, fast and never block.
 */
public interface HealthCheck {

    /** A process starting up: alive, not ready yet. */
    HealthCheck STARTING = new HealthCheck() {
        @Override
        public Health live() {
            return Health.of("running", true);
        }

        @Override
        public Health ready() {
            return Health.of("started", false);
        }
    };

    /** Down only when the process should be restarted (its consume loop has failed). */
    Health live();

    /** Up when the process does its work and should get traffic (or, for a worker, partitions). */
    Health ready();
}
