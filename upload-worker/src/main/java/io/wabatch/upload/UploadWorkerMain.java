package io.wabatch.upload;

import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.service.WorkerProcess;
import io.wabatch.upload.config.UploadWorkerConfig;

/** Runs an upload worker as its own process (see {@link WorkerProcess} for configuration and signals). */
public final class UploadWorkerMain {

    private UploadWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WorkerProcess.run("upload-worker", args, UploadWorkerConfig.DEFINITION, UploadWorkerConfig::new, (config, meters) ->
                UploadWorker.start(config, ChannelRegistry.load(config.channelsFile(), System::getenv), meters));
    }
}
