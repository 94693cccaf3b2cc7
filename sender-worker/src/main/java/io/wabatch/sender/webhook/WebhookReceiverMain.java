package io.wabatch.sender.webhook;

import io.wabatch.common.config.WorkerProcess;

/**
 * Runs the webhook receiver as its own process (see {@link WorkerProcess} for configuration and
 * signals): {@code WABATCH_WEBHOOK_APP_SECRET}, {@code WABATCH_WEBHOOK_VERIFY_TOKEN}, ...
 */
public final class WebhookReceiverMain {

    private WebhookReceiverMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WorkerProcess.run("webhook-receiver", args, WebhookConfig::new, WebhookReceiver::start);
    }
}
