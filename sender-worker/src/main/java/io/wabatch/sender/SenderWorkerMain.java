package io.wabatch.sender;

import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.service.WorkerProcess;
import io.wabatch.sender.config.SenderWorkerConfig;

/** Runs a sender worker as its own process (see {@link WorkerProcess} for configuration and signals). */
public final class SenderWorkerMain {

    private SenderWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WorkerProcess.run("sender-worker", args, SenderWorkerConfig.DEFINITION, SenderWorkerConfig::new, (config, meters) ->
                SenderWorker.start(config, ChannelRegistry.load(config.channelsFile(), System::getenv), meters));
    }
}
