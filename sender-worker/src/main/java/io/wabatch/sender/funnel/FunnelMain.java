package io.wabatch.sender.funnel;

import io.wabatch.common.config.WorkerProcess;

/** Runs the funnel aggregator as its own process (see {@link WorkerProcess} for configuration and signals). */
public final class FunnelMain {

    private FunnelMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WorkerProcess.run("funnel", args, FunnelConfig::new, FunnelAggregator::start);
    }
}
