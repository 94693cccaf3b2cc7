package io.wabatch.webhook;

import io.wabatch.common.service.WorkerProcess;

/**
 * Runs the webhook receiver as its own process (see {@link WorkerProcess} for configuration and
 * signals): {@code WABATCH_WEBHOOK_APP_SECRET}, {@code WABATCH_WEBHOOK_VERIFY_TOKEN}, ...
 */
public final class WebhookReceiverMain {

    private WebhookReceiverMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WorkerProcess.run("webhook-receiver", args, WebhookConfig.DEFINITION, WebhookConfig::new, WebhookReceiver::start);
    }
}
