package io.wabatch.funnel;

import io.wabatch.common.service.WorkerProcess;

/** Runs the funnel aggregator as its own process (see {@link WorkerProcess} for configuration and signals). */
public final class FunnelMain {

    private FunnelMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WorkerProcess.run("funnel", args, FunnelConfig.DEFINITION, FunnelConfig::new, FunnelAggregator::start);
    }
}
